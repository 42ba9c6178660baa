/* fuzz_guide.c - libFuzzer target: any bytes through the guide loader. It must
 * return a guide or problems, never crash, leak or read out of bounds. */
#include <stddef.h>
#include <stdint.h>

#include "guide.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	if (!init) {
		util_init_jansson();
		init = 1;
	}
	struct guide_problems p = {0};
	struct guide *g = guide_load_buffer((const char *)data, size, &p);
	guide_free(g);
	guide_problems_free(&p);
	return 0;
}
