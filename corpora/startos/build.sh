#!/usr/bin/env bash
# Rebuild the StartOS package corpus listed in repos.tsv into DIR (outside this repo).
#
#   build.sh DIR                          clone each repo at its commit from github.com
#   build.sh --from-mirror [MIRRORS] DIR  same, from local bare mirrors laid out as
#                                         MIRRORS/<owner>+<repo>/repo (default /work/.mirror)
#
# Each row becomes DIR/<owner>+<repo>@<short12>/, a git checkout (detached, depth 1) of
# that commit. Submodules are NOT fetched: their folders stay empty, as in a fresh
# `git clone` without --recurse-submodules; .gitmodules is in the tree, and every
# gitlink (path and pinned commit) is listed in DIR/_submodules.tsv. Rows whose repo has
# no mirror are listed in DIR/_skipped.tsv. Nothing here builds or runs the packages.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
list=$here/repos.tsv
mirrors=
if [[ ${1:-} == --from-mirror ]]; then
  shift
  mirrors=/work/.mirror
  if [[ $# -ge 2 ]]; then mirrors=$1; shift; fi
fi
[[ $# -eq 1 ]] || { echo "usage: $0 [--from-mirror [MIRRORS]] DIR" >&2; exit 2; }
out=$1
mkdir -p "$out"
out=$(cd "$out" && pwd)
case "$out/" in "$(git -C "$here" rev-parse --show-toplevel 2>/dev/null || echo /nonexistent)"/*)
  echo "DIR must be outside this repository" >&2; exit 2 ;;
esac

printf 'tree\tpath\tcommit\turl\n' >"$out/_submodules.tsv"
printf 'repo\tcommit\twhy\n' >"$out/_skipped.tsv"
ok=0 skipped=0
while IFS=$'\t' read -r repo commit note; do
  [[ $repo == repo || -z $repo || $repo == \#* ]] && continue
  name=${repo/\//+}@${commit:0:12}
  dest=$out/$name
  if [[ -d $dest/.git ]] && [[ $(git -C "$dest" rev-parse HEAD 2>/dev/null) == "$commit" ]]; then
    ok=$((ok + 1))
  else
    if [[ -n $mirrors ]]; then
      src=$mirrors/${repo/\//+}/repo
      [[ -d $src/.git ]] && src=$src/.git
      if ! git --git-dir="$src" cat-file -e "$commit^{commit}" 2>/dev/null; then
        printf '%s\t%s\t%s\n' "$repo" "$commit" "no mirror with this commit" >>"$out/_skipped.tsv"
        skipped=$((skipped + 1)); continue
      fi
      upload=(--upload-pack="git -c uploadpack.allowAnySHA1InWant=true upload-pack")
    else
      src=https://github.com/$repo.git
      upload=()
    fi
    rm -rf "$dest"
    git init -q "$dest"
    if ! git -C "$dest" fetch -q --depth 1 ${upload[@]+"${upload[@]}"} "$src" "$commit" 2>"$dest.err"; then
      printf '%s\t%s\t%s\n' "$repo" "$commit" "fetch failed: $(tr -d "\0" <"$dest.err" | tr "\n" " ")" >>"$out/_skipped.tsv"
      rm -rf "$dest" "$dest.err"; skipped=$((skipped + 1)); continue
    fi
    rm -f "$dest.err"
    git -C "$dest" -c advice.detachedHead=false checkout -q FETCH_HEAD
    git -C "$dest" remote add origin "https://github.com/$repo.git"
    ok=$((ok + 1))
  fi
  git -C "$dest" ls-tree -r HEAD | awk -v t="$name" '$2 == "commit" { print t "\t" $4 "\t" $3 }' |
    while IFS=$'\t' read -r t p c; do
      url=$(git -C "$dest" config -f .gitmodules --get-regexp '^submodule\..*\.path$' 2>/dev/null |
        awk -v p="$p" '$2 == p { sub(/\.path$/, ".url", $1); print $1 }' | head -1)
      [[ -n $url ]] && url=$(git -C "$dest" config -f .gitmodules --get "$url" || true)
      printf '%s\t%s\t%s\t%s\n' "$t" "$p" "$c" "${url:-}"
    done >>"$out/_submodules.tsv"
done <"$list"
echo "built $ok trees in $out; skipped $skipped (see _skipped.tsv)"
