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
	const char *guides_dir;  /* archived guides (every *.json); default <root>/schema/guides,
	                            which may be missing; a folder given here must exist */
	const char *root;        /* folder holding templates/, static/, schema/; default "." */
	unsigned threads;        /* worker threads; 0 = number of cores */
	size_t max_body;         /* bytes; default 1 MiB */
	size_t max_upload;       /* bytes for multipart bodies; default 10 MiB */
	int idle_timeout;        /* seconds a connection may be idle; default 60 */
	bool secure_cookies;     /* served over HTTPS (e.g. behind a TLS proxy): cookies get
				    Secure and responses Strict-Transport-Security */
	bool fast_pwhash;        /* tests only: new password hashes with libsodium's minimum
	                            argon2id limits instead of the INTERACTIVE ones */
};

/* One version of the guide, loaded at start with what is made from it once. */
struct app_guide {
	struct guide *guide;
	char *path;              /* the file it was loaded from */
	json_t *guidance_html;   /* question id -> rendered guidance HTML */
	char *api;               /* its GET /api/v1/guide document, serialized once */
	size_t api_len;
	char hash[33];           /* of api (hex): says whether stored scores were made with it */
};

struct app {
	struct app_config cfg;
	char *db_path;
	char *root;
	/* The current guide: new assessments start on it, /guide/print and the
	 * dashboard's titles use it. Every assessment is shown, validated and scored
	 * with the guide of the version it was started on (app_guide). */
	struct guide *guide;
	/* Every loaded version: [0] is the current guide (guides[0].guide == guide),
	 * then the archived ones of cfg.guides_dir in file name order. Versions are
	 * distinct. */
	struct app_guide *guides;
	size_t n_guides;
	struct tmpl_set *tmpl;
	json_t *messages;        /* the interface texts, {"key": "text"} (en) */
	json_t *countries;       /* array, schema/countries.json */
	json_t *country_by_iso3; /* iso3 -> country object (borrowed from countries) */
	struct static_files *statics;
	unsigned char secret[32];/* signs CSRF tokens; kept in the database */
	char bootstrap_password[32]; /* one-time password of the administrator created on
	                            an empty users table at this start, else ""; main
	                            prints it once and wipes it */
	struct MHD_Daemon *daemon;
	uint16_t port;
	unsigned threads;
	int inflight;            /* requests being served (atomic), for a clean stop */
	int stopping;            /* set (atomic) when the stop begins: new requests get 503 */
};

/* Loads configuration defaults, the current guide and the archived ones,
 * templates, messages and countries, migrates the database and brings the stored
 * scores up to date (each assessment with the guide of its version). Returns 0
 * or -1 after printing one line per problem on stderr.
 *
 * The archive (cfg.guides_dir): every regular file *.json there (names starting
 * with a dot skipped), by convention guide-VERSION.json, is validated by the
 * same loader as the current guide; any problem of any file, two files with the
 * same version, or a file with the current guide's version but other content is
 * an error that stops the start. A file with the current guide's version and
 * the same content (the same JSON once parsed) is ignored. */
int app_init(struct app *app, const struct app_config *cfg);
/* app_init + the HTTP server. */
int app_start(struct app *app, const struct app_config *cfg);
/* Stops the server (requests in flight finish) and frees everything. */
void app_stop(struct app *app);

/* Loads ROOT/schema/countries.json: the array and an object iso3 -> country
 * (borrowed from the array). Both new references, also on error (may be NULL).
 * 0 or -1 (logged). */
int app_countries_load(const char *root, json_t **countries, json_t **by_iso3);

/* Loads every *.json of dir as archived guides after the current one (index 0)
 * of *guides (n_guides in/out). missing_ok: a folder that does not exist holds
 * nothing. 0, or -1 after printing every problem (*guides keeps what was
 * loaded; release with app_guides_free). */
int app_guides_load_dir(const char *dir, bool missing_ok, struct app_guide **guides, size_t *n_guides);
/* Loads one guide file into *out (what app_init makes of each version). 0 or -1
 * after printing every problem with its JSON path. */
int app_guide_load(const char *path, struct app_guide *out);
void app_guides_free(struct app_guide *guides, size_t n);

/* The guide of that version, or NULL when no loaded guide has it. */
const struct guide *app_guide(const struct app *app, const char *version);
/* The guide an assessment (id, for the log) started on `version` is shown,
 * validated and scored with: app_guide(version); when that version is not
 * loaded - its archived file was removed from cfg.guides_dir, which should not
 * happen - the current guide, after one line on the log. */
const struct guide *app_guide_or_current(const struct app *app, const char *version, long long assessment_id);
/* What was made at start from a loaded guide g (guidance, API document), or NULL
 * when g is not one of app->guides. */
const struct app_guide *app_guide_entry(const struct app *app, const struct guide *g);
/* The rendered guidance of question qid of guide g, or NULL. Borrowed. */
json_t *app_guidance_html(const struct app *app, const struct guide *g, const char *qid);

/* An interface text from the catalogue; the key itself when missing. */
const char *app_msg(const struct app *app, const char *key);

#endif
