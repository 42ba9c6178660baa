/* static.c - static files served from memory. */
#include "static.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "util.h"

#define STATIC_MAX_FILE (8u * 1024 * 1024)
#define STATIC_MAX_FILES 512

struct static_files {
	struct static_file *files;
	size_t n;
};

const char *static_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".css", "text/css; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
		{".ico", "image/x-icon"},
		{".woff2", "font/woff2"},
		{".json", "application/json; charset=utf-8"},
		{".txt", "text/plain; charset=utf-8"},
		{".html", "text/html; charset=utf-8"},
	};
	const char *dot = strrchr(name, '.');
	if (dot)
		for (size_t i = 0; i < ARRAY_SIZE(types); i++)
			if (strcmp(dot, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

/* FNV-1a over the content: the ETag changes exactly when the bytes do. */
static void make_etag(struct static_file *f)
{
	unsigned long long h = 1469598103934665603ull;
	for (size_t i = 0; i < f->len; i++) {
		h ^= (unsigned char)f->data[i];
		h *= 1099511628211ull;
	}
	snprintf(f->etag, sizeof(f->etag), "\"%016llx-%zx\"", h, f->len);
}

static int load_dir(struct static_files *s, const char *root, const char *rel)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s%s%s", root, *rel ? "/" : "", rel);
	DIR *d = opendir(path);
	if (!d)
		return log_error("cannot open static folder %s", path);
	struct dirent *e;
	int ret = 0;
	while (ret == 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char relname[1024], full[4096];
		snprintf(relname, sizeof(relname), "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		snprintf(full, sizeof(full), "%s/%s", root, relname);
		struct stat st;
		if (lstat(full, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			ret = load_dir(s, root, relname);
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		if (s->n >= STATIC_MAX_FILES) {
			ret = log_error("too many static files under %s", root);
			break;
		}
		size_t len;
		char *data = util_read_file(full, STATIC_MAX_FILE, &len);
		if (!data) {
			ret = log_error("cannot read static file %s", full);
			break;
		}
		s->files = xreallocarray(s->files, s->n + 1, sizeof(*s->files));
		struct static_file *f = &s->files[s->n++];
		f->name = xstrdup(relname);
		f->data = data;
		f->len = len;
		f->type = static_type(relname);
		make_etag(f);
		if (util_compressible(f->type) && len >= 256)
			f->gz = util_gzip(f->data, f->len, &f->gz_len);
		if (f->gz)
			snprintf(f->etag_gz, sizeof(f->etag_gz), "%.*s-gz\"", (int)strlen(f->etag) - 1, f->etag);
	}
	closedir(d);
	return ret;
}

struct static_files *static_load(const char *dir)
{
	struct static_files *s = xcalloc(1, sizeof(*s));
	if (load_dir(s, dir, "") != 0) {
		static_free(s);
		return NULL;
	}
	return s;
}

void static_free(struct static_files *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->files[i].name);
		free(s->files[i].data);
		free(s->files[i].gz);
	}
	free(s->files);
	free(s);
}

static int bad_segment(const char *path)
{
	const char *p = path;
	for (;;) {
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return 1;
		if (memchr(p, '\\', n))
			return 1;
		if (!end)
			return 0;
		p = end + 1;
	}
}

const struct static_file *static_find(const struct static_files *s, const char *path)
{
	if (!s || !*path || bad_segment(path))
		return NULL;
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->files[i].name, path) == 0)
			return &s->files[i];
	return NULL;
}
