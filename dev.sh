#!/usr/bin/env bash
# Set-up and daily commands. Needs only python3.11 on the PATH.
#   ./dev.sh demo    install (first time) and run the nightly job on demo data
#   ./dev.sh test    install (first time) and run the whole test suite (lint included)
#   ./dev.sh ppks …  any ppks command inside the project's environment
#   ./dev.sh lock    re-resolve requirements.lock (every transitive dependency, with
#                    hashes) after a change to the dependencies in pyproject.toml
set -euo pipefail
cd "$(dirname "$0")"

VENV="${PPKS_VENV:-.venv}"
PYTHON="${PYTHON:-python3.11}"
LOCK=requirements.lock
# uv only resolves the lock; it is installed into the venv, not a dependency.
UV_VERSION="0.13.9"

if [ "${1:-}" = lock ]; then
    shift
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet "uv==$UV_VERSION"
    exec "$VENV/bin/uv" pip compile pyproject.toml --extra dev --universal \
        --python-version 3.11 --generate-hashes --quiet -o "$LOCK" "$@"
fi

stamp="$VENV/.installed-$(cat pyproject.toml "$LOCK" | sha256sum | cut -c1-16)"

if [ ! -f "$stamp" ]; then
    echo "== installing into $VENV (first run only; about two minutes)"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade "pip==25.3"
    # Exactly the tested versions, every file checked against its hash.
    "$VENV/bin/python" -m pip install --quiet --require-hashes -r "$LOCK"
    "$VENV/bin/python" -m pip install --quiet --no-deps -e .
    rm -f "$VENV"/.installed-*
    touch "$stamp"
fi

command="${1:-}"
shift || true
case "$command" in
    demo) exec "$VENV/bin/ppks" demo "$@" ;;
    test) exec "$VENV/bin/python" -m pytest "$@" ;;
    ppks) exec "$VENV/bin/ppks" "$@" ;;
    *) echo "usage: ./dev.sh demo | test [pytest args] | ppks ARGS | lock" >&2; exit 2 ;;
esac
