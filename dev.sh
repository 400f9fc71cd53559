#!/usr/bin/env bash
# Set-up and daily commands. Needs only python3.11 on the PATH.
#   ./dev.sh demo    install (first time) and run the nightly job on demo data
#   ./dev.sh test    install (first time) and run the whole test suite (lint included)
#   ./dev.sh ppks …  any ppks command inside the project's environment
set -euo pipefail
cd "$(dirname "$0")"

VENV="${PPKS_VENV:-.venv}"
PYTHON="${PYTHON:-python3.11}"
stamp="$VENV/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)"

if [ ! -f "$stamp" ]; then
    echo "== installing into $VENV (first run only; about two minutes)"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade "pip==25.3"
    "$VENV/bin/python" -m pip install --quiet -e ".[dev]"
    rm -f "$VENV"/.installed-*
    touch "$stamp"
fi

command="${1:-}"
shift || true
case "$command" in
    demo) exec "$VENV/bin/ppks" demo "$@" ;;
    test) exec "$VENV/bin/python" -m pytest "$@" ;;
    ppks) exec "$VENV/bin/ppks" "$@" ;;
    *) echo "usage: ./dev.sh demo | test [pytest args] | ppks ARGS" >&2; exit 2 ;;
esac
