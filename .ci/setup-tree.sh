# Sourced by .ci/run. Points the Dockerfile tree's corpus test at the vLLM corpus.
#
# tests/dockerfile/test_corpus.py runs over $PATCHKIT_CORPUS/vllm-all-blobs/*.Dockerfile
# (round-trip + agreement with the BuildKit oracle) and skips when it is unset.
# Order: an explicit PATCHKIT_CORPUS; ../corpus next to the checkout; a corpus cached in
# $PATCHKIT_CI_CACHE/corpus; else, with PATCHKIT_BUILD_CORPUS=1, build one there
# (../shared/tools/corpus/build.sh downloads ~1 GB of vLLM sdists from PyPI once).
# The oracle itself (PyPI dockerfile==3.4.0) comes with the `test` extra.
if [ -z "${PATCHKIT_CORPUS:-}" ]; then
  for candidate in "../corpus" "${PATCHKIT_CI_CACHE:-/nonexistent}/corpus"; do
    if [ -d "$candidate/vllm-all-blobs" ]; then
      PATCHKIT_CORPUS="$(cd "$candidate" && pwd)"
      break
    fi
  done
fi
# In CI the corpus is built (once per machine: it is cached in $PATCHKIT_CI_CACHE), so
# the corpus tests of every layer run instead of skipping.
if [ "${CI:-}" = "true" ]; then PATCHKIT_BUILD_CORPUS="${PATCHKIT_BUILD_CORPUS:-1}"; fi
if [ -z "${PATCHKIT_CORPUS:-}" ] && [ "${PATCHKIT_BUILD_CORPUS:-0}" = "1" ] \
   && [ -x ../shared/tools/corpus/build.sh ]; then
  ../shared/tools/corpus/build.sh "${PATCHKIT_CI_CACHE}/corpus" \
    && PATCHKIT_CORPUS="${PATCHKIT_CI_CACHE}/corpus"
fi
if [ -n "${PATCHKIT_CORPUS:-}" ]; then
  export PATCHKIT_CORPUS
  echo "tree: corpus tests use PATCHKIT_CORPUS=$PATCHKIT_CORPUS"
else
  echo "tree: no vLLM corpus found; tests/dockerfile/test_corpus.py will skip (set PATCHKIT_BUILD_CORPUS=1 to build one)"
fi
