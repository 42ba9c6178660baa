/* svg.c - server-side charts. See svg.h. */
#include "svg.h"

#include <string.h>

#include "util.h"

/* Geometry of the profile chart (user units; the chart scales with its box). */
#define W 740
#define LABEL_X 300   /* labels end here */
#define BAR_X 310     /* need 0 */
#define SCALE 3       /* units per need point: 100 -> 300 */
#define TOP 30        /* first row */
#define ROW 34
#define BAR_H 20

struct level_style {
	const char *level, *fill, *ink, *pattern; /* pattern: path drawn over the fill, or NULL */
	int tile;
};

static const struct level_style styles[] = {
	{"low", "#d4e9d9", "#1d6b35", NULL, 0},
	{"moderate", "#f6e7bf", "#8a6100", "M-2,2 l4,-4 M0,10 l10,-10 M8,12 l4,-4", 10},
	{"high", "#f8d5bd", "#b34700", "M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2", 6},
	{"critical", "#f5c9c5", "#b3261e", "M0,0 L6,6 M6,0 L0,6", 6},
};

static const struct level_style *style_of(const char *level)
{
	for (size_t i = 0; i < ARRAY_SIZE(styles); i++)
		if (strcmp(styles[i].level, level) == 0)
			return &styles[i];
	return NULL;
}

static void text(struct strbuf *out, const char *s)
{
	strbuf_add_html(out, s ? s : "", s ? strlen(s) : 0);
}

static void defs(struct strbuf *out, const char *id)
{
	strbuf_adds(out, "<defs>");
	for (size_t i = 0; i < ARRAY_SIZE(styles); i++) {
		const struct level_style *s = &styles[i];
		if (!s->pattern)
			continue;
		strbuf_addf(out,
			    "<pattern id=\"%s-p-%s\" patternUnits=\"userSpaceOnUse\" width=\"%d\" height=\"%d\">"
			    "<rect width=\"%d\" height=\"%d\" fill=\"%s\"/>"
			    "<path d=\"%s\" stroke=\"%s\" stroke-width=\"1.2\"/></pattern>",
			    id, s->level, s->tile, s->tile, s->tile, s->tile, s->fill, s->pattern, s->ink);
	}
	strbuf_adds(out, "</defs>");
}

/* The fill of a level: its pattern, or its plain colour. */
static void fill_of(struct strbuf *out, const char *id, const struct level_style *s)
{
	if (s->pattern)
		strbuf_addf(out, "url(#%s-p-%s)", id, s->level);
	else
		strbuf_adds(out, s->fill);
}

void svg_profile_chart(struct strbuf *out, const struct svg_profile *p)
{
	int rows_h = (int)p->n_bars * ROW;
	int legend_y = TOP + rows_h + 18;
	int h = legend_y + 40;
	strbuf_addf(out,
		    "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 %d %d\""
		    " width=\"%d\" height=\"%d\" aria-labelledby=\"%s-title %s-desc\""
		    " font-family=\"system-ui, sans-serif\" font-size=\"13\">",
		    W, h, W, h, p->id, p->id);
	strbuf_addf(out, "<title id=\"%s-title\">", p->id);
	text(out, p->title);
	strbuf_addf(out, "</title><desc id=\"%s-desc\">", p->id);
	text(out, p->desc);
	strbuf_adds(out, "</desc>");
	defs(out, p->id);

	/* the scale: lines at the level boundaries */
	for (int v = 0; v <= 100; v += 25) {
		int x = BAR_X + v * SCALE;
		strbuf_addf(out,
			    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#8a96a3\" stroke-width=\"1\"%s/>"
			    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#4a5562\">%d</text>",
			    x, TOP - 8, x, TOP + rows_h - 6, v ? " stroke-dasharray=\"3 3\"" : "", x, TOP - 12, v);
	}

	for (size_t i = 0; i < p->n_bars; i++) {
		const struct svg_bar *b = &p->bars[i];
		int y = TOP + (int)i * ROW;
		int ty = y + BAR_H / 2 + 5;
		strbuf_adds(out, "<g>");
		strbuf_addf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#1b1f24\">", LABEL_X, ty);
		text(out, b->label);
		strbuf_adds(out, "</text>");
		const struct level_style *s = style_of(b->level);
		bool marker = p->prev_label && b->prev_defined;
		if (b->defined && s) {
			int w = b->need * SCALE;
			strbuf_addf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"", BAR_X, y,
				    w > 0 ? w : 1, BAR_H);
			fill_of(out, p->id, s);
			strbuf_addf(out, "\" stroke=\"%s\" stroke-width=\"1.5\"/>", s->ink);
			/* the value goes after the bar and after the previous round's marker */
			int end = marker && b->prev_need > b->need ? b->prev_need * SCALE + 2 : w;
			strbuf_addf(out, "<text x=\"%d\" y=\"%d\" fill=\"#1b1f24\"><tspan font-weight=\"700\">%d</tspan> ",
				    BAR_X + end + 6, ty, b->need);
			text(out, b->level_text);
			strbuf_adds(out, "</text>");
		} else {
			strbuf_addf(out, "<text x=\"%d\" y=\"%d\" fill=\"#4a5562\" font-style=\"italic\">", BAR_X + 6, ty);
			text(out, p->no_data);
			strbuf_adds(out, "</text>");
		}
		if (marker) {
			int x = BAR_X + b->prev_need * SCALE;
			strbuf_addf(out,
				    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#1b1f24\" stroke-width=\"3\"/>",
				    x, y - 4, x, y + BAR_H + 4);
		}
		strbuf_adds(out, "</g>");
	}

	/* legend: the bars, the previous round's markers, the axis */
	strbuf_addf(out, "<rect x=\"%d\" y=\"%d\" width=\"18\" height=\"12\" fill=\"#e6eaee\" stroke=\"#4a5562\"/>",
		    BAR_X, legend_y - 10);
	strbuf_addf(out, "<text x=\"%d\" y=\"%d\" fill=\"#1b1f24\">", BAR_X + 24, legend_y);
	text(out, p->now_label);
	strbuf_adds(out, "</text>");
	if (p->prev_label) {
		int x = BAR_X + 150;
		strbuf_addf(out,
			    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#1b1f24\" stroke-width=\"3\"/>"
			    "<text x=\"%d\" y=\"%d\" fill=\"#1b1f24\">",
			    x, legend_y - 12, x, legend_y + 2, x + 8, legend_y);
		text(out, p->prev_label);
		strbuf_adds(out, "</text>");
	}
	strbuf_addf(out, "<text x=\"%d\" y=\"%d\" fill=\"#4a5562\">", BAR_X, legend_y + 24);
	text(out, p->axis_label);
	strbuf_adds(out, "</text></svg>");
}

void svg_heat_cell(struct strbuf *out, const char *level, const char *level_text, bool defined, int need)
{
	strbuf_addf(out, "<td class=\"lvl-%s\">", level);
	if (defined)
		strbuf_addf(out, "%d ", need);
	strbuf_adds(out, "<span>");
	text(out, level_text);
	strbuf_adds(out, "</span></td>");
}
