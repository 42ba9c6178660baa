/* htmlcheck.h - a strict well-formedness check of the HTML the server writes.
 *
 * The templates close every element they open (no implied end tags), so the check
 * is simple and strict: one doctype, every start tag matched by its end tag in
 * order (void elements such as <br> and <input> excepted, and <x .../> accepted
 * for SVG), attribute values quoted, no duplicate id, no stray '<' or '&' that is
 * not a character reference, script and style contents skipped, comments closed. */
#ifndef SOMGUIDE_HTMLCHECK_H
#define SOMGUIDE_HTMLCHECK_H

#include <stddef.h>

/* 0 when html (len bytes) passes; else -1 with "line N: problem" in err. */
int html_check(const char *html, size_t len, char *err, size_t errlen);

#endif
