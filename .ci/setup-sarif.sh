# shellcheck shell=bash
# Sourced by .ci/run. Fetches the SARIF 2.1.0 JSON schema (SchemaStore's
# sarif-2.1.0-rtm.5.json, the schema of the OASIS standard's final text) from the npm
# registry, where @microsoft/sarif-matcher-utils ships it, into $PATCHKIT_CI_CACHE, and
# exports PATCHKIT_SARIF_SCHEMA for tests/cli/test_formats.py. Idempotent.
_pks_dir="${PATCHKIT_CI_CACHE:-${TMPDIR:-/tmp}/patchkit-ci}/sarif-schema"
_pks_file="$_pks_dir/package/lib/schemas/sarif-2.1.0-rtm.5.json"
if [ ! -f "$_pks_file" ] && command -v npm >/dev/null 2>&1; then
  mkdir -p "$_pks_dir"
  if (cd "$_pks_dir" && npm pack @microsoft/sarif-matcher-utils@1.0.0-beta.0 --silent >/dev/null 2>&1 \
      && tar xzf microsoft-sarif-matcher-utils-1.0.0-beta.0.tgz); then
    echo "setup-sarif: SARIF 2.1.0 schema in $_pks_file"
  else
    echo "setup-sarif: npm pack @microsoft/sarif-matcher-utils failed; the SARIF schema test will fail under CI" >&2
  fi
fi
[ -f "$_pks_file" ] && export PATCHKIT_SARIF_SCHEMA="$_pks_file"
unset _pks_dir _pks_file
