# Makefile — owns: the developer/CI entry points wrapping CMake + CTest.
#
#   make            release build into build/
#   make demo       build, then inspect examples/cass-vessel/schema.sql
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

# The bundled example on embedded SQLite: read the schema files, create the
# database from the plan `dbsage diff empty SCHEMA` prints, read the live
# database back and prove it has not drifted from the files.
DEMO_DB := $(BUILD)/demo/cass-vessel.db
demo: build
	@mkdir -p $(BUILD)/demo && rm -f $(DEMO_DB)
	@echo '== dbsage inspect examples/cass-vessel/schema.sql (canonical SQLite DDL)'
	./$(BUILD)/dbsage inspect examples/cass-vessel/schema.sql
	@echo '== dbsage diff empty examples/cass-vessel/schema.sql | sqlite3 $(DEMO_DB)'
	./$(BUILD)/dbsage diff empty examples/cass-vessel/schema.sql | sqlite3 -bail $(DEMO_DB)
	@echo '== dbsage inspect --format markdown $(DEMO_DB) (first lines)'
	./$(BUILD)/dbsage inspect --format markdown $(DEMO_DB) | head -n 25
	@echo '== dbsage diff --exit-code $(DEMO_DB) examples/cass-vessel/schema.sql'
	./$(BUILD)/dbsage diff --exit-code $(DEMO_DB) examples/cass-vessel/schema.sql && echo 'no drift: the database matches the schema files'

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
