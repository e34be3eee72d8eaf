# Guidepost — plain GNU make. Every .c under src/ is part of the program; every
# tests/unit/test_*.c is a cmocka binary linked against the same objects.
#   make            build build/guidepost
#   make run        install missing packages, build, serve on 127.0.0.1:8080 with ./data
#   make check      install missing packages, build (normal + ASan/UBSan), run every test
#   make asan       build the sanitizer tree only (build/asan/)
#   make fuzz       run every libFuzzer target for FUZZ_TIME seconds (make check runs them briefly)
#   make bench      run the benchmarks under bench/ (api.sh, then upload.sh)

CC      ?= gcc
PKGS    := libmicrohttpd jansson sqlite3 libcrypto libarchive cairo libjpeg libargon2
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
# Each parser we own has a target in tests/fuzz/; they link only the pure modules they exercise.
# A target may have a seed corpus: fuzz-seeds writes it into build/fuzz/corpus/<target> (which
# `make fuzz` and tests/fuzz/brief use) from files the product itself generates.
FUZZ_SRC  := src/s3/sigv4.c src/s3/chunked.c src/s3/checksum.c src/core/crypto.c \
             src/pipeline/manifest.c src/pipeline/ingest.c src/json/jsonx.c src/core/clock.c \
             src/core/arena.c src/core/rc.c
FUZZ_BIN  := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_TIME ?= 120
build/fuzz/%: tests/fuzz/%.c $(FUZZ_SRC)
	@mkdir -p $(dir $@)
	@echo "  FUZZ $@"; clang -g -O1 -std=c17 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
	    -Isrc $< $(FUZZ_SRC) $(shell pkg-config --cflags --libs libcrypto jansson libarchive libjpeg) \
	    -lpthread -lm -o $@
# Small Stitch TARs for fuzz_ingest: one valid house and every corrupt kind (each a few hundred KB
# at most, so the fuzzer's inputs stay small and runs stay fast).
INGEST_SEEDS := valid not-tar no-manifest bad-json bad-jpeg traversal link open-polygon bomb
fuzz-seeds: build/guidepost
	@mkdir -p build/fuzz/corpus/fuzz_ingest
	@for k in $(INGEST_SEEDS); do f=build/fuzz/corpus/fuzz_ingest/seed-$$k.tar; \
	    [ -s $$f ] && continue; c=; [ $$k = valid ] || c="--corrupt $$k"; \
	    build/guidepost sample-stitch --out $$f --levels 1 --rooms 2 --panos 1 $$c >/dev/null \
	    || exit 1; done
fuzzers: $(FUZZ_BIN) fuzz-seeds
fuzz: deps all fuzzers
	@for f in $(FUZZ_BIN); do mkdir -p build/fuzz/corpus/$$(basename $$f); \
	    echo "fuzzing $$f for $(FUZZ_TIME)s"; \
	    $$f -max_total_time=$(FUZZ_TIME) -print_final_stats=1 build/fuzz/corpus/$$(basename $$f) || exit 1; done

asan: build/asan/guidepost $(ASAN_UNIT_BIN)
units: $(UNIT_BIN)

# --- the two commands of the README ----------------------------------------------------------
deps:
	@scripts/install-deps

run: deps
	@$(MAKE) --no-print-directory all
	@scripts/first-run-hint
	exec build/guidepost serve --listen $${GUIDEPOST_LISTEN:-127.0.0.1:8080} --data $${GUIDEPOST_DATA:-./data}

check: deps
	@$(MAKE) --no-print-directory all units asan fuzzers
	@tests/run

bench: deps
	@scripts/install-deps --bench
	@$(MAKE) --no-print-directory all
	bench/api.sh
	bench/upload.sh

clean:
	rm -rf build

.PHONY: all asan units fuzzers fuzz fuzz-seeds deps run check bench clean
-include $(shell find build -name '*.d' 2>/dev/null)
