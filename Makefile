# sheaf - GNU make only. `make help` lists the targets.

PREFIX  ?= /usr/local
BUILD   ?= build
PYTHON  ?= /usr/bin/python3
CC      ?= gcc
NATIVE  ?= 0
WERROR  ?= 1
OPT     ?= -O2

# V=1 shows full commands.
Q        := $(if $(filter 1,$(V)),,@)
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unknown-pragmas
ifeq ($(WERROR),1)
WARN     += -Werror
endif
ARCH     := $(if $(filter 1,$(NATIVE)),-march=native,)
# -ffp-contract=off: no fused multiply-adds, so NATIVE=1 gives the same bits.
CFLAGS   ?= $(OPT) -g
ALLFLAGS := -std=c11 -D_GNU_SOURCE -fPIC -fopenmp -fvisibility=hidden -ffp-contract=off \
            -DSHEAF_BUILDING $(ARCH) $(WARN) $(CFLAGS) -Iinclude -Isrc
DEPLIBS  := -lgsl -llapacke -lopenblas -lgomp -lpthread -lm
LDLIBS   := -fopenmp $(DEPLIBS)

LIB_SRC  := $(sort $(wildcard src/core/*.c src/data/*.c src/linalg/*.c src/models/*.c \
                              src/timeseries/*.c src/tuning/*.c))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/*/test_*.c))
BENCH_SRC:= $(sort $(wildcard bench/*/bench_*.c))
DEMO     := $(BUILD)/examples/airquality_features
LOGREG_DEMO := $(BUILD)/examples/logreg_spector
VAR_DEMO := $(BUILD)/examples/var_granger_macro
ARIMA_DEMO := $(BUILD)/examples/arima_macro

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/obj/%.o)
BENCH_BIN:= $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

STATIC   := $(BUILD)/libsheaf.a
SHARED   := $(BUILD)/libsheaf.so
CLI      := $(BUILD)/sheaf
TESTS    := $(BUILD)/tests/sheaf_tests

.PHONY: all deps test test-c test-python test-cli test-demo test-install asan bench demo install format format-check clean help
.DEFAULT_GOAL := all

all: $(STATIC) $(SHARED) $(CLI)

help:
	@echo "make            build $(STATIC), $(SHARED) and $(CLI)"
	@echo "make deps       install every Debian package the build, tests and benchmarks need"
	@echo "make test       deps + build + C tests + Python tests + install check"
	@echo "make asan       C tests under AddressSanitizer and UndefinedBehaviorSanitizer"
	@echo "make bench      the benchmark suite beside its peers"
	@echo "make demo       profile the bundled data set, assemble features, fit a logistic regression"
	@echo "make install    PREFIX=$(PREFIX): headers, both libraries, sheaf.pc"

deps:
	@sh tools/deps.sh

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALLFLAGS) -MMD -MP -c $< -o $@

$(STATIC): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@
	@$(if $(Q),echo "  AR      $@")
	$(Q)ar rcs $@ $^

$(SHARED): $(LIB_OBJ)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -shared -o $@ $^ $(LDLIBS)

$(CLI): $(CLI_OBJ) $(STATIC)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -o $@ $(CLI_OBJ) $(STATIC) $(LDLIBS)

$(TESTS): $(TEST_OBJ) $(STATIC)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -o $@ $(TEST_OBJ) $(STATIC) -lcriterion $(LDLIBS)

$(DEMO) $(LOGREG_DEMO) $(VAR_DEMO) $(ARIMA_DEMO): $(BUILD)/examples/%: examples/%.c $(STATIC)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALLFLAGS) -o $@ $< $(STATIC) $(LDLIBS)

$(BUILD)/bench/%: bench/%.c $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(ALLFLAGS) -o $@ $< $(STATIC) $(LDLIBS)

test: deps
	$(MAKE) all $(TESTS)
	$(MAKE) test-c test-python test-cli test-demo test-install

test-c: $(TESTS)
	cd tests && ../$(TESTS) --jobs=2

test-python: $(SHARED)
	SHEAF_LIBRARY=$(abspath $(SHARED)) $(PYTHON) -m pytest -q tests/python

test-cli: $(CLI)
	BUILD=$(BUILD) sh tests/cli/check_profile.sh

# The compiled steps of the demo, checked against their known output.
test-demo: $(DEMO) $(LOGREG_DEMO) $(VAR_DEMO) $(ARIMA_DEMO)
	BUILD=$(BUILD) sh tests/demo/check_demo.sh

test-install: $(STATIC) $(SHARED)
	BUILD=$(BUILD) sh tests/install/check_install.sh

asan:
	$(MAKE) BUILD=build-asan OPT=-O1 \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
	  LDLIBS="-fsanitize=address,undefined -fopenmp $(DEPLIBS)" build-asan/tests/sheaf_tests
	cd tests && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ../build-asan/tests/sheaf_tests --jobs=2

bench: deps all $(BENCH_BIN)
	$(PYTHON) bench/run.py --build $(BUILD)

demo: deps $(CLI) $(DEMO) $(LOGREG_DEMO) $(VAR_DEMO) $(ARIMA_DEMO)
	$(CLI) profile data/airquality.csv
	$(DEMO) data/airquality.csv
	$(LOGREG_DEMO) data/spector.csv
	$(VAR_DEMO) data/macrodata.csv
	$(ARIMA_DEMO) data/macro_long.csv

install: $(STATIC) $(SHARED)
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 include/*.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 $(STATIC) $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(SHARED) $(DESTDIR)$(PREFIX)/lib/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(shell sed -n 's/.*SHEAF_VERSION_STRING "\(.*\)"/\1/p' include/sheaf_core.h)|' \
	  -e 's|@DEPLIBS@|$(DEPLIBS)|' sheaf.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/sheaf.pc

format:
	clang-format -i $(LIB_SRC) $(CLI_SRC) $(TEST_SRC) $(BENCH_SRC) include/*.h $(wildcard src/*/*.h)

format-check:
	clang-format --dry-run -Werror $(LIB_SRC) $(CLI_SRC) $(TEST_SRC) $(BENCH_SRC) include/*.h $(wildcard src/*/*.h)

clean:
	rm -rf build build-asan

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d)
