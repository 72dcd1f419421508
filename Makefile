# The two set-up commands of the README:
#   make demo   — install into .venv and run the demo server (http://127.0.0.1:8000)
#   make test   — install everything the tests need and run the whole suite
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := chromium espeak-ng socat xvfb xauth libusb-1.0-0 libgl1 libegl1 \
	libgles2 libgl1-mesa-dri fonts-dejavu-core sox \
	openssl systemd nginx-light caddy desktop-file-utils shellcheck postgresql

.PHONY: demo test venv system-packages bench lint lint-js

$(BIN)/turnero: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[kiosk,test]'
	touch $@

venv: $(BIN)/turnero

demo: venv
	$(BIN)/turnero demo --history-days 20

# Debian packages for the browser, speech, serial, Kivy and deploy tests (needs root; skipped
# otherwise, and the tests that need them skip locally — never in CI). npm (for axe-core in
# the accessibility tests) only when the machine has none: Debian's npm would fight a Node.js
# installed another way. No service starts while installing (policy-rc.d): nginx and caddy
# are only run by the tests, on their own ports.
system-packages:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
		command -v npm >/dev/null || missing="$$missing npm"; \
		if [ -n "$$missing" ]; then \
			norc=; if [ ! -e /usr/sbin/policy-rc.d ]; then norc=1; \
				printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; \
				chmod +x /usr/sbin/policy-rc.d; fi; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $$missing >/dev/null; status=$$?; \
			if [ -n "$$norc" ]; then rm -f /usr/sbin/policy-rc.d; fi; \
			[ $$status = 0 ] || exit $$status; \
		fi; \
	else echo "(not root: skipping apt packages $(APT_PACKAGES))"; fi

test: venv system-packages
	$(BIN)/python -m pytest -q

# ruff over every Python folder, then mypy (its files and strict modules are in pyproject.toml).
lint: venv
	$(BIN)/ruff check server kiosk printer display hardware central tests bench
	$(BIN)/mypy

# The type check of the browser modules: TypeScript (pinned in package.json and
# package-lock.json, installed by npm into node_modules/) checks the JavaScript and its JSDoc
# types (tsconfig.json); nothing is compiled.
node_modules/.bin/tsc: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

lint-js: node_modules/.bin/tsc
	node_modules/.bin/tsc -p tsconfig.json

bench: venv
	$(BIN)/python bench/run_all.py
