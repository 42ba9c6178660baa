/* auth.h - who is calling and what they may do: CSRF tokens (and, with accounts,
 * sessions, passwords and API tokens). */
#ifndef SOMGUIDE_AUTH_H
#define SOMGUIDE_AUTH_H

struct req;
struct route;
struct db;

/* Runs the checks a route declares (session, role, CSRF). Returns 0 when the
 * request may go on, else the HTTP status it was answered with. */
int auth_check(struct req *r, const struct route *rt);

/* Loads the server's signing secret from the database, creating it on first start. */
int auth_load_secret(struct db *db, unsigned char secret[32]);

#endif
