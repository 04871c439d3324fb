#!/usr/bin/env bash
# Runs the suite (BuildKit e2e tests aside: they test the builder, not the interpreter) under
# every other supported CPython this machine kind carries, each in its own venv under
# $PATCHKIT_CI_CACHE/py-<version>: the lowest supported minor (pyenv's 3.10) and Debian 12's
# system Python 3.11.2, whose `re` mishandled possessive quantifiers (3.11.0-3.11.4).
# Called by .ci/run after the README's test command. An interpreter that is not on the machine
# is reported and left out; one that is there and fails, fails CI.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${PATCHKIT_CI_CACHE:-${TMPDIR:-/tmp}/patchkit-ci}"
candidates=(/usr/bin/python3 "$HOME"/.pyenv/versions/3.10.*/bin/python3)
ran=0
for py in "${candidates[@]}"; do
  if [ ! -x "$py" ]; then
    echo "other-pythons: $py is not on this machine; left out" >&2
    continue
  fi
  ver=$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
  case "$ver" in
    3.10.*|3.11.[0-4]) ;;
    *) echo "other-pythons: $py is $ver, which the main run already covers; left out" >&2; continue ;;
  esac
  venv="$cache/py-$ver"
  echo "== tests under Python $ver ($py), venv $venv"
  [ -x "$venv/bin/python" ] || "$py" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q -e '.[test]'
  "$venv/bin/python" -m pytest -q -p no:cacheprovider -m "not e2e"
  ran=$((ran + 1))
done
echo "other-pythons: the suite ran under $ran other interpreter(s)"
