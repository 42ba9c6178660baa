/* router.c - the route table and its matcher. */
#include "router.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "util.h"

const struct route router_routes[] = {
	/* method   pattern                                      handler                 flags                          roles */
	{"GET",    "/healthz",                                    h_healthz,              R_PUBLIC | R_API,               ROLE_ANY},
	{"GET",    "/static/*",                                   h_static,               R_PUBLIC | R_NODB,              ROLE_ANY},
	{"GET",    "/login",                                      h_login_form,           R_PUBLIC,                       ROLE_ANY},
	{"POST",   "/login",                                      h_login,                R_PUBLIC | R_WRITE | R_SELFTX,  ROLE_ANY},
	{"POST",   "/logout",                                     h_logout,               R_WRITE | R_PWCHANGE,           ROLE_ANY},
	{"GET",    "/account/password",                           h_password_form,        R_PWCHANGE,                     ROLE_ANY},
	{"POST",   "/account/password",                           h_password_change,      R_WRITE | R_PWCHANGE | R_SELFTX, ROLE_ANY},
	{"GET",    "/",                                           h_home,                 0,                              ROLE_ANY},
	{"GET",    "/assessments",                                h_assessment_list,      0,                              ROLE_ANY},
	{"POST",   "/assessments",                                h_assessment_create,    R_WRITE,                        ROLE_WRITERS},
	{"GET",    "/assessments/:id",                            h_assessment_overview,  0,                              ROLE_ANY},
	{"GET",    "/assessments/:id/areas/:area",                h_area_form,            0,                              ROLE_ANY},
	{"POST",   "/assessments/:id/areas/:area",                h_area_save,            R_WRITE,                        ROLE_ANSWERERS},
	{"POST",   "/assessments/:id/transitions",                h_transition,           R_WRITE,                        ROLE_WRITERS},
	{"GET",    "/assessments/:id/results",                    h_results,              0,                              ROLE_ANY},
	{"GET",    "/assessments/:id/report",                     h_report,               0,                              ROLE_ANY},
	{"POST",   "/assessments/:id/comments",                   h_comment_create,       R_WRITE,                        ROLE_WRITERS},
	{"POST",   "/assessments/:id/comments/:cid/resolve",      h_comment_resolve,      R_WRITE,                        ROLE_ADMIN | ROLE_REVIEWER},
	{"POST",   "/assessments/:id/evidence",                   h_evidence_upload,      R_WRITE | R_UPLOAD,             ROLE_ANSWERERS},
	{"GET",    "/assessments/:id/evidence/:eid",              h_evidence_download,    0,                              ROLE_ANY},
	{"POST",   "/assessments/:id/evidence/:eid/delete",       h_evidence_delete,      R_WRITE,                        ROLE_ANSWERERS},
	{"POST",   "/assessments/:id/actions",                    h_action_save,          R_WRITE,                        ROLE_ADMIN | ROLE_REVIEWER},
	{"GET",    "/assessments/:id/history",                    h_history,              0,                              ROLE_ANY},
	{"GET",    "/assessments/:id/history/:qid",               h_history_question,     0,                              ROLE_ANY},
	{"GET",    "/guide/print",                                h_guide_print,          0,                              ROLE_ANY},
	{"GET",    "/dashboard",                                  h_dashboard,            0,                              ROLE_ADMIN | ROLE_REVIEWER},
	{"GET",    "/admin/users",                                h_admin_users,          0,                              ROLE_ADMIN},
	{"POST",   "/admin/users",                                h_admin_user_create,    R_WRITE | R_SELFTX,             ROLE_ADMIN},
	{"GET",    "/admin/users/:id",                            h_admin_user,           0,                              ROLE_ADMIN},
	{"POST",   "/admin/users/:id",                            h_admin_user_update,    R_WRITE,                        ROLE_ADMIN},
	{"POST",   "/admin/users/:id/disable",                    h_admin_user_disable,   R_WRITE,                        ROLE_ADMIN},
	{"POST",   "/admin/users/:id/enable",                     h_admin_user_enable,    R_WRITE,                        ROLE_ADMIN},
	{"POST",   "/admin/users/:id/password",                   h_admin_user_password,  R_WRITE | R_SELFTX,             ROLE_ADMIN},

	{"POST",   "/api/v1/tokens",                              h_api_token_create,     R_PUBLIC | R_API | R_WRITE | R_NOCSRF | R_SELFTX, ROLE_ANY},
	{"GET",    "/api/v1/guide",                               h_api_guide,            R_API,                          ROLE_ANY},
	{"GET",    "/api/v1/countries",                           h_api_countries,        R_API,                          ROLE_ANY},
	{"GET",    "/api/v1/assessments",                         h_api_assessment_list,  R_API,                          ROLE_ANY},
	{"POST",   "/api/v1/assessments",                         h_api_assessment_create,R_API | R_WRITE,                ROLE_WRITERS},
	{"GET",    "/api/v1/assessments/:id",                     h_api_assessment_get,   R_API,                          ROLE_ANY},
	{"PUT",    "/api/v1/assessments/:id/answers",             h_api_answers_put,      R_API | R_WRITE,                ROLE_ANSWERERS},
	{"POST",   "/api/v1/assessments/:id/transitions",         h_api_transition,       R_API | R_WRITE,                ROLE_WRITERS},
	{"GET",    "/api/v1/assessments/:id/scores",              h_api_scores,           R_API,                          ROLE_ANY},
	{"GET",    "/api/v1/assessments/:id/plan",                h_api_plan,             R_API,                          ROLE_ANY},
	{"GET",    "/api/v1/assessments/:id/export.json",         h_api_export_json,      R_API,                          ROLE_ANY},
	{"GET",    "/api/v1/assessments/:id/export.csv",          h_api_export_csv,       R_API,                          ROLE_ANY},
	{"GET",    "/api/v1/assessments/:id/export.xlsx",         h_api_export_xlsx,      R_API,                          ROLE_ANY},
	{"GET",    "/api/v1/exports/answers.csv",                 h_api_export_answers,   R_API,                          ROLE_ANY},
	{"GET",    "/api/v1/assessments/:id/comments",            h_api_comments_list,    R_API,                          ROLE_ANY},
	{"POST",   "/api/v1/assessments/:id/comments",            h_api_comment_create,   R_API | R_WRITE,                ROLE_WRITERS},
	{"POST",   "/api/v1/assessments/:id/comments/:cid/resolve", h_api_comment_resolve, R_API | R_WRITE,              ROLE_ADMIN | ROLE_REVIEWER},
	{"GET",    "/api/v1/assessments/:id/evidence",            h_api_evidence_list,    R_API,                          ROLE_ANY},
	{"DELETE", "/api/v1/assessments/:id/evidence/:eid",       h_api_evidence_delete,  R_API | R_WRITE,                ROLE_ANSWERERS},
	{"GET",    "/api/v1/assessments/:id/audit",               h_api_audit,            R_API,                          ROLE_ANY},
	{"GET",    "/api/v1/assessments/:id/actions",             h_api_actions_list,     R_API,                          ROLE_ANY},
	{"POST",   "/api/v1/assessments/:id/actions",             h_api_action_create,    R_API | R_WRITE,                ROLE_ADMIN | ROLE_REVIEWER},
	{"PUT",    "/api/v1/assessments/:id/actions/:rec",        h_api_action_put,       R_API | R_WRITE,                ROLE_ADMIN | ROLE_REVIEWER},
	{"PATCH",  "/api/v1/assessments/:id/actions/:rec",        h_api_action_patch,     R_API | R_WRITE,                ROLE_ADMIN | ROLE_REVIEWER},
};
const size_t router_n_routes = ARRAY_SIZE(router_routes);

unsigned router_role_bit(const char *role)
{
	static const struct {
		const char *name;
		unsigned bit;
	} roles[] = {
		{"admin", ROLE_ADMIN},
		{"reviewer", ROLE_REVIEWER},
		{"official", ROLE_OFFICIAL},
		{"observer", ROLE_OBSERVER},
	};
	for (size_t i = 0; i < ARRAY_SIZE(roles); i++)
		if (strcmp(role, roles[i].name) == 0)
			return roles[i].bit;
	return 0;
}

bool router_allows(const char *method, const char *pattern, const char *role)
{
	unsigned bit = role ? router_role_bit(role) : 0;
	for (size_t i = 0; i < router_n_routes; i++) {
		const struct route *rt = &router_routes[i];
		if (strcmp(rt->method, method) == 0 && strcmp(rt->pattern, pattern) == 0)
			return (rt->roles & bit) != 0;
	}
	return false;
}

/* Matches pattern against path; copies parameters on success. */
static int match_pattern(const char *pat, const char *path, char **params, size_t max_params,
			 size_t *n_params)
{
	size_t n = 0;
	const char *p = pat, *s = path;
	while (*p && *s) {
		if (*p == '*') {
			if (n >= max_params)
				goto fail;
			params[n++] = xstrdup(s);
			*n_params = n;
			return 1;
		}
		if (*p == ':') {
			const char *pend = strchr(p, '/');
			const char *send = strchr(s, '/');
			size_t slen = send ? (size_t)(send - s) : strlen(s);
			if (slen == 0 || n >= max_params)
				goto fail;
			params[n++] = xstrndup(s, slen);
			p = pend ? pend : p + strlen(p);
			s += slen;
			continue;
		}
		if (*p != *s)
			goto fail;
		p++;
		s++;
	}
	if (*p == '*' && *s == '\0' && n < max_params) {
		params[n++] = xstrdup("");
		*n_params = n;
		return 1;
	}
	if (*p || *s)
		goto fail;
	*n_params = n;
	return 1;
fail:
	for (size_t i = 0; i < n; i++) {
		free(params[i]);
		params[i] = NULL;
	}
	return 0;
}

enum route_match router_match(const char *method, const char *path, const struct route **out,
			      char **params, size_t max_params, size_t *n_params, char *allow,
			      size_t allow_len)
{
	bool path_seen = false;
	if (allow_len)
		allow[0] = '\0';
	if (strcmp(method, "HEAD") == 0)
		method = "GET";
	for (size_t i = 0; i < router_n_routes; i++) {
		const struct route *rt = &router_routes[i];
		size_t n = 0;
		if (!match_pattern(rt->pattern, path, params, max_params, &n))
			continue;
		if (strcmp(rt->method, method) == 0) {
			*out = rt;
			*n_params = n;
			return ROUTE_FOUND;
		}
		for (size_t k = 0; k < n; k++) {
			free(params[k]);
			params[k] = NULL;
		}
		path_seen = true;
		size_t used = strlen(allow);
		if (!strstr(allow, rt->method) && used + strlen(rt->method) + 3 < allow_len)
			snprintf(allow + used, allow_len - used, "%s%s", used ? ", " : "", rt->method);
	}
	return path_seen ? ROUTE_BAD_METHOD : ROUTE_NOT_FOUND;
}
