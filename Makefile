# Everything a fresh Debian 12 machine needs, as root: `make run` or `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
APT_PACKAGES := tesseract-ocr tesseract-ocr-est tesseract-ocr-rus tesseract-ocr-eng \
	tesseract-ocr-osd poppler-utils fonts-dejavu-core fonts-dejavu-extra fonts-liberation2 \
	fonts-freefont-ttf docker-compose python3-venv python3-dev gcc ghostscript \
	unpaper pngquant qpdf
export OMP_THREAD_LIMIT := 1
# augraphy (the bench's print-copy-scan pages) requires opencv-python, which would put a
# second cv2 over opencv-python-headless; it is installed without its dependencies, which
# the bench extra in pyproject.toml lists instead (all but OpenCV).
AUGRAPHY := augraphy>=8.2.6,<8.3

.PHONY: help system setup run test lint bench chaos clean

help:
	@echo "make run   - set up and start intake on embedded services (Ctrl-C stops)"
	@echo "make test  - set up and run the whole test suite"
	@echo "make lint  - ruff, mypy --strict, import-linter"
	@echo "make chaos - drop 1000 files while killing processes and stopping services; count"

# Debian packages: installed only when one is missing, so the second run is quick.
system:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null \
		| grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:" $$missing; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends $$missing; \
	fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,bench]'
	$(BIN)/pip install -q --no-deps '$(AUGRAPHY)'
	touch $@

setup: system $(VENV)/.installed

run: setup
	$(BIN)/intake up

test: setup
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: setup
	$(BIN)/intake bench

chaos: setup
	$(BIN)/python -m pipeline.chaos --files 1000 --folders 4 --kills 20 --outages 6 --workers 2

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
