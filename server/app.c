/* app.c - loading everything the server needs, once, and starting/stopping it. */
#include "app.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <md4c-html.h>
#include <sodium.h>

#include "auth.h"
#include "db.h"
#include "db_scores.h"
#include "guide.h"
#include "http.h"
#include "log.h"
#include "static.h"
#include "strbuf.h"
#include "tmpl.h"
#include "util.h"

static char *path_join(const char *a, const char *b)
{
	struct strbuf sb;
	strbuf_init(&sb, strlen(a) + strlen(b) + 2);
	strbuf_addf(&sb, "%s/%s", a, b);
	return strbuf_detach(&sb, NULL);
}

static json_t *load_json(const char *path, const char *what)
{
	json_error_t e;
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
	if (!j)
		log_error("%s %s:%d:%d: %s", what, path, e.line, e.column, e.text);
	return j;
}

static void md_out(const MD_CHAR *text, MD_SIZE size, void *userdata)
{
	strbuf_add(userdata, text, size);
}

/* Guidance is markdown written by the guide's authors; raw HTML in it is disabled,
 * so what md4c produces is safe to insert unescaped. */
static int render_guidance(struct app_guide *e)
{
	e->guidance_html = json_object();
	for (size_t i = 0; i < e->guide->n_questions; i++) {
		const struct guide_question *q = &e->guide->questions[i];
		const char *md = guide_text(json_object_get(q->json, "guidance"), "en");
		if (!*md)
			continue;
		struct strbuf sb;
		strbuf_init(&sb, strlen(md) * 2);
		if (md_html(md, (MD_SIZE)strlen(md), md_out, &sb, MD_FLAG_NOHTML | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH,
			    0) != 0) {
			strbuf_release(&sb);
			return log_error("guide %s: guidance of question %s is not valid markdown", e->path, q->id);
		}
		json_object_set_new(e->guidance_html, q->id, json_stringn(sb.buf, sb.len));
		strbuf_release(&sb);
	}
	return 0;
}

/* Loads one guide file into *out without logging its problems (kept in
 * *problems). 0 or -1. */
static int load_entry(const char *path, struct app_guide *out, struct guide_problems *problems)
{
	memset(out, 0, sizeof(*out));
	out->path = xstrdup(path);
	out->guide = guide_load_file(path, problems);
	if (!out->guide)
		return -1;
	out->api = json_dumps(out->guide->root, JSON_COMPACT | JSON_ENSURE_ASCII);
	out->api_len = strlen(out->api);
	unsigned char h[16];
	crypto_generichash(h, sizeof(h), (const unsigned char *)out->api, out->api_len, NULL, 0);
	sodium_bin2hex(out->hash, sizeof(out->hash), h, sizeof(h));
	return render_guidance(out);
}

static void report_problems(const char *path, struct guide_problems *problems)
{
	for (size_t i = 0; i < problems->n; i++)
		log_error("guide %s: %s: %s", path, problems->items[i].path, problems->items[i].message);
	if (!problems->n)
		log_error("guide %s cannot be loaded", path);
}

int app_guide_load(const char *path, struct app_guide *out)
{
	struct guide_problems problems = {0};
	int rc = load_entry(path, out, &problems);
	if (rc != 0 && !out->guide)
		report_problems(path, &problems);
	guide_problems_free(&problems);
	return rc;
}

static void app_guide_release(struct app_guide *e)
{
	guide_free(e->guide);
	json_decref(e->guidance_html);
	free(e->api);
	free(e->path);
	memset(e, 0, sizeof(*e));
}

void app_guides_free(struct app_guide *guides, size_t n)
{
	for (size_t i = 0; i < n; i++)
		app_guide_release(&guides[i]);
	free(guides);
}

/* One file to load, on a thread of its own: parsing a guide is most of the start,
 * and versions pile up in the archive. */
struct load_job {
	char *path;
	struct app_guide e;
	struct guide_problems problems;
	int rc;
};

static void *load_job_run(void *arg)
{
	struct load_job *j = arg;
	j->rc = load_entry(j->path, &j->e, &j->problems);
	return NULL;
}

#define LOAD_THREADS 8

static void load_jobs(struct load_job *jobs, size_t n)
{
	json_object_seed(0); /* the hash seed, once, before the threads (no-op when set) */
	for (size_t first = 0; first < n; first += LOAD_THREADS) {
		size_t k = n - first < LOAD_THREADS ? n - first : LOAD_THREADS;
		pthread_t t[LOAD_THREADS];
		bool started[LOAD_THREADS] = {false};
		for (size_t i = 0; i < k; i++)
			started[i] = k > 1 && pthread_create(&t[i], NULL, load_job_run, &jobs[first + i]) == 0;
		for (size_t i = 0; i < k; i++) {
			if (started[i])
				pthread_join(t[i], NULL);
			else
				load_job_run(&jobs[first + i]);
		}
	}
}

static int json_file(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return d->d_name[0] != '.' && n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

/* Loads current (when not NULL: it becomes guides[0]) and the archive dir,
 * all files at once, then adds the archived versions in file name order after
 * those already in *guides, by the rules of app_init. 0 or -1 (every problem
 * printed). */
static int load_guide_files(const char *current, const char *dir, bool missing_ok, struct app_guide **guides,
			    size_t *n_guides)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, json_file, alphasort);
	int rc = 0;
	if (n < 0) {
		if (errno != ENOENT || !missing_ok)
			rc = log_error("archived guides %s: %s", dir, strerror(errno));
		n = 0;
	}
	struct load_job *jobs = xcalloc((size_t)n + 1, sizeof(*jobs));
	size_t n_jobs = 0;
	if (current)
		jobs[n_jobs++].path = xstrdup(current);
	for (int i = 0; i < n; i++) {
		char *path = path_join(dir, names[i]->d_name);
		struct stat st;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			jobs[n_jobs++].path = path;
		else
			free(path);
		free(names[i]);
	}
	free(names);
	load_jobs(jobs, n_jobs);
	for (size_t i = 0; i < n_jobs; i++)
		if (jobs[i].rc != 0) {
			if (!jobs[i].e.guide)
				report_problems(jobs[i].path, &jobs[i].problems);
			rc = -1;
		}
	size_t i = 0;
	if (current) {
		(*guides)[0] = jobs[0].e;
		jobs[0].e = (struct app_guide){0};
		i = 1;
		if (jobs[0].rc != 0)
			i = n_jobs; /* the archive means nothing without the current guide */
	}
	for (; i < n_jobs; i++) {
		struct app_guide *e = &jobs[i].e;
		if (jobs[i].rc != 0)
			continue;
		size_t same = *n_guides;
		for (size_t k = 0; k < *n_guides && same == *n_guides; k++)
			if (strcmp((*guides)[k].guide->version, e->guide->version) == 0)
				same = k;
		if (same == 0 && json_equal((*guides)[0].guide->root, e->guide->root)) {
			/* a copy of the current guide: nothing to add */
			log_info("archived guide %s is the current guide %s; ignored", e->path, e->guide->version);
			continue;
		}
		if (same == 0)
			rc = log_error("archived guide %s has the version of the current guide (%s) but other content: "
				       "give the current guide %s a new version",
				       e->path, e->guide->version, (*guides)[0].path);
		else if (same < *n_guides)
			rc = log_error("archived guides %s and %s have the same version %s", (*guides)[same].path, e->path,
				       e->guide->version);
		if (same < *n_guides)
			continue;
		*guides = xreallocarray(*guides, *n_guides + 1, sizeof(**guides));
		(*guides)[(*n_guides)++] = *e;
		*e = (struct app_guide){0};
	}
	for (size_t k = 0; k < n_jobs; k++) {
		app_guide_release(&jobs[k].e);
		guide_problems_free(&jobs[k].problems);
		free(jobs[k].path);
	}
	free(jobs);
	return rc;
}

int app_guides_load_dir(const char *dir, bool missing_ok, struct app_guide **guides, size_t *n_guides)
{
	return load_guide_files(NULL, dir, missing_ok, guides, n_guides);
}

/* The current guide, then the archive, loaded side by side. */
static int load_guides(struct app *app, const struct app_config *cfg)
{
	char *guide_path = cfg->guide_path ? xstrdup(cfg->guide_path) : path_join(app->root, "schema/guide.json");
	char *dir = cfg->guides_dir ? xstrdup(cfg->guides_dir) : path_join(app->root, "schema/guides");
	app->guides = xcalloc(1, sizeof(*app->guides));
	app->n_guides = 1;
	int rc = load_guide_files(guide_path, dir, cfg->guides_dir == NULL, &app->guides, &app->n_guides);
	free(guide_path);
	free(dir);
	app->guide = app->guides[0].guide;
	return app->guide ? rc : -1;
}

const struct guide *app_guide(const struct app *app, const char *version)
{
	for (size_t i = 0; version && i < app->n_guides; i++)
		if (strcmp(app->guides[i].guide->version, version) == 0)
			return app->guides[i].guide;
	return NULL;
}

const struct guide *app_guide_or_current(const struct app *app, const char *version, long long assessment_id)
{
	const struct guide *g = app_guide(app, version);
	if (g)
		return g;
	log_warn("assessment %lld was started on guide version \"%s\", which is not loaded: it is shown and scored "
		 "with the current guide %s (put that version back into the archive of guides)",
		 assessment_id, version ? version : "", app->guide->version);
	return app->guide;
}

const struct app_guide *app_guide_entry(const struct app *app, const struct guide *g)
{
	for (size_t i = 0; i < app->n_guides; i++)
		if (app->guides[i].guide == g)
			return &app->guides[i];
	return NULL;
}

json_t *app_guidance_html(const struct app *app, const struct guide *g, const char *qid)
{
	const struct app_guide *e = app_guide_entry(app, g);
	return e ? json_object_get(e->guidance_html, qid) : NULL;
}

int app_countries_load(const char *root, json_t **countries, json_t **by_iso3)
{
	char *path = path_join(root, "schema/countries.json");
	*countries = load_json(path, "countries");
	free(path);
	*by_iso3 = NULL;
	if (!*countries || !json_is_array(*countries))
		return log_error("schema/countries.json must be an array of countries");
	*by_iso3 = json_object();
	size_t i;
	json_t *c;
	json_array_foreach(*countries, i, c) {
		const char *iso3 = json_string_value(json_object_get(c, "iso3"));
		if (!iso3 || strlen(iso3) != 3)
			return log_error("schema/countries.json: entry %zu has no iso3 code", i);
		json_object_set(*by_iso3, iso3, c);
	}
	return 0;
}

static int load_countries(struct app *app)
{
	return app_countries_load(app->root, &app->countries, &app->country_by_iso3);
}

/* Makes the stored scores those of each assessment's own guide: recomputes those
 * made with another guide (a loaded guide whose content changed) or missing. */
static int reconcile_scores(struct app *app, struct db *db)
{
	struct scores_guide *sg = xcalloc(app->n_guides, sizeof(*sg));
	for (size_t i = 0; i < app->n_guides; i++)
		sg[i] = (struct scores_guide){.guide = app->guides[i].guide, .hash = app->guides[i].hash};
	int n = db_scores_reconcile(db, sg, app->n_guides);
	free(sg);
	if (n > 0)
		log_info("scores of %d assessment%s recomputed", n, n == 1 ? "" : "s");
	return n < 0 ? -1 : 0;
}

static void apply_defaults(struct app *app, const struct app_config *cfg)
{
	app->cfg = *cfg;
	if (!app->cfg.bind)
		app->cfg.bind = "127.0.0.1";
	if (app->cfg.port < 0)
		app->cfg.port = 8080;
	app->root = xstrdup(cfg->root ? cfg->root : ".");
	app->db_path = xstrdup(cfg->db_path ? cfg->db_path : "data/somguide.db");
	if (!app->cfg.max_body)
		app->cfg.max_body = 1024 * 1024;
	if (!app->cfg.max_upload)
		app->cfg.max_upload = 10 * 1024 * 1024;
	if (!app->cfg.idle_timeout)
		app->cfg.idle_timeout = 60;
	app->threads = cfg->threads;
	if (!app->threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		app->threads = n > 0 ? (unsigned)n : 1;
	}
}

int app_init(struct app *app, const struct app_config *cfg)
{
	memset(app, 0, sizeof(*app));
	util_init_jansson();
	if (sodium_init() < 0)
		return log_error("libsodium cannot start");
	apply_defaults(app, cfg);

	if (load_guides(app, cfg) != 0)
		return -1;

	char err[512];
	char *dir = path_join(app->root, "templates");
	app->tmpl = tmpl_set_load_dir(dir, err, sizeof(err));
	free(dir);
	if (!app->tmpl)
		return log_error("template %s", err);
	char *msgs = path_join(app->root, "templates/i18n/en.json");
	app->messages = load_json(msgs, "messages");
	free(msgs);
	if (!app->messages)
		return -1;
	if (load_countries(app) != 0)
		return -1;
	dir = path_join(app->root, "static");
	app->statics = static_load(dir);
	free(dir);
	if (!app->statics)
		return -1;

	struct db *db = db_open(app->db_path);
	if (!db)
		return -1;
	dir = path_join(app->root, "schema/migrations");
	int rc = db_migrate(db, dir);
	free(dir);
	if (rc >= 0)
		rc = auth_load_secret(db, app->secret);
	if (rc >= 0)
		rc = auth_bootstrap_admin(db, app->cfg.fast_pwhash, app->bootstrap_password);
	if (rc >= 0)
		rc = reconcile_scores(app, db);
	db_close(db);
	return rc < 0 ? -1 : 0;
}

int app_start(struct app *app, const struct app_config *cfg)
{
	if (app_init(app, cfg) != 0 || http_start(app) != 0) {
		app_stop(app);
		return -1;
	}
	return 0;
}

void app_stop(struct app *app)
{
	http_stop(app);
	app_guides_free(app->guides, app->n_guides);
	tmpl_set_free(app->tmpl);
	json_decref(app->messages);
	json_decref(app->countries);
	json_decref(app->country_by_iso3);
	static_free(app->statics);
	free(app->root);
	free(app->db_path);
	sodium_memzero(app->secret, sizeof(app->secret));
	sodium_memzero(app->bootstrap_password, sizeof(app->bootstrap_password));
	memset(app, 0, sizeof(*app));
}

const char *app_msg(const struct app *app, const char *key)
{
	/* dotted keys walk the catalogue's sections: "status.draft" */
	const json_t *node = app->messages;
	const char *p = key;
	while (node && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		node = json_object_getn(node, p, n);
		p += n + (dot ? 1 : 0);
	}
	const char *s = json_string_value(node);
	return s ? s : key;
}
