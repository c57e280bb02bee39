# hazardtrack — `make run` and `make test` do all set-up on a fresh Debian machine.
SHELL := /bin/bash
VENV := .venv
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
DEB_PACKAGES := libharfbuzz-subset0 fonts-noto-cjk fonts-noto-color-emoji fonts-lxgw-wenkai poppler-utils chromium postgresql
export HAZARDTRACK_DATA_DIR ?= $(CURDIR)/var
# uv trusts the operating system's certificate store (where a site's own CA is installed), not only its bundled roots.
export UV_NATIVE_TLS ?= 1

.PHONY: run test system venv init demo bench lint clean

## Debian packages, installed only when missing (a warm machine skips apt entirely).
system:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
	fi

## uv (from PyPI), then the virtual environment from uv.lock (frozen: exactly the pinned versions).
venv: system
	@if ! command -v uv >/dev/null 2>&1 && [ ! -x "$(UV)" ]; then \
	  python3 -m pip --version >/dev/null 2>&1 || { SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	    $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends python3-pip python3-venv; }; \
	  python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet --user --break-system-packages uv; \
	fi
	@$$(command -v uv || echo $(UV)) sync --frozen --quiet

init: venv
	$(VENV)/bin/hazardtrack init

## Serve on http://127.0.0.1:8000; the first start creates the SQLite database with demo data.
run: init
	@$(VENV)/bin/hazardtrack demo
	$(VENV)/bin/hazardtrack serve --host 127.0.0.1 --port 8000

test: venv
	$(VENV)/bin/pytest -q -p no:cacheprovider

bench: venv
	$(VENV)/bin/hazardtrack bench

clean:
	rm -rf var .pytest_cache
