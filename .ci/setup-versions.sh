# Sourced by .ci/run. Installs the StartOS SDK oracle (../shared/tools/exver-oracle)
# under $PATCHKIT_CI_CACHE for tests/versions' differential tests, and exports
# PATCHKIT_EXVER_ORACLE=<dir>; and StartOS 0.3.x's EmVer parser (npm @start9labs/emver 0.1.1),
# exporting PATCHKIT_EMVER_ORACLE=<dir>. Idempotent: a second run only compares the sources
# (../shared may be read-only, so the oracle is copied, then `npm ci` runs there).
_pkv_src="$(pwd)/../shared/tools/exver-oracle"
_pkv_dst="${PATCHKIT_CI_CACHE:-${TMPDIR:-/tmp}/patchkit-ci}/exver-oracle"
if [ ! -f "$_pkv_src/oracle.mjs" ]; then
  echo "setup-versions: $_pkv_src not found; the SDK differential tests will be skipped" >&2
elif ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "setup-versions: node/npm not found; the SDK differential tests will be skipped" >&2
else
  if [ ! -f "$_pkv_dst/.installed" ] \
     || ! diff -rq --exclude=node_modules --exclude=.installed "$_pkv_src" "$_pkv_dst" >/dev/null 2>&1; then
    echo "setup-versions: installing the StartOS SDK oracle in $_pkv_dst"
    rm -rf "$_pkv_dst"
    mkdir -p "$_pkv_dst"
    cp -R "$_pkv_src/." "$_pkv_dst/"
    chmod -R u+w "$_pkv_dst"
    (cd "$_pkv_dst" && npm ci --no-audit --no-fund --loglevel=error)  # .npmrc: legacy-peer-deps
    (cd "$_pkv_dst" && node oracle.mjs selftest | tail -n 1)
    touch "$_pkv_dst/.installed"
  fi
  export PATCHKIT_EXVER_ORACLE="$_pkv_dst"
  # StartOS 0.3.x's version parser (crate emver 0.1 as WebAssembly) for tests/versions/test_emver.py
  _pke_dst="${PATCHKIT_CI_CACHE:-${TMPDIR:-/tmp}/patchkit-ci}/emver-oracle"
  if [ ! -f "$_pke_dst/node_modules/@start9labs/emver/emver.js" ]; then
    echo "setup-versions: installing @start9labs/emver 0.1.1 in $_pke_dst"
    mkdir -p "$_pke_dst"
    (cd "$_pke_dst" && npm install --no-save --no-audit --no-fund --loglevel=error @start9labs/emver@0.1.1) \
      || echo "setup-versions: @start9labs/emver not installed; the EmVer oracle test will be skipped" >&2
  fi
  [ -f "$_pke_dst/node_modules/@start9labs/emver/emver.js" ] && export PATCHKIT_EMVER_ORACLE="$_pke_dst"
  unset _pke_dst
fi
unset _pkv_src _pkv_dst
