# Sourced by .ci/run. Creates one venv per setuptools-scm major that the scm
# ground-truth tests run in a subprocess (never imported by patchkit itself),
# under "$PATCHKIT_CI_CACHE/scm-venvs/<major>", and exports
#   PATCHKIT_SCM_VENVS="10=/path/to/venv:9=/path:8=/path:7=/path"
# Idempotent: a venv whose marker file matches its spec is reused as it is.
# Latest release of each major (10 is the one the default test run uses; 7, 8
# and 9 serve the tests marked slow).
_scm_setup() {
  local cache="${PATCHKIT_CI_CACHE:-${TMPDIR:-/tmp}/patchkit-ci}/scm-venvs"
  local py="${PYTHON:-python3}"
  local entries="" major spec venv marker
  mkdir -p "$cache"
  for major in 10 9 8 7; do
    spec="setuptools-scm>=${major},<$((major + 1))"
    venv="$cache/$major"
    marker="$venv/.patchkit-spec"
    if [ ! -x "$venv/bin/python" ] || [ "$(cat "$marker" 2>/dev/null)" != "$spec" ]; then
      rm -rf "$venv"
      "$py" -m venv "$venv" || return 1
      # setuptools-scm 7 still works with today's setuptools; build/wheel are
      # there so a test can run a PEP 517 build without isolation.
      "$venv/bin/python" -m pip install -q --disable-pip-version-check \
        "$spec" "setuptools>=70" build wheel || return 1
      printf '%s' "$spec" > "$marker"
    fi
    entries="${entries:+$entries:}$major=$venv"
  done
  export PATCHKIT_SCM_VENVS="$entries"
  echo "PATCHKIT_SCM_VENVS=$PATCHKIT_SCM_VENVS"
}
_scm_setup || { echo "setup-scm: could not create the setuptools-scm venvs" >&2; return 1 2>/dev/null || exit 1; }
unset -f _scm_setup
