/* app.h - the application: configuration and everything loaded at start
 * (guide, templates, messages, countries, static files). Immutable once started,
 * shared by every worker thread. app_start()/app_stop() are what main.c and the
 * integration tests call. */
#ifndef SOMGUIDE_APP_H
#define SOMGUIDE_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct guide;
struct tmpl_set;
struct static_files;
struct MHD_Daemon;

struct app_config {
	const char *bind;        /* default 127.0.0.1 */
	int port;                /* default 8080; 0 = any free port */
	const char *db_path;     /* default data/somguide.db */
	const char *guide_path;  /* default <root>/schema/guide.json */
	const char *root;        /* folder holding templates/, static/, schema/; default "." */
	unsigned threads;        /* worker threads; 0 = number of cores */
	size_t max_body;         /* bytes; default 1 MiB */
	size_t max_upload;       /* bytes for multipart bodies; default 10 MiB */
	int idle_timeout;        /* seconds a connection may be idle; default 60 */
	bool fast_pwhash;        /* tests only: new password hashes with libsodium's minimum
	                            argon2id limits instead of the INTERACTIVE ones */
};

struct app {
	struct app_config cfg;
	char *db_path;
	char *root;
	struct guide *guide;
	struct tmpl_set *tmpl;
	json_t *messages;        /* the interface texts, {"key": "text"} (en) */
	json_t *countries;       /* array, schema/countries.json */
	json_t *country_by_iso3; /* iso3 -> country object (borrowed from countries) */
	json_t *guidance_html;   /* question id -> rendered guidance HTML */
	char *guide_api;         /* the GET /api/v1/guide document, serialized once */
	size_t guide_api_len;
	struct static_files *statics;
	unsigned char secret[32];/* signs CSRF tokens; kept in the database */
	char bootstrap_password[32]; /* one-time password of the administrator created on
	                            an empty users table at this start, else ""; main
	                            prints it once and wipes it */
	struct MHD_Daemon *daemon;
	uint16_t port;
	unsigned threads;
	int inflight;            /* requests being served (atomic), for a clean stop */
};

/* Loads configuration defaults, the guide, templates, messages and countries,
 * migrates the database. Returns 0 or -1 after printing one line per problem on
 * stderr. */
int app_init(struct app *app, const struct app_config *cfg);
/* app_init + the HTTP server. */
int app_start(struct app *app, const struct app_config *cfg);
/* Stops the server (requests in flight finish) and frees everything. */
void app_stop(struct app *app);

/* Loads ROOT/schema/countries.json: the array and an object iso3 -> country
 * (borrowed from the array). Both new references, also on error (may be NULL).
 * 0 or -1 (logged). */
int app_countries_load(const char *root, json_t **countries, json_t **by_iso3);

/* An interface text from the catalogue; the key itself when missing. */
const char *app_msg(const struct app *app, const char *key);

#endif
