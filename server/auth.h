/* auth.h - who is calling and what they may do: passwords (argon2id), sessions,
 * API tokens, CSRF tokens, throttling of failed sign-ins, and the one place where
 * the checks each route declares are enforced (auth_check).
 *
 * Secrets handled here (passwords, session ids, tokens) are never logged; the
 * store sees only hashes. */
#ifndef SOMGUIDE_AUTH_H
#define SOMGUIDE_AUTH_H

#include <stdbool.h>

#include <jansson.h>

struct req;
struct route;
struct db;
struct account;

#define AUTH_PASSWORD_MIN 12           /* characters */
#define AUTH_PASSWORD_MAX 1024         /* bytes */
#define AUTH_HASH_MAX 128              /* crypto_pwhash_STRBYTES */
#define AUTH_ONETIME_MAX 32            /* a one-time password with its NUL */
#define AUTH_TOKEN_MAX 72              /* "sgt_" + 64 hex + NUL */
#define AUTH_IDLE_TIMEOUT (2 * 3600)   /* seconds without a request that end a session */
#define AUTH_ABSOLUTE_TIMEOUT (12 * 3600) /* seconds after sign-in that end a session */
#define AUTH_TOKEN_LIFETIME (90 * 24 * 3600)
#define AUTH_THROTTLE_WINDOW (15 * 60) /* failed sign-ins count this long */
#define AUTH_MAX_FAILS_PAIR 5          /* per username from one client address */
#define AUTH_MAX_FAILS_ADDRESS 20      /* per client address, all usernames */
#define AUTH_MAX_FAILS_ACCOUNT 100     /* per username from all addresses: a guard against
					  guessing from many addresses, high enough that a
					  stranger cannot lock a colleague out with a few tries */

#define AUTH_SESSION_COOKIE "sg_session"
#define AUTH_CSRF_COOKIE "sg_csrf"

/* Runs the checks a route declares: who is calling (API token or session),
 * sign-in required, role, password change pending, CSRF. Returns 0 when the
 * request may go on, else the HTTP status it was answered with (303 to the login
 * page for pages, 401 for the API, 403). */
int auth_check(struct req *r, const struct route *rt);
/* The CSRF check of a write route, once the body (and its csrf_token field) has
 * been read. 0, or the status answered (403). */
int auth_check_csrf(struct req *r, const struct route *rt);

/* Loads the server's signing secret from the database, creating it on first start. */
int auth_load_secret(struct db *db, unsigned char secret[32]);

/* ---- passwords ---- */

/* NULL when pw is acceptable as a new password for username, else a sentence
 * saying why not (static). */
const char *auth_password_problem(const char *pw, const char *username);
/* argon2id hash of pw into out. fast: libsodium's minimum limits (tests only);
 * otherwise the INTERACTIVE limits. 0 or -1. */
int auth_password_hash(const char *pw, bool fast, char out[static AUTH_HASH_MAX]);
bool auth_password_verify(const char *hash, const char *pw);
/* A random one-time password, e.g. "k7QM-x2PZ-R9TW-4HNC-Y3DA" (24 characters). */
void auth_onetime_password(char out[static AUTH_ONETIME_MAX]);

/* ---- accounts ---- */

/* NULL when the account fields are acceptable, else a sentence saying why not.
 * username NULL skips its check; country is an upper-case ISO3 code or "" and is
 * looked up in country_by_iso3. */
const char *auth_account_problem(const json_t *country_by_iso3, const char *username, const char *role,
				 const char *country, bool focal_point);
/* On an empty users table creates the administrator "admin" with a one-time
 * password written to password. Returns 1 when created, 0 when accounts exist,
 * -1 on error. */
int auth_bootstrap_admin(struct db *db, bool fast, char password[static AUTH_ONETIME_MAX]);

/* ---- signing in ---- */

enum auth_result { AUTH_OK, AUTH_BAD, AUTH_THROTTLED, AUTH_DISABLED, AUTH_ERROR };

/* Checks a username and password for r's client, throttled per account and per
 * address: records a failure (and slows the answer down) when they do not match.
 * Fills *out on AUTH_OK and AUTH_DISABLED. Must run outside a transaction. */
enum auth_result auth_authenticate(struct req *r, const char *username, const char *password, struct account *out);
/* Starts a session for a (ending r's current one), sets the cookie and makes a
 * the caller of r. Runs its own short transaction. 0 or -1. */
int auth_session_start(struct req *r, const struct account *a);
/* Ends r's session (if any) and clears the cookie. */
void auth_session_end(struct req *r);
/* Issues an API token for a into out; *expires_at receives its expiry. 0 or -1. */
int auth_token_issue(struct req *r, const struct account *a, char out[static AUTH_TOKEN_MAX], long long *expires_at);

#endif
