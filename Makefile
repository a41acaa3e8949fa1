# The two commands: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# With no token in the environment, `make run` plays the sandbox demo instead.
run: $(STAMP)
	@if [ -z "$$PENPAL_TELEGRAM_TOKEN$$PENPAL_DISCORD_TOKEN" ]; then \
		$(BIN)/penpal-bot demo; \
	else \
		$(BIN)/penpal-bot run $(if $(CONFIG),--config $(CONFIG),); \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/python -m bot.messages.po check
	NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost $(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/signup_telegram.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
