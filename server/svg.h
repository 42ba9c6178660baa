/* svg.h - charts drawn by the server as inline SVG: readable without JavaScript,
 * in print and in greyscale (every bar carries its value and level as text, and
 * each level has its own fill pattern as well as its colour). Only presentation
 * attributes are used, no style attributes, so the page's Content-Security-Policy
 * (style-src 'self') does not hide anything. */
#ifndef SOMGUIDE_SVG_H
#define SOMGUIDE_SVG_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* One bar of the needs profile. Strings are plain text (escaped here). */
struct svg_bar {
	const char *label;       /* the area's title */
	bool defined;            /* need defined */
	int need;                /* 0..100 */
	const char *level;       /* "low", "moderate", "high", "critical" or "unknown" */
	const char *level_text;  /* the level as shown to people */
	bool prev_defined;       /* a need in the previous round (drawn as a marker) */
	int prev_need;
};

struct svg_profile {
	const char *id;          /* prefix of the element ids, unique in the page ([a-z0-9-]) */
	const char *title;       /* <title> */
	const char *desc;        /* <desc>: the whole chart in words */
	const struct svg_bar *bars;
	size_t n_bars;
	const char *axis_label;  /* e.g. "Need (0 = none, 100 = greatest)" */
	const char *no_data;     /* text of a bar whose need is undefined */
	const char *now_label;   /* legend of the bars, e.g. "2026" */
	const char *prev_label;  /* legend of the markers; NULL when there is no previous round */
};

/* Appends a horizontal bar chart of the needs (0..100) to out: <svg role="img">
 * with <title> and <desc> referenced by aria-labelledby. */
void svg_profile_chart(struct strbuf *out, const struct svg_profile *p);

/* The heatmap of the dashboard is an HTML table (so that screen readers read it as
 * data and it prints page by page); this writes one of its cells:
 * <td class="lvl-LEVEL">NEED <span>LEVEL TEXT</span></td>, the need left out when
 * undefined. The level is a level id ("low".."critical", "unknown"); its colour
 * and pattern come from the stylesheet. Thousands of these make a page, so they
 * are written here rather than through the template engine. */
void svg_heat_cell(struct strbuf *out, const char *level, const char *level_text, bool defined, int need);

#endif
