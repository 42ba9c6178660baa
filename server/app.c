/* app.c - loading everything the server needs, once, and starting/stopping it. */
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
static int render_guidance(struct app *app)
{
	app->guidance_html = json_object();
	for (size_t i = 0; i < app->guide->n_questions; i++) {
		const struct guide_question *q = &app->guide->questions[i];
		const char *md = guide_text(json_object_get(q->json, "guidance"), "en");
		if (!*md)
			continue;
		struct strbuf sb;
		strbuf_init(&sb, strlen(md) * 2);
		if (md_html(md, (MD_SIZE)strlen(md), md_out, &sb, MD_FLAG_NOHTML | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH,
			    0) != 0) {
			strbuf_release(&sb);
			return log_error("guidance of question %s is not valid markdown", q->id);
		}
		json_object_set_new(app->guidance_html, q->id, json_stringn(sb.buf, sb.len));
		strbuf_release(&sb);
	}
	return 0;
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

/* Recomputes the stored scores that another guide made (or that are missing),
 * keyed by a hash of the guide as loaded. */
static int reconcile_scores(struct app *app, struct db *db)
{
	unsigned char h[16];
	char hex[33];
	crypto_generichash(h, sizeof(h), (const unsigned char *)app->guide_api, app->guide_api_len, NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	int n = db_scores_reconcile(db, app->guide, hex);
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

	char *guide_path = cfg->guide_path ? xstrdup(cfg->guide_path) : path_join(app->root, "schema/guide.json");
	struct guide_problems problems = {0};
	app->guide = guide_load_file(guide_path, &problems);
	if (!app->guide) {
		for (size_t i = 0; i < problems.n; i++)
			log_error("guide %s: %s: %s", guide_path, problems.items[i].path, problems.items[i].message);
		if (!problems.n)
			log_error("guide %s cannot be loaded", guide_path);
		guide_problems_free(&problems);
		free(guide_path);
		return -1;
	}
	free(guide_path);
	app->guide_api = json_dumps(app->guide->root, JSON_COMPACT | JSON_ENSURE_ASCII);
	app->guide_api_len = strlen(app->guide_api);
	if (render_guidance(app) != 0)
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
	guide_free(app->guide);
	tmpl_set_free(app->tmpl);
	json_decref(app->messages);
	json_decref(app->countries);
	json_decref(app->country_by_iso3);
	json_decref(app->guidance_html);
	free(app->guide_api);
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
