/* static.h - the files under static/, loaded once at start and served from memory
 * with their type, an ETag and caching headers. A path not in the table is simply
 * not found, so no request can reach outside the folder. */
#ifndef SOMGUIDE_STATIC_H
#define SOMGUIDE_STATIC_H

#include <stddef.h>

struct static_file {
	char *name;          /* path under static/, e.g. "css/site.css" */
	char *data;
	size_t len;
	const char *type;
	char etag[40];
	char *gz;            /* the gzip of data, made once; NULL when not worth it */
	size_t gz_len;
	char etag_gz[48];    /* the compressed variant has its own ETag */
};

struct static_files;

/* Loads every regular file under dir (recursively, no symlinks followed, no dot
 * files). NULL on error (logged). */
struct static_files *static_load(const char *dir);
void static_free(struct static_files *s);
/* The file for a request path (already percent-decoded); NULL when not there or
 * when the path has an empty, "." or ".." segment. */
const struct static_file *static_find(const struct static_files *s, const char *path);
/* Type for a file name by extension. */
const char *static_type(const char *name);

#endif
