#!/usr/bin/env bash
# Rename the import names of the repository folders checks/ and kb/ to the names they
# are installed under: checks.x -> diagwizard.checks.x, kb.x -> diagwizard.kb.x.
# Idempotent (an already renamed name is left alone): re-run it after merging a branch
# that still uses the old names. Touches tracked Python files and the PyInstaller spec.
#   from checks.pcsc import X / from kb import DATA_DIR / import kb.loader
#   "checks.pcsc:PROBES" (module:attr strings), import_module("kb.atr"),
#   patch("checks.pcsc.f") / monkeypatch.setattr("kb.search.x", ...)
set -euo pipefail
cd "$(dirname "$0")/../.."
git ls-files -z -- '*.py' '*.spec' | xargs -0 -r perl -pi -e '
    s/^(\s*)(from|import)(\s+)(checks|kb)(?=[\s.])/$1$2$3diagwizard.$4/;
    s/(["\x27])((?:checks|kb)(?:\.[a-z_][a-z0-9_]*)+:[A-Za-z_])/$1diagwizard.$2/g;
    s/((?:import_module|patch|setattr)\(\s*["\x27])(checks|kb)(?=[.\x27"])/$1diagwizard.$2/g;
'
# The renamed imports now sort among the other diagwizard imports.
if [ -x .venv/bin/ruff ]; then .venv/bin/ruff check --quiet --select I --fix . || true; fi
