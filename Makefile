# Guidepost — plain GNU make. Every .c under src/ is part of the program; every
# tests/unit/test_*.c is a cmocka binary linked against the same objects.
#   make            build build/guidepost
#   make run        install missing packages, build, serve on 127.0.0.1:8080 with ./data
#   make check      install missing packages, build (normal + ASan/UBSan), run every test
#   make asan       build the sanitizer tree only (build/asan/)
#   make fuzz       run every libFuzzer target for FUZZ_TIME seconds (make check runs them briefly)
#   make bench      run the benchmarks under bench/ (api.sh, upload.sh, webhooks.sh, search.sh)

CC      ?= gcc
PKGS    := libmicrohttpd jansson sqlite3 libcrypto libarchive cairo libjpeg libargon2 libcurl
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
           -Wvla -Wno-format-nonliteral
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c17 -D_GNU_SOURCE $(WARN) -fno-common -fstack-protector-strong -Isrc \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

SRC      := $(shell find src -name '*.c' | sort)
LIB_SRC  := $(filter-out src/main.c,$(SRC))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
MIGRATIONS := $(wildcard db/migrations/*/*.sql)
VIEWER_ASSETS := $(wildcard src/viewer/assets/*)

all: build/guidepost

# --- normal tree -----------------------------------------------------------------------------
OBJ      := $(patsubst src/%.c,build/obj/%.o,$(LIB_SRC))
build/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(CFLAGS) -D_FORTIFY_SOURCE=2 -MMD -MP -c $< -o $@
build/obj/store/migrations.o: $(MIGRATIONS)
build/obj/viewer/static.o: $(VIEWER_ASSETS)
build/libguidepost.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^
build/guidepost: build/obj/main.o build/libguidepost.a
	@echo "  CC $@"; $(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)
build/obj/main.o: src/main.c
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(CFLAGS) -D_FORTIFY_SOURCE=2 -MMD -MP -c $< -o $@
UNIT_BIN := $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRC))
build/tests/%: tests/unit/%.c build/libguidepost.a
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(CFLAGS) -Itests -o $@ $< build/libguidepost.a $(LDLIBS) -lcmocka
# bench/search.sh fills its data folders through the store with this program.
build/bench/%: bench/%.c build/libguidepost.a
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(CFLAGS) -o $@ $< build/libguidepost.a $(LDLIBS)

# --- sanitizer tree --------------------------------------------------------------------------
ASAN_OBJ := $(patsubst src/%.c,build/asan/obj/%.o,$(LIB_SRC))
build/asan/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(CFLAGS) $(SAN) -MMD -MP -c $< -o $@
build/asan/obj/store/migrations.o: $(MIGRATIONS)
build/asan/obj/viewer/static.o: $(VIEWER_ASSETS)
build/asan/libguidepost.a: $(ASAN_OBJ)
	@rm -f $@
	ar rcs $@ $^
build/asan/guidepost: build/asan/obj/main.o build/asan/libguidepost.a
	@echo "  CC $@"; $(CC) $(CFLAGS) $(SAN) -o $@ $^ $(LDLIBS)
ASAN_UNIT_BIN := $(patsubst tests/unit/%.c,build/asan/tests/%,$(UNIT_SRC))
build/asan/tests/%: tests/unit/%.c build/asan/libguidepost.a
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(CFLAGS) $(SAN) -Itests -o $@ $< build/asan/libguidepost.a $(LDLIBS) -lcmocka

# --- fuzz targets (libFuzzer, clang) ---------------------------------------------------------
# The library (every src/*.c but main.c) is compiled once more with clang, coverage
# instrumentation and ASan/UBSan into build/fuzz/libguidepost.a; each tests/fuzz/fuzz_*.c links
# it, and the linker takes only the modules that target reaches (fuzz_http takes them all: it
# runs the real server in-process). The library's warnings are gcc's job (the normal tree, -Werror);
# here clang's own warnings are shown but do not stop the fuzz build. The targets keep -Werror.
# Corpus: fuzz-seeds fills build/fuzz/corpus/<target> (which `make fuzz` and tests/fuzz/brief
# use) from what the product itself writes (Stitch TARs and their manifests) and from the
# committed seeds in tests/fuzz/seeds/<target>/. tests/fuzz/<target>.dict, when present, is passed
# as -dict=. tests/fuzz/regress/<target>/ holds reproducers of bugs found, run one by one.
FUZZ_CC    ?= clang
FUZZ_SAN   := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_FLAGS := -g -O1 -std=c17 -D_GNU_SOURCE $(WARN) -Isrc $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
FUZZ_OBJ   := $(patsubst src/%.c,build/fuzz/obj/%.o,$(LIB_SRC))
FUZZ_BIN   := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_TIME  ?= 120
build/fuzz/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  FUZZCC $@"; $(FUZZ_CC) $(FUZZ_FLAGS) -Wno-error $(FUZZ_SAN) -fsanitize=fuzzer-no-link -MMD -MP \
	    -c $< -o $@
build/fuzz/obj/store/migrations.o: $(MIGRATIONS)
build/fuzz/obj/viewer/static.o: $(VIEWER_ASSETS)
build/fuzz/libguidepost.a: $(FUZZ_OBJ)
	@rm -f $@
	@echo "  AR $@"; ar rcs $@ $^
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c build/fuzz/libguidepost.a
	@mkdir -p build/fuzz/obj
	@echo "  FUZZ $@"; $(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_SAN) -fsanitize=fuzzer -MMD -MP \
	    -MF build/fuzz/obj/$(notdir $@).d $< \
	    build/fuzz/libguidepost.a $(LDLIBS) -o $@
# Small Stitch TARs for fuzz_ingest: one valid house and every corrupt kind (each a few hundred KB
# at most, so the fuzzer's inputs stay small and runs stay fast).
INGEST_SEEDS := valid not-tar no-manifest bad-json bad-jpeg traversal link open-polygon bomb
# manifest.json of houses of several shapes, and of the corrupt kinds whose manifest is still JSON
# (bad-json's is not, and stays a seed too: the parser's refusals are part of what is fuzzed).
# Each is "name:sample-stitch options".
MANIFEST_SEEDS := small:--levels=1,--rooms=2,--panos=1 two-levels:--levels=2,--rooms=3,--panos=2 \
                  wide:--levels=3,--rooms=8,--panos=1 one-room:--levels=1,--rooms=1,--panos=1 \
                  open-polygon:--levels=1,--rooms=2,--panos=1,--corrupt=open-polygon \
                  seed7:--levels=2,--rooms=4,--panos=3,--seed=7 \
                  bad-json:--levels=1,--rooms=2,--panos=1,--corrupt=bad-json
fuzz-seeds: build/guidepost
	@mkdir -p build/fuzz/corpus/fuzz_ingest build/fuzz/corpus/fuzz_manifest
	@for k in $(INGEST_SEEDS); do f=build/fuzz/corpus/fuzz_ingest/seed-$$k.tar; \
	    [ -s $$f ] && continue; c=; [ $$k = valid ] || c="--corrupt $$k"; \
	    build/guidepost sample-stitch --out $$f --levels 1 --rooms 2 --panos 1 $$c >/dev/null \
	    || exit 1; done
	@for s in $(MANIFEST_SEEDS); do k=$${s%%:*}; f=build/fuzz/corpus/fuzz_manifest/seed-$$k.json; \
	    [ -s $$f ] && continue; t=build/fuzz/manifest-$$k.tar; \
	    build/guidepost sample-stitch --out $$t $$(echo $${s#*:} | tr , ' ') >/dev/null || exit 1; \
	    tar -xOf $$t manifest.json >$$f || exit 1; rm -f $$t; done
	@for d in tests/fuzz/seeds/*/; do t=$$(basename $$d); mkdir -p build/fuzz/corpus/$$t; \
	    cp -n $$d* build/fuzz/corpus/$$t/; done
fuzzers: $(FUZZ_BIN) fuzz-seeds
fuzz: deps all fuzzers
	@for f in $(FUZZ_BIN); do t=$$(basename $$f); mkdir -p build/fuzz/corpus/$$t; \
	    d=; [ -f tests/fuzz/$$t.dict ] && d=-dict=tests/fuzz/$$t.dict; \
	    echo "fuzzing $$f for $(FUZZ_TIME)s"; \
	    $$f -max_total_time=$(FUZZ_TIME) -print_final_stats=1 $$d build/fuzz/corpus/$$t || exit 1; done

asan: build/asan/guidepost $(ASAN_UNIT_BIN)
units: $(UNIT_BIN)

# --- the two commands of the README ----------------------------------------------------------
deps:
	@scripts/install-deps

run: deps
	@$(MAKE) --no-print-directory -j$$(nproc) all
	@scripts/first-run-hint
	exec build/guidepost serve --listen $${GUIDEPOST_LISTEN:-127.0.0.1:8080} --data $${GUIDEPOST_DATA:-./data} \
	    --webhook-allow-private

# The trees build in parallel (one job per CPU); the tests print their progress as they finish.
check: deps
	@$(MAKE) --no-print-directory -j$$(nproc) all units asan fuzzers
	@tests/run

bench: deps
	@scripts/install-deps --bench
	@$(MAKE) --no-print-directory all build/bench/search_fill
	bench/api.sh
	bench/upload.sh
	bench/webhooks.sh
	bench/search.sh

clean:
	rm -rf build

.PHONY: all asan units fuzzers fuzz fuzz-seeds deps run check bench clean
-include $(shell find build -name '*.d' 2>/dev/null)
