/* evidence.h - what an evidence file may be: the allow-list of types checked by
 * content sniffing and extension, file names made safe, and the
 * Content-Disposition header that hands a file back. Pure functions: no HTTP, no
 * SQL. */
#ifndef SOMGUIDE_EVIDENCE_H
#define SOMGUIDE_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>

#define EVIDENCE_NAME_MAX 120 /* bytes of a sanitized file name */

struct evidence_type {
	const char *media_type; /* stored, and sent back as Content-Type (text types with charset) */
	const char *label;      /* "PDF", "Word (DOCX)", ... */
	const char *serve_type; /* the Content-Type header when served */
};

/* The type of a file named name (a sanitized name) holding data[len], or NULL when
 * it is not on the allow-list: the extension must name an allowed type and the
 * content must look like it. */
const struct evidence_type *evidence_sniff(const char *name, const void *data, size_t len);

/* The allow-list entry whose media type is t; NULL when t is not one. */
const struct evidence_type *evidence_type_by_media(const char *t);

/* The accepted types for messages: "PDF, Word (DOCX), ..." (static). */
const char *evidence_types_text(void);
/* The accept attribute of a file input: ".pdf,.docx,..." (static). */
const char *evidence_accept(void);

/* A safe file name from what a browser sent (any bytes, may be NULL): the last
 * path component, without control characters, quotes, slashes and the characters
 * Windows refuses, no leading dots or spaces, valid UTF-8 (invalid bytes become
 * '_'), at most EVIDENCE_NAME_MAX bytes with the extension kept. Never empty:
 * "file" when nothing is left. Writes into out[EVIDENCE_NAME_MAX + 1]. */
void evidence_sanitize_name(const char *in, char out[static EVIDENCE_NAME_MAX + 1]);

/* The Content-Disposition value for a download of a file named name (sanitized):
 * attachment; filename="ASCII fallback"; filename*=UTF-8''percent-encoded
 * (RFC 6266, RFC 8187). Returns a new string the caller frees. */
char *evidence_disposition(const char *name);

/* "12 KB", "3.4 MB" into buf. */
void evidence_size_text(long long bytes, char *buf, size_t n);

#endif
