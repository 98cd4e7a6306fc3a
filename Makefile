# valuesbot - one Makefile (redis style).  `make help` lists the targets.
#
#   make            build build/valuesbot
#   make run        install what is missing, build, start the bot (the web chat when no platform)
#   make test       install what is missing, build, run every test, then again
#                   under ASan+UBSan; fails on an evaluation-set regression
#   make eval       accuracy of the answer engine on tests/eval/questions.jsonl
#   make corpus     build a KB from every page of ../shared/corpus and score it
#   make bench      benchmarks under tests/bench (figures for the README)
#   make bench-slack  Slack adapter benchmark against the fake server
#   make sdk-check  each platform's official SDK against its fake server (tests/fakes/*-check)
#   make fuzz       build the libFuzzer targets; `make fuzz-run` runs each briefly
#   make lint       clang-format check, scripts/checksrc.sh, cppcheck
#   make kb         rebuild knowledge/<org>.json from knowledge/sources and overlays
#   make install    install the binary, KBs and example config (PREFIX, DESTDIR)
#   make image-check  build the Dockerfile with buildah (no Docker engine) and run it

CC      ?= gcc
SAN     ?= 0
WERROR  ?= $(if $(CI),1,0)
PREFIX  ?= /usr/local
DATADIR ?= $(PREFIX)/share/valuesbot

BUILD   := $(if $(filter 1,$(SAN)),build/san,build)
PKGS    := jansson libutf8proc sqlite3 libwebsockets libcurl libuv openssl libxml-2.0
CFLAGS  := -std=c17 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic -Wshadow \
           -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla -g -O2 -I. \
           -DVALUESBOT_DATADIR='"$(DATADIR)"' -MMD -MP
ifeq ($(WERROR),1)
CFLAGS  += -Werror
endif
ifeq ($(SAN),1)
CFLAGS  += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LIBS    = $(PKG_LIBS) -l:libstemmer.a -lm
# The lean valuesbot (bot/main.c) links only what its commands use.
LEAN_PKGS := jansson libutf8proc sqlite3
LEAN_LIBS  = $(shell pkg-config --libs $(LEAN_PKGS) 2>/dev/null) -l:libstemmer.a -lm
LIBEXECDIR ?= $(PREFIX)/libexec/valuesbot

SRCS     := $(shell find bot -name '*.c' | sort)
LIB_SRCS := $(filter-out bot/main.c,$(SRCS))
# The web chat's page, style and scripts, embedded at build time.
WEB_ASSETS := $(sort $(wildcard bot/adapters/web/assets/*.html bot/adapters/web/assets/*.css \
                bot/adapters/web/assets/*.js bot/adapters/web/assets/*.svg))
GEN_SRCS := build/gen/web_assets.c
# The meaning table's object last: its 5 MB of read-only data, read from the
# file and never through the mapping (bot/kb/kb_related_table.c), then sits
# after the program's other read-only data rather than between its hot parts,
# whose large page-cache folios would map pieces of it.
REL_DATA_OBJ := $(BUILD)/obj/bot/kb/kb_related_data.o
LIB_OBJS := $(filter-out $(REL_DATA_OBJ),$(LIB_SRCS:%.c=$(BUILD)/obj/%.o)) \
            $(GEN_SRCS:%.c=$(BUILD)/obj/%.o) $(REL_DATA_OBJ)
TEST_SRCS := $(shell find tests -path tests/fuzz -prune -o -path tests/bench -prune -o \
               -path tests/fakes -prune -o -name 'test_*.c' -print | sort)
TEST_BINS := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/%)
FUZZ_SECONDS ?= 10

.PHONY: all run test test-run test-unit test-integration test-browser sdk-check eval memcheck corpus bench bench-slack bench-web fuzz fuzz-run lint format kb \
        deps clean help install image-check

all: $(BUILD)/valuesbot $(BUILD)/valuesbot-net

help:
	@sed -n '3,15p' Makefile | sed 's/^# \{0,1\}//'

deps:
	@scripts/install-deps.sh

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

build/gen/web_assets.c: $(WEB_ASSETS) scripts/embed-assets.py
	@scripts/embed-assets.py $@ $(WEB_ASSETS)

# Two programs from one set of objects (bot/main.c says why): valuesbot-net,
# the whole program, and valuesbot, which links from an archive only the
# objects its own commands reach and runs valuesbot-net for the rest.
# The export lets GnuTLS's constructor see main.c's _gnutls_global_init_skip.
$(BUILD)/valuesbot-net: $(BUILD)/obj/bot/main.o $(LIB_OBJS)
	$(CC) $(LDFLAGS) -Wl,--export-dynamic-symbol=_gnutls_global_init_skip -o $@ $^ $(LIBS)

$(BUILD)/libvaluesbot.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/obj/bot/main-lean.o: bot/main.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DVALUESBOT_LEAN -DVALUESBOT_LIBEXECDIR='"$(LIBEXECDIR)"' -c $< -o $@

$(BUILD)/valuesbot: $(BUILD)/obj/bot/main-lean.o $(BUILD)/libvaluesbot.a | $(BUILD)/valuesbot-net
	$(CC) $(LDFLAGS) -o $@ $^ $(LEAN_LIBS)

$(BUILD)/tests/%: tests/%.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Wno-missing-prototypes -o $@ $< $(LIB_OBJS) \
	    $(LDFLAGS) $(LIBS) -lcriterion

# The daemon: the configured chat platforms, or, with none configured, the
# web chat (it logs the address to open).  The terminal chat stays at
# `build/valuesbot chat`.
run: deps
	@$(MAKE) --no-print-directory all
	@echo "(terminal chat instead: $(BUILD)/valuesbot chat)"
	@exec $(BUILD)/valuesbot run

# Every Criterion test, then the evaluation gate, then all of it again under
# ASan+UBSan.  Criterion runs each test in its own process.
test: deps
	@$(MAKE) --no-print-directory test-run
	@$(MAKE) --no-print-directory test-run SAN=1

test-run: test-unit
	@$(MAKE) --no-print-directory test-integration

# Every Criterion test and the evaluation gate, without the fake servers.
test-unit: $(BUILD)/valuesbot $(TEST_BINS)
	@set -e; for t in $(TEST_BINS); do \
	    echo "== $$t"; VALUESBOT_BIN=$(BUILD)/valuesbot $$t --jobs=2 -q; done
	@echo "== eval gate"; scripts/eval.sh $(BUILD)/valuesbot --gate
	@echo "== corpus"; scripts/corpus.py --bin $(BUILD)/valuesbot --show 10 --if-present

# Every page of ../shared/corpus built from text, HTML and PDF and compared
# with its labels; fails below 100% recall of value names and goal titles
# or on an invented value or goal (formats whose reader is there).
corpus: $(BUILD)/valuesbot
	@scripts/corpus.py --bin $(BUILD)/valuesbot

# The real binary against the fake Slack, Mattermost and Teams servers
# (tests/fakes), the test classes cut into shards run at once; then the web
# chat in headless chromium (tests/browser), alone: its rate-limit test
# needs questions typed faster than the limit refills; then the fakes
# against the platforms' own SDKs (sdk-check, about 30 s, loopback only).
test-integration: $(BUILD)/valuesbot
	@scripts/test-integration.sh $(BUILD)/valuesbot
	@tests/browser/run.sh $(BUILD)/valuesbot
	@$(MAKE) --no-print-directory sdk-check

# Each platform's official SDK or client (botbuilder, Slack Bolt, Mattermost's
# Client4 and WebSocketClient) run against its fake server, to show the fakes
# speak what the platforms speak (tests/fakes/*-check; packages from deps).
sdk-check: deps
	@scripts/sdk-check.sh

# The web chat in headless chromium (tests/browser; screenshots in build/browser).
test-browser: $(BUILD)/valuesbot
	@tests/browser/run.sh $(BUILD)/valuesbot

# Every question of every set through `ask` (and every corpus page through `kb
# build`) under valgrind's memcheck: faults only some questions reach.
memcheck: $(BUILD)/valuesbot
	@scripts/memcheck.py $(BUILD)/valuesbot

eval: deps all
	@scripts/eval.sh $(BUILD)/valuesbot

bench: deps all build/bench/bench_answer build/bench/bench_kb_build
	@scripts/bench.sh build/valuesbot build/bench/bench_answer
	@echo "== kb build, in process (tests/bench/bench_kb_build.c over the corpus pages)"
	@if [ -d ../shared/corpus/pages ]; then \
	    build/bench/bench_kb_build -q ../shared/corpus/pages/*.txt; \
	else build/bench/bench_kb_build -q knowledge/sources/*.txt; fi

build/bench/%: tests/bench/%.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Wno-missing-prototypes -o $@ $< $(LIB_OBJS) \
	    $(LDFLAGS) $(LIBS)

bench-slack: all
	@scripts/bench-slack.sh build/valuesbot

# The web chat under 1000 concurrent WebSocket sessions (tests/bench/bench_web.py).
bench-web: all
	@python3 tests/bench/bench_web.py --bin build/valuesbot

fuzz: deps $(FUZZ_BINS)

# The library is compiled once for every fuzz target (fuzzer-no-link: the
# coverage instrumentation without a second main), each target linked to it.
FUZZ_CFLAGS := -std=c17 -D_POSIX_C_SOURCE=200809L -g -O1 -I. -MMD -MP
FUZZ_OBJS := $(LIB_SRCS:%.c=build/fuzz/obj/%.o) $(GEN_SRCS:%.c=build/fuzz/obj/%.o)
.SECONDARY: $(FUZZ_OBJS)

build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) $(PKG_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c $< -o $@

build/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJS)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) $(PKG_CFLAGS) \
	    -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_OBJS) $(LIBS)

fuzz-run: fuzz
	@scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

lint: deps
	@scripts/lint.sh

format:
	@clang-format -i $$(find bot tests -name '*.[ch]')

kb: all
	@scripts/build-kb.sh $(BUILD)/valuesbot

# The KBs only: <org>.json, not the overlays and sources they are built from.
install: $(BUILD)/valuesbot $(BUILD)/valuesbot-net
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(DATADIR)/knowledge
	install -m 0755 $(BUILD)/valuesbot $(DESTDIR)$(PREFIX)/bin/valuesbot
	install -m 0755 $(BUILD)/valuesbot-net $(DESTDIR)$(LIBEXECDIR)/valuesbot-net
	install -m 0644 $(filter-out %.overlay.json,$(wildcard knowledge/*.json)) \
	    $(DESTDIR)$(DATADIR)/knowledge/
	install -m 0644 config/valuesbot.example.json $(DESTDIR)$(DATADIR)/

image-check:
	@scripts/image-check.sh

clean:
	rm -rf build

# build/image-check holds make image-check's image store: not ours to scan.
-include $(shell find build -path build/image-check -prune -o -name '*.d' -type f -print 2>/dev/null)
