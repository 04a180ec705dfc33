# Makefile — owns: the developer/CI entry points wrapping CMake + CTest.
#
#   make            release build into build/
#   make demo       build, then the bundled example on SQLite: inspect, migrate
#                   (diff -> up -> status -> drift), lint
#   make check      build + ctest in build/
#   make asan       ASan+UBSan build in build-asan/ + its ctest (leaks fatal)
#   make fuzz       libFuzzer build in build-fuzz/ (clang) + fuzz smoke tests
#   make test       install-deps, check, asan, fuzz — fails on the first failure
#   make clean      remove the build directories
#
# Variables: JOBS (parallelism, default nproc), FUZZ_TIME (seconds per fuzz
# smoke test, default 20), CMAKE_FLAGS (extra configure flags).

JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_TIME  ?= 20
CMAKE      ?= cmake
CTEST      ?= ctest
CMAKE_FLAGS ?=
CTEST_FLAGS = --output-on-failure -j$(JOBS)

BUILD      := build
BUILD_ASAN := build-asan
BUILD_FUZZ := build-fuzz

.PHONY: all build demo check asan asan-build fuzz fuzz-build test deps clean

all: build

build:
	$(CMAKE) -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)
	$(CMAKE) --build $(BUILD) -j$(JOBS)

# The bundled example on embedded SQLite, the way a team would adopt it:
# read the schema file, turn it into a first versioned migration (dbsage
# migrate diff), apply it to a new SQLite database (migrate up), show the
# migration status, prove the database has not drifted from the migrations
# nor from the schema file, and lint the result (the example holds a real
# finding — a plaintext token column — so lint's exit status 1 is expected).
DEMO     := $(BUILD)/demo
DEMO_DB  := $(DEMO)/cass-vessel.db
DEMO_MIG := ./$(BUILD)/dbsage migrate --url sqlite:$(DEMO_DB) --dir $(DEMO)/migrations
demo: build
	@rm -rf $(DEMO) && mkdir -p $(DEMO)
	@echo '== dbsage inspect --format markdown examples/cass-vessel/schema.sql (first lines)'
	@./$(BUILD)/dbsage inspect --format markdown examples/cass-vessel/schema.sql | head -n 20
	@echo '== dbsage migrate diff initial_schema --to examples/cass-vessel/schema.sql'
	$(DEMO_MIG) diff initial_schema --to examples/cass-vessel/schema.sql
	@echo '== dbsage migrate up'
	$(DEMO_MIG) up
	@echo '== dbsage migrate status'
	$(DEMO_MIG) status --exit-code
	@echo '== dbsage migrate drift'
	$(DEMO_MIG) drift
	@echo '== dbsage diff --exit-code $(DEMO_DB) examples/cass-vessel/schema.sql'
	./$(BUILD)/dbsage diff --exit-code $(DEMO_DB) examples/cass-vessel/schema.sql && echo 'no drift: the database matches the schema file'
	@echo '== dbsage lint $(DEMO_DB) (design rules on the live database; errors only)'
	@./$(BUILD)/dbsage lint $(DEMO_DB) 2>&1 | grep -E 'error' || true

check: build
	cd $(BUILD) && $(CTEST) $(CTEST_FLAGS)

asan-build:
	$(CMAKE) -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DDBSAGE_SANITIZE=ON $(CMAKE_FLAGS)
	$(CMAKE) --build $(BUILD_ASAN) -j$(JOBS)

asan: asan-build
	cd $(BUILD_ASAN) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 $(CTEST) $(CTEST_FLAGS)

fuzz-build:
	CC=clang $(CMAKE) -S . -B $(BUILD_FUZZ) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDBSAGE_FUZZ=ON \
	  -DDBSAGE_FUZZ_TIME=$(FUZZ_TIME) $(CMAKE_FLAGS)
	$(CMAKE) --build $(BUILD_FUZZ) -j$(JOBS) --target fuzz_all

fuzz: fuzz-build
	cd $(BUILD_FUZZ) && $(CTEST) $(CTEST_FLAGS) -L fuzz

deps:
	scripts/install-deps

# Sequential on purpose (even under make -j): each step must pass.
test:
	$(MAKE) deps
	$(MAKE) check
	$(MAKE) asan
	$(MAKE) fuzz

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ)
