# Everything a newcomer needs: `make demo` and `make test`. Each target builds .venv on first use
# from the pinned requirements, so a fresh machine needs only python3 (3.11) and git.

PYTHON       ?= python3.11
VENV         := .venv
BIN          := $(VENV)/bin
STAMP        := $(VENV)/.installed
COLLECTION   := .build/ansible_collections/crosscloud/interconnect
GET_PIP      := $(HOME)/.ansible/test/cache/get_pip_24_2.py
SIM_DIR      := .sim
TARGETS      ?=
PYTEST_ARGS  ?=

# A fresh machine may only have `python3`; use it when python3.11 is not on PATH.
ifeq ($(shell command -v $(PYTHON) 2>/dev/null),)
PYTHON := python3
endif

export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/.build
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: help venv collection test sanity lint units integration e2e ee demo bench sim sim-stop constraints clean matrix clis

help:
	@echo "make demo   build a sample interconnect against the simulator"
	@echo "make test   sanity + lint + units + integration + e2e + matrix (what CI runs)"
	@echo "other targets: sanity lint units integration [TARGETS=...] e2e matrix [MATRIX_CELLS=...] clis bench sim sim-stop clean"

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "$(PYTHON) is Python %d.%d; the pinned requirements need 3.11 (make PYTHON=/path/to/python3.11)" % sys.version_info[:2])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	touch $@

venv: $(STAMP)

# ansible-test only runs from .../ansible_collections/<namespace>/<name>: copy the working tree
# (tracked and new files, nothing ignored) there afresh each time.
collection: $(STAMP)
	rm -rf $(COLLECTION) && mkdir -p $(COLLECTION)
	git ls-files -z --cached --others --exclude-standard | \
	  xargs -0 -I{} sh -c 'test -e "{}" && printf "%s\0" "{}"' | tar --null -T - -cf - | tar -xf - -C $(COLLECTION)
	@# The copy sits in this repository's ignored .build/: give it a repository of its own, or
	@# ansible-test asks the outer git for the file list and finds nothing.
	cd $(COLLECTION) && git init -q && git add -A

$(GET_PIP): tools/get_pip.py
	mkdir -p $(dir $@) && cp $< $@

sanity: collection $(GET_PIP)
	cd $(COLLECTION) && ansible-test sanity --venv --python 3.11 --color no

# Without ANSIBLE_COLLECTIONS_PATH ansible-lint works isolated (its copy of the collection goes to the
# ignored .ansible/ here); with it, it would install the collection into ~/.ansible/collections.
lint: $(STAMP)
	env -u ANSIBLE_COLLECTIONS_PATH ansible-lint
	antsibull-changelog lint

# The clouds' own CLIs (azure-cli, oci-cli) that tests run against cloudsim: built once into venvs cached under
# ${XDG_CACHE_HOME:-~/.cache}/crosscloud-interconnect/clis (tools/clis.py). When pip cannot install one, the tests
# that need it skip, saying why; with CI=true they and this target fail.
clis: $(STAMP)
	$(BIN)/python tools/clis.py

units: $(STAMP) clis
	$(BIN)/python -m pytest -q -n auto tests/unit tests/cloudsim $(PYTEST_ARGS)

integration: collection
	$(BIN)/python tools/with_cloudsim.py --state-dir $(SIM_DIR)/integration \
	  --ansible-vars $(COLLECTION)/tests/integration/integration_config.yml -- \
	  --fixture cloudsim/fixtures/demo.json --delays zero -- \
	  sh -c 'cd $(COLLECTION) && ansible-test integration --local --python 3.11 --color no $(TARGETS)'

# The product end to end against cloudsim: playbooks on inventories, and AWX's way of running them
# (ansible-runner private data dirs, execution-environment build context).
e2e: collection clis
	$(BIN)/python -m pytest -q -n 2 tests/e2e tests/awx $(PYTEST_ARGS)

# Build context of the execution environment (a container engine then builds ./context).
ee: $(STAMP)
	$(BIN)/ansible-galaxy collection build --force
	$(BIN)/ansible-builder create

# Every supported ansible-core (2.16 to 2.21, each on its Python) runs the installed collection's
# playbooks against a cloudsim of its own: see tools/matrix.py. Cell venvs are cached under
# ${XDG_CACHE_HOME:-~/.cache}/crosscloud-interconnect/matrix. A missing Python skips its cell, or
# fails the run with CI=true. MATRIX_CELLS=2.16,2.21 runs only those; MATRIX_JOBS cells at once
# (default: one per CPU).
MATRIX_CELLS ?=
MATRIX_JOBS  ?=

matrix: $(STAMP)
	$(BIN)/python tools/matrix.py $(if $(MATRIX_JOBS),--jobs $(MATRIX_JOBS)) $(if $(MATRIX_CELLS),--cells $(MATRIX_CELLS))

test: sanity lint units integration e2e matrix

# `make demo DEMO=redundant` builds the redundant pair of inventories/redundant on its own fixture instead.
DEMO ?= demo
DEMO_REPORTS := reports/$(DEMO)
DEMO_DELAYS  ?= realistic
# The simulator's realistic delays are seconds where a real cloud takes minutes: a line of progress
# every few seconds shows the waits as they would show on a real tenancy every 20 s.
DEMO_PROGRESS_INTERVAL ?= 3

# Rehearse the real thing: a simulator with short realistic delays, the product playbook on the demo
# inventory (two interconnects) with the progress callback, the reports, and the simulator stopped again.
demo: collection
	rm -rf $(DEMO_REPORTS)
	ANSIBLE_CALLBACKS_ENABLED=crosscloud.interconnect.progress \
	$(BIN)/python tools/with_cloudsim.py --state-dir $(SIM_DIR)/$(DEMO) -- \
	  --fixture cloudsim/fixtures/$(DEMO).json --delays $(DEMO_DELAYS) -- \
	  $(BIN)/ansible-playbook -i inventories/$(DEMO) playbooks/interconnect.yml -e interconnect_report_dir=$(CURDIR)/$(DEMO_REPORTS) \
	  -e interconnect_progress_interval=$(DEMO_PROGRESS_INTERVAL)
	@# A shell glob: make would expand a wildcard before the playbook has written the reports.
	@cd $(DEMO_REPORTS) && for report in summary.md $$(ls *.md | grep -vx summary.md); do echo; cat $$report; done

bench: $(STAMP)
	@for script in bench/*_bench.py; do $(BIN)/python $$script || exit 1; done

sim: $(STAMP)
	@$(BIN)/python -m cloudsim --port 0 --state-dir $(SIM_DIR) --fixture cloudsim/fixtures/demo.json --delays realistic --daemon
	@echo "source $(SIM_DIR)/env to point the collection at it; 'make sim-stop' stops it"

# The simulator removes its pid/url/env files on SIGTERM; a hard-killed one leaves them to clear.
sim-stop:
	@if test -f $(SIM_DIR)/pid && kill $$(cat $(SIM_DIR)/pid) 2>/dev/null; then \
	  while test -f $(SIM_DIR)/pid; do sleep 0.1; done; echo "simulator stopped"; \
	else rm -f $(SIM_DIR)/pid $(SIM_DIR)/env $(SIM_DIR)/url; echo "no simulator running"; fi

constraints: $(STAMP)
	@{ echo "# Exact versions of every package in .venv (regenerate with: make constraints)."; \
	  $(BIN)/python -m pip freeze --exclude-editable; } > constraints.txt

clean:
	rm -rf .build .sim tests/output .pytest_cache context crosscloud-interconnect-*.tar.gz
