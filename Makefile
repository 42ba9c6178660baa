# somguide - see README.md
CC       ?= cc
PKGS     := libmicrohttpd sqlite3 jansson libsodium md4c-html xlsxwriter zlib
TESTPKGS := cmocka libcurl
BUILD    ?= build
OPT      ?= -O2 -g
SAN      ?=
# CFLAGS and LDFLAGS stay free for the caller; the project's flags live here
ALL_CFLAGS = $(OPT) $(SAN) -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-truncation -Wno-unused-parameter \
            -MMD -MP $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CFLAGS)
ALL_LDFLAGS = $(SAN) $(LDFLAGS)
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
TESTLIBS := $(shell pkg-config --libs $(TESTPKGS) 2>/dev/null)

SRCS     := $(wildcard server/*.c)
OBJS     := $(SRCS:server/%.c=$(BUILD)/obj/%.o)
LIBOBJS  := $(filter-out $(BUILD)/obj/main.o,$(OBJS))
UNIT     := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))
INTEG    := $(patsubst tests/integration/%.c,$(BUILD)/tests/%,$(wildcard tests/integration/test_*.c))
TESTSUPPORT := $(wildcard tests/support/*.c)
FUZZ     := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
REPLAY   := $(FUZZ:%=$(BUILD)/fuzz/replay_%)
# tests that are scripts (the JSON Schema check runs on Node)
SCRIPTTESTS := tests/schema/run

.PHONY: all run test check clean deps run-deps bench demo browser unit integration fuzz
all: $(BUILD)/somguide

deps:
	@scripts/install-deps --if-missing

# make run needs no test tools (no Node, no CMocka): a newcomer's first command stays quick
run-deps:
	@scripts/install-deps --if-missing --run-only

$(BUILD)/obj/%.o: server/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Iserver -c $< -o $@

$(BUILD)/somguide: $(OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIBOBJS) $(TESTSUPPORT)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Iserver -Itests/support $(ALL_LDFLAGS) -o $@ $< $(TESTSUPPORT) $(LIBOBJS) $(LDLIBS) $(TESTLIBS)

$(BUILD)/tests/%: tests/integration/%.c $(LIBOBJS) $(TESTSUPPORT)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Iserver -Itests/support $(ALL_LDFLAGS) -o $@ $< $(TESTSUPPORT) $(LIBOBJS) $(LDLIBS) $(TESTLIBS)

# every fuzz target replays its corpus (kept crash inputs included) in make test
$(BUILD)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(LIBOBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Iserver -DCORPUS='"tests/fuzz/corpus/$*"' $(ALL_LDFLAGS) -o $@ $< tests/fuzz/replay.c $(LIBOBJS) $(LDLIBS)

# make fuzz [FUZZ_SECONDS=30]: runs each libFuzzer target (clang) over its corpus;
# a crash is written into the corpus, where make test replays it from then on
FUZZ_SECONDS ?= 30
FUZZ_SRCS := server/guide.c server/tmpl.c server/strbuf.c server/util.c server/log.c
fuzz:
	@mkdir -p build-fuzz
	@for t in $(FUZZ); do \
	  clang -O1 -g -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE -Iserver \
	    $$(pkg-config --cflags jansson) -o build-fuzz/fuzz_$$t tests/fuzz/fuzz_$$t.c $(FUZZ_SRCS) \
	    $$(pkg-config --libs jansson) -lm || exit 1; \
	  mkdir -p build-fuzz/corpus_$$t; \
	  build-fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=tests/fuzz/corpus/$$t/crash- \
	    build-fuzz/corpus_$$t tests/fuzz/corpus/$$t || exit 1; \
	done

# make run [DB=path]: the server on http://127.0.0.1:8080 with that database
DB ?= data/somguide.db
# (the build runs in a new make, which reads pkg-config's flags after the install)
run: run-deps
	@$(MAKE) --no-print-directory $(BUILD)/somguide
	@mkdir -p $(dir $(DB))
	$(BUILD)/somguide serve --db $(DB)

# make demo [DEMO_DB=path]: the demo data set (generated, fictional: every country,
# two rounds, actions, carried-over answers, comments, accounts) in a new database,
# replacing an earlier demo there (never another database); then make run DB=...
DEMO_DB ?= data/demo.db
demo: run-deps
	@$(MAKE) --no-print-directory $(BUILD)/somguide
	@mkdir -p $(dir $(DEMO_DB))
	@$(BUILD)/somguide demo --replace --db $(DEMO_DB)
	@echo "now: make run DB=$(DEMO_DB)   (then open http://127.0.0.1:8080 and sign in with an account above)"

unit: $(UNIT) $(REPLAY)
integration: $(INTEG) $(BUILD)/somguide

test: deps
	@$(MAKE) --no-print-directory $(BUILD)/somguide unit integration
	@SOMGUIDE_BIN=$(BUILD)/somguide scripts/run-tests $(UNIT) $(REPLAY) $(INTEG) $(SCRIPTTESTS)

check: deps
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" test

# make bench: every country, two rounds of generated assessments, wrk against the
# dashboard and a results page on loopback (bench/run; BENCH_SECONDS, BENCH_CONNECTIONS)
bench:
	@scripts/install-deps --if-missing --bench
	@$(MAKE) --no-print-directory $(BUILD)/somguide
	@BUILD=$(BUILD) bench/run

# make browser: the whole story in headless Chromium (Debian's chromium) against
# $(BUILD)/somguide on a temporary database (tests/browser/run; .ci/run runs it too)
browser:
	@scripts/install-deps --if-missing --browser
	@$(MAKE) --no-print-directory $(BUILD)/somguide
	@SOMGUIDE_BIN=$(BUILD)/somguide tests/browser/run

clean:
	rm -rf build build-asan build-fuzz

-include $(OBJS:.o=.d)
