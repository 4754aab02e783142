# 招商知识助手 — make run / make test
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 7860

.PHONY: run test lint typecheck unit ingest demo-data admin serve bench clean install install-dev

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# `make run` installs only what the product needs (no torch, playwright or mypy), with OCR for scans: the `ocr`
# extra is about 100 MB of wheels (OpenCV, PP-OCRv4 models inside rapidocr-onnxruntime, PDFium) and no download
# at run time. Without it (pip install -e . alone), scans and images are refused with a message saying so.
$(VENV)/.installed-runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[ocr]"
	touch $@

# `make test` adds the development extras. torch is pinned before anything that pulls it in
# (sentence-transformers), so pip takes the local CPU build.
$(VENV)/.installed: pyproject.toml $(VENV)/.installed-runtime
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

install: $(VENV)/.installed-runtime

install-dev: $(VENV)/.installed

ingest: install
	$(BIN)/assistant ingest corpus/ --prune

demo-data: install
	$(BIN)/assistant db import-demo corpus/data/

# The first administrator: password from ASSISTANT_ADMIN_PASSWORD, else generated and printed once.
admin: install
	$(BIN)/assistant users init

serve: install
	$(BIN)/assistant serve --host $(HOST) --port $(PORT)

run: install ingest demo-data admin serve

lint: install-dev
	$(BIN)/ruff check assistant tests bench

typecheck: install-dev
	$(BIN)/mypy

unit: install-dev
	$(BIN)/pytest -q

test: lint typecheck unit

bench: install-dev
	$(BIN)/python bench/run_all.py

clean:
	rm -rf indexes/chroma indexes/*.json indexes/*.sqlite indexes/bm25 .pytest_cache .mypy_cache .ruff_cache
