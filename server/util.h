/* util.h - checked allocation, small helpers shared by every module. */
#ifndef SOMGUIDE_UTIL_H
#define SOMGUIDE_UTIL_H

#include <stddef.h>
#include <stdbool.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation that aborts on out-of-memory or size overflow; never returns NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Overflow-checked nmemb*size reallocation. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Installs xmalloc/free as Jansson's allocator. Call once at start. */
void util_init_jansson(void);

/* Reads a whole file into a new NUL-terminated buffer (caller frees); NULL on error
 * with errno set. *len receives the length when len is not NULL. Refuses files
 * larger than max bytes (errno = EFBIG). */
char *util_read_file(const char *path, size_t max, size_t *len);

/* true when s is a valid UTF-8 string of len bytes with no NUL and no C0 control
 * characters except tab, CR, LF. */
bool util_utf8_valid(const char *s, size_t len);

/* Replaces, in place, every byte of s that is not part of a valid UTF-8 sequence
 * (including a sequence cut short at the end) with '?'. Control characters are
 * kept. For text that came from outside and goes into JSON or HTML. */
void util_utf8_sanitize(char *s);

/* gzip (RFC 1952) of len bytes at in: a new buffer (caller frees) of *outlen bytes,
 * or NULL when it fails or would not be smaller. */
char *util_gzip(const void *in, size_t len, size_t *outlen);

/* true for media types worth compressing (text, JSON, SVG). */
bool util_compressible(const char *type);

/* Constant-time comparison of two equal-length buffers. */
bool util_ct_equal(const void *a, const void *b, size_t n);

/* Current time in seconds since the epoch / as an ISO 8601 UTC string into buf[21]. */
long long util_now(void);
void util_iso8601(long long t, char buf[static 21]);

/* Validates a calendar date "YYYY-MM-DD". */
bool util_date_valid(const char *s);

#endif
