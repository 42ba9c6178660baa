/* evidence.c - the allow-list of evidence types, content sniffing, safe file
 * names and Content-Disposition. */
#include "evidence.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "strbuf.h"
#include "util.h"

enum sniff { S_PDF, S_DOCX, S_XLSX, S_ODT, S_ODS, S_TEXT, S_PNG, S_JPEG };

static const struct evidence_type types[] = {
	[S_PDF] = {"application/pdf", "PDF", "application/pdf"},
	[S_DOCX] = {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (DOCX)",
		    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	[S_XLSX] = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)",
		    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	[S_ODT] = {"application/vnd.oasis.opendocument.text", "OpenDocument text (ODT)",
		   "application/vnd.oasis.opendocument.text"},
	[S_ODS] = {"application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet (ODS)",
		   "application/vnd.oasis.opendocument.spreadsheet"},
	[S_TEXT] = {"text/plain", "text (TXT)", "text/plain; charset=utf-8"},
	[S_PNG] = {"image/png", "PNG image", "image/png"},
	[S_JPEG] = {"image/jpeg", "JPEG image", "image/jpeg"},
};
static const struct evidence_type type_csv = {"text/csv", "CSV", "text/csv; charset=utf-8"};

static const struct {
	const char *ext;
	enum sniff sniff;
	const struct evidence_type *type;
} by_ext[] = {
	{"pdf", S_PDF, &types[S_PDF]},   {"docx", S_DOCX, &types[S_DOCX]}, {"xlsx", S_XLSX, &types[S_XLSX]},
	{"odt", S_ODT, &types[S_ODT]},   {"ods", S_ODS, &types[S_ODS]},    {"csv", S_TEXT, &type_csv},
	{"txt", S_TEXT, &types[S_TEXT]}, {"png", S_PNG, &types[S_PNG]},    {"jpg", S_JPEG, &types[S_JPEG]},
	{"jpeg", S_JPEG, &types[S_JPEG]},
};

const char *evidence_types_text(void)
{
	return "PDF, Word (DOCX), Excel (XLSX), OpenDocument text or spreadsheet (ODT, ODS), CSV, plain text (TXT), "
	       "PNG or JPEG images";
}

const char *evidence_accept(void)
{
	return ".pdf,.docx,.xlsx,.odt,.ods,.csv,.txt,.png,.jpg,.jpeg";
}

const struct evidence_type *evidence_type_by_media(const char *t)
{
	if (!t)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		if (strcmp(types[i].media_type, t) == 0)
			return &types[i];
	if (strcmp(type_csv.media_type, t) == 0)
		return &type_csv;
	return NULL;
}

static bool has(const unsigned char *d, size_t len, const char *needle)
{
	return memmem(d, len, needle, strlen(needle)) != NULL;
}

static unsigned le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* An OpenDocument package: a ZIP whose first entry is "mimetype", stored, holding
 * exactly mt (ODF 1.2 part 3, 3.3). */
static bool odf_is(const unsigned char *d, size_t len, const char *mt)
{
	size_t mlen = strlen(mt);
	if (len < 30 + 8 + mlen || le16(d + 8) != 0 || le16(d + 26) != 8 || memcmp(d + 30, "mimetype", 8) != 0)
		return false;
	size_t start = 30 + 8 + le16(d + 28);
	return le32(d + 18) == mlen && start + mlen <= len && memcmp(d + start, mt, mlen) == 0;
}

static bool sniff_ok(enum sniff s, const unsigned char *d, size_t len)
{
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	bool zip = len >= 30 && memcmp(d, "PK\x03\x04", 4) == 0;
	switch (s) {
	case S_PDF:
		return has(d, len < 1024 ? len : 1024, "%PDF-");
	case S_DOCX:
		return zip && has(d, len, "[Content_Types].xml") && has(d, len, "word/");
	case S_XLSX:
		return zip && has(d, len, "[Content_Types].xml") && has(d, len, "xl/");
	case S_ODT:
		return zip && odf_is(d, len, "application/vnd.oasis.opendocument.text");
	case S_ODS:
		return zip && odf_is(d, len, "application/vnd.oasis.opendocument.spreadsheet");
	case S_TEXT: {
		if (len >= 3 && memcmp(d, "\xef\xbb\xbf", 3) == 0) {
			d += 3;
			len -= 3;
		}
		return len > 0 && util_utf8_valid((const char *)d, len);
	}
	case S_PNG:
		return len > sizeof(png) && memcmp(d, png, sizeof(png)) == 0;
	case S_JPEG:
		return len > 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff;
	}
	return false;
}

const struct evidence_type *evidence_sniff(const char *name, const void *data, size_t len)
{
	const char *dot = name ? strrchr(name, '.') : NULL;
	if (!dot || !data || len == 0)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(by_ext); i++) {
		if (strcasecmp(dot + 1, by_ext[i].ext) != 0)
			continue;
		return sniff_ok(by_ext[i].sniff, data, len) ? by_ext[i].type : NULL;
	}
	return NULL;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes) and its code point;
 * 0 when the bytes are not one. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned c = s[0];
	size_t len;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		len = 2, v = c & 0x1f, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3, v = c & 0x0f, min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[k] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

/* Characters that make a name lie about itself or break a header or a file system:
 * C1 controls, bidirectional overrides and isolates, zero-width and line
 * separators, the byte order mark. */
static bool cp_refused(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff;
}

void evidence_sanitize_name(const char *in, char out[static EVIDENCE_NAME_MAX + 1])
{
	if (!in)
		in = "";
	const char *base = in;
	for (const char *p = in; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	/* clean the whole name (a multipart header bounds it), then cut it to size */
	struct strbuf sb;
	strbuf_init(&sb, 64);
	const unsigned char *s = (const unsigned char *)base;
	size_t n = strlen(base);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = utf8_seq(s + i, n - i, &cp);
		if (k == 0) {
			strbuf_addch(&sb, '_');
			i++;
			continue;
		}
		bool bad = cp < 0x80 ? cp < 0x20 || cp == 0x7f || strchr("\"\\/:*?<>|", (int)cp) : cp_refused(cp);
		if (bad)
			strbuf_addch(&sb, '_');
		else
			strbuf_add(&sb, (const char *)s + i, k);
		i += k;
	}
	/* no leading dots or spaces (hidden files, "..") nor trailing ones (Windows) */
	size_t a = 0, b = sb.len;
	while (a < b && (sb.buf[a] == '.' || sb.buf[a] == ' '))
		a++;
	while (b > a && (sb.buf[b - 1] == '.' || sb.buf[b - 1] == ' '))
		b--;
	const char *name = sb.buf + a;
	size_t len = b - a;
	if (len > EVIDENCE_NAME_MAX) {
		/* keep a short extension; cut the stem on a character boundary */
		const char *dot = memrchr(name, '.', len);
		size_t ext = dot && (size_t)(name + len - dot) <= 10 ? (size_t)(name + len - dot) : 0;
		size_t stem = EVIDENCE_NAME_MAX - ext;
		while (stem > 0 && ((unsigned char)name[stem] & 0xc0) == 0x80)
			stem--;
		memcpy(out, name, stem);
		memcpy(out + stem, name + len - ext, ext);
		out[stem + ext] = '\0';
	} else {
		memcpy(out, name, len);
		out[len] = '\0';
	}
	if (!out[0] || out[0] == '.') {
		char ext[EVIDENCE_NAME_MAX + 1];
		memcpy(ext, out, sizeof(ext));
		snprintf(out, EVIDENCE_NAME_MAX + 1, "file%.*s", EVIDENCE_NAME_MAX - 4, ext);
	}
	strbuf_release(&sb);
}

char *evidence_disposition(const char *name)
{
	struct strbuf sb;
	strbuf_init(&sb, 64 + 4 * strlen(name));
	strbuf_adds(&sb, "attachment; filename=\"");
	const unsigned char *s = (const unsigned char *)name;
	for (size_t i = 0; s[i];) {
		uint32_t cp;
		size_t k = utf8_seq(s + i, strlen((const char *)s + i), &cp);
		if (k == 0) {
			k = 1;
			cp = 0xfffd;
		}
		if (cp < 0x20 || cp >= 0x7f || cp == '"' || cp == '\\' || k > 1)
			strbuf_addch(&sb, '_');
		else
			strbuf_addch(&sb, (char)cp);
		i += k;
	}
	strbuf_adds(&sb, "\"; filename*=UTF-8''");
	for (size_t i = 0; s[i]; i++) {
		unsigned char c = s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr("!#$&+-.^_`|~", c))
			strbuf_addch(&sb, (char)c);
		else
			strbuf_addf(&sb, "%%%02X", c);
	}
	return strbuf_detach(&sb, NULL);
}

void evidence_size_text(long long bytes, char *buf, size_t n)
{
	if (bytes < 1024)
		snprintf(buf, n, "%lld bytes", bytes);
	else if (bytes < 1024 * 1024)
		snprintf(buf, n, "%lld KB", (bytes + 1023) / 1024);
	else if (bytes % (1024 * 1024) == 0)
		snprintf(buf, n, "%lld MB", bytes / (1024 * 1024));
	else
		snprintf(buf, n, "%.1f MB", (double)bytes / (1024.0 * 1024.0));
}
