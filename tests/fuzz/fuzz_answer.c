/* fuzz_answer.c - libFuzzer target: any bytes as a JSON answer value for every
 * question of the fixture guide (what PUT .../answers feeds guide_parse_answer). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "guide.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct guide *g;
	if (!g) {
		util_init_jansson();
		struct guide_problems p = {0};
		g = guide_load_file("tests/fixtures/guide-small.json", &p);
		guide_problems_free(&p);
		if (!g)
			abort();
	}
	json_t *v = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
	if (!v)
		return 0;
	for (size_t i = 0; i < g->n_questions; i++) {
		struct answer a;
		char err[200];
		guide_parse_answer(&g->questions[i], v, &a, err, sizeof(err));
	}
	json_decref(v);
	return 0;
}
