/* fuzz_tmpl.c - libFuzzer target: any bytes as a template, compiled, linked and
 * rendered over a fixed data set. */
#include <stddef.h>
#include <stdint.h>

#include "tmpl.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_t *view;
	if (!view) {
		util_init_jansson();
		view = json_loads("{\"a\":\"<x>\",\"b\":[1,2,{\"c\":true}],\"d\":{\"e\":\"f\"},\"n\":0.5}", 0, NULL);
	}
	char err[256];
	struct tmpl_set *set = tmpl_set_new();
	if (tmpl_set_add(set, "t", (const char *)data, size, err, sizeof(err)) == 0 &&
	    tmpl_set_add(set, "p", "{{a}}{{#b}}{{> t}}{{/b}}", 24, err, sizeof(err)) == 0 &&
	    tmpl_set_link(set, err, sizeof(err)) == 0) {
		struct strbuf out;
		strbuf_init(&out, 0);
		out.limit = 1 << 20;
		tmpl_render(set, "t", view, &out);
		strbuf_release(&out);
	}
	tmpl_set_free(set);
	return 0;
}
