/* router.h - the route table: method, pattern, handler and the checks each route
 * needs. The dispatcher in http.c enforces the checks; handlers may assume them. */
#ifndef SOMGUIDE_ROUTER_H
#define SOMGUIDE_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

struct req;

typedef int (*handler_fn)(struct req *r);

enum route_flag {
	R_API     = 1 << 0, /* JSON errors; bearer tokens accepted */
	R_WRITE   = 1 << 1, /* changes state: one BEGIN IMMEDIATE transaction, CSRF checked */
	R_PUBLIC  = 1 << 2, /* no session needed */
	R_NOCSRF  = 1 << 3, /* a write that cannot carry a token yet (login, token creation) */
	R_NODB    = 1 << 4, /* needs no database connection (static files) */
	R_SELFTX  = 1 << 5, /* a write that opens its own short transactions (sign-in: the
	                       password check must not hold the write lock) */
	R_PWCHANGE = 1 << 6,/* usable while the password must still be changed (one-time
	                       passwords): the password page and sign-out */
	R_UPLOAD  = 1 << 7, /* takes a multipart file upload: the body may reach cfg.max_upload */
};

/* Roles as a bit set: a route lists the roles that may use it. */
enum role_bit {
	ROLE_ADMIN    = 1 << 0,
	ROLE_REVIEWER = 1 << 1,
	ROLE_OFFICIAL = 1 << 2,
	ROLE_OBSERVER = 1 << 3,
	ROLE_ANY      = 0xf,
	ROLE_WRITERS  = ROLE_ADMIN | ROLE_REVIEWER | ROLE_OFFICIAL, /* never observers */
	ROLE_ANSWERERS = ROLE_ADMIN | ROLE_OFFICIAL,                /* change answers */
};

struct route {
	const char *method;   /* "GET", "POST", "PUT", "PATCH", "DELETE" */
	const char *pattern;  /* "/api/v1/assessments/:id"; a trailing "*" matches the rest */
	handler_fn fn;
	unsigned flags;
	unsigned roles;
};

enum route_match { ROUTE_FOUND, ROUTE_NOT_FOUND, ROUTE_BAD_METHOD };

/* Finds the route for method and path. On ROUTE_FOUND fills params (copies the
 * segments into new strings that the caller frees) and *out. On ROUTE_BAD_METHOD
 * writes the allowed methods ("GET, POST") into allow. HEAD matches GET. */
enum route_match router_match(const char *method, const char *path, const struct route **out,
			      char **params, size_t max_params, size_t *n_params, char *allow,
			      size_t allow_len);

/* The table itself, for the authorization matrix test. */
extern const struct route router_routes[];
extern const size_t router_n_routes;

/* The role bit of a role name; 0 when unknown. */
unsigned router_role_bit(const char *role);

/* true when the route method+pattern exists and its roles include role: lets a
 * page show a form only to those the route will accept. */
bool router_allows(const char *method, const char *pattern, const char *role);

#endif
