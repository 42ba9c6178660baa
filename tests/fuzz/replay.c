/* replay.c - runs a fuzz target over every file of its corpus folder, so that each
 * input that once crashed stays a regression test in `make test` (compiled with the
 * normal compiler; under `make check` with the sanitizers). Prints a CMocka-style
 * summary. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	if (argc > 2) {
		fprintf(stderr, "usage: %s [CORPUS_DIR]\n", argv[0]);
		return 2;
	}
	const char *dir = argc == 2 ? argv[1] : CORPUS;
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "cannot open %s\n", dir);
		return 1;
	}
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		size_t len;
		char *buf = util_read_file(path, 16 * 1024 * 1024, &len);
		if (!buf)
			continue;
		LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
		free(buf);
		n++;
	}
	closedir(d);
	printf("[==========] %d input(s) of %s replayed.\n[  PASSED  ] %d test(s).\n", n, dir, n);
	return 0;
}
