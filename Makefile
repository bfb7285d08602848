# The two commands of the README: `make demo` and `make test`. Both install what is
# missing first (scripts/install-deps.sh is idempotent), so they work on a fresh Debian 12.
#
#   make build      build/lq (RelWithDebInfo, warnings are errors)
#   make test       build + every test (ctest), then the same tests under ASan+UBSan
#   make demo       build + lq's main job on embedded sample data (scripts/demo.sh)
#   make install PREFIX=/usr/local   lq + its private libduckdb.so (rpath set)
#   make package    build/lq_<version>_amd64.deb (CPack)
#   make bench      the benchmarks in bench/
#   make format     clang-format every source file

PREFIX ?= /usr/local
JOBS ?= 2
BUILD ?= build
ASAN_BUILD ?= build-asan
CMAKE_FLAGS ?=

.PHONY: all deps deps-build build test test-fast test-asan demo install package bench format clean

all: build

deps:
	scripts/install-deps.sh

deps-build:
	scripts/install-deps.sh --no-tools

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

build: deps-build $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

test-fast: deps build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	scripts/check-install.sh $(BUILD)

$(ASAN_BUILD)/build.ninja:
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DLQ_SANITIZE=ON $(CMAKE_FLAGS)

test-asan: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)

test: test-fast test-asan

demo: build
	scripts/demo.sh $(BUILD)/lq

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

package: build
	cd $(BUILD) && cpack -G DEB

bench: deps build
	@for b in bench/*.sh; do echo "== $$b"; BUILD=$(BUILD) "$$b" || exit 1; done

format:
	find src bench -name '*.cc' -o -name '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
