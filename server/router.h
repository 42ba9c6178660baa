/* router.h - the route table: method, pattern, handler and the checks each route
 * needs. The dispatcher in http.c enforces the checks; handlers may assume them. */
#ifndef SOMGUIDE_ROUTER_H
#define SOMGUIDE_ROUTER_H

#include <stddef.h>

struct req;

typedef int (*handler_fn)(struct req *r);

enum route_flag {
	R_API     = 1 << 0, /* JSON errors; bearer tokens accepted */
	R_WRITE   = 1 << 1, /* changes state: one BEGIN IMMEDIATE transaction, CSRF checked */
	R_PUBLIC  = 1 << 2, /* no session needed */
	R_NOCSRF  = 1 << 3, /* a write that cannot carry a token yet (login, token creation) */
	R_NODB    = 1 << 4, /* needs no database connection (static files) */
};

/* Roles as a bit set: a route lists the roles that may use it. */
enum role_bit {
	ROLE_ADMIN    = 1 << 0,
	ROLE_REVIEWER = 1 << 1,
	ROLE_OFFICIAL = 1 << 2,
	ROLE_OBSERVER = 1 << 3,
	ROLE_ANY      = 0xf,
	ROLE_WRITERS  = ROLE_ADMIN | ROLE_REVIEWER | ROLE_OFFICIAL,
};

struct route {
	const char *method;   /* "GET", "POST", "PUT", "DELETE" */
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

#endif
