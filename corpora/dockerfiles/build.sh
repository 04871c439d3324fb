#!/usr/bin/env bash
# Rebuild the real-world Dockerfile corpus that PKD001/PKD002 are judged on
# (issue 17) into OUTDIR, which must be outside this repository: the files are
# other projects' code and are never committed here. Only list.tsv (repo, path,
# commit, git blob id) and judgements.tsv are.
#
# usage: corpora/dockerfiles/build.sh [--from github|mirror|local] [--list LIST] OUTDIR
#
#   --list LIST    the rows to rebuild (default: list.tsv beside this script);
#                  corpora/dockerfiles-2/list.tsv is the second, larger corpus
#
#   --from github  (default) https://raw.githubusercontent.com/<repo>/<commit>/<path>
#   --from mirror  git snapshots under ${MIRROR:-/work/.mirror}/<owner>+<name>/repo
#                  (`git show <commit>:<path>`)
#   --from local   copies kept in ${LOCAL:-/work/corpus-dockerfiles/files}/<owner>+<name>/<path>
#
# Every file is checked against its git blob id (`git hash-object`); a file
# that does not match is reported and left out, and the script exits 1.
# Output: OUTDIR/<owner>+<name>/<path>; rows already present and matching are kept.
#
# How list.tsv was chosen: public repositories (none of them vLLM), at the
# commit of their snapshot; every regular file named Dockerfile, Dockerfile.*,
# Dockerfile-*, *.Dockerfile or Containerfile (any case), 200 kB or less, not
# under testdata/, testfiles/, vendor/ or node_modules/, and not a template
# (.erb, .template, .tmpl, .j2); one file per distinct blob; at most 15 per
# repository, taken in order of sha1(path) so no folder dominates. Five more rows
# (rivertam/docker-ccache-example, calm04061/rust-docker-cache, dashpay/mtime-cache-test,
# shyndman/arena-autocam) were found by searching for cache mounts of build trees and
# cargo targets, and read at the commit listed; they are not in the mirror snapshots.
# The 134 files of 14 more repositories (gitpod-io/workspace-images, jenkinsci/docker,
# microsoft/vscode-dev-containers, …) were added after the rules were final, as a
# held-out check: their 7 findings are judged like the others.
set -euo pipefail
from=github
here=$(cd "$(dirname "$0")" && pwd)
list=$here/list.tsv
while [[ $# -gt 1 ]]; do
  case "$1" in
    --from) from=${2:?}; shift 2 ;;
    --list) list=${2:?}; shift 2 ;;
    *) break ;;
  esac
done
if [[ $# -ne 1 || "$1" == -* ]]; then
  echo "usage: $0 [--from github|mirror|local] [--list LIST] OUTDIR" >&2
  exit 2
fi
[[ -f "$list" ]] || { echo "no list $list" >&2; exit 2; }
out=$1
top=$(git -C "$here" rev-parse --show-toplevel 2>/dev/null || echo "$here")
mkdir -p "$out"
case "$(cd "$out" && pwd)/" in "$top"/*) echo "OUTDIR must be outside the repository ($top)" >&2; exit 2;; esac
mirror=${MIRROR:-/work/.mirror}
local_copies=${LOCAL:-/work/corpus-dockerfiles/files}
bad=0 n=0
while IFS=$'\t' read -r repo path commit blob; do
  [[ "$repo" == repo ]] && continue
  dest="$out/${repo/\//+}/$path"
  if [[ -f "$dest" && "$(git hash-object "$dest")" == "$blob" ]]; then n=$((n + 1)); continue; fi
  mkdir -p "$(dirname "$dest")"
  case "$from" in
    github) curl -fsSL --retry 3 -o "$dest.part" "https://raw.githubusercontent.com/$repo/$commit/$path" || true ;;
    mirror)
      g="$mirror/${repo/\//+}/repo"; [[ -d "$g/.git" ]] && g="$g/.git"
      git --git-dir="$g" show "$commit:$path" >"$dest.part" 2>/dev/null || true ;;
    local) cp "$local_copies/${repo/\//+}/$path" "$dest.part" 2>/dev/null || true ;;
    *) echo "unknown --from $from" >&2; exit 2 ;;
  esac
  if [[ -f "$dest.part" && "$(git hash-object "$dest.part")" == "$blob" ]]; then
    mv "$dest.part" "$dest"; n=$((n + 1))
  else
    rm -f "$dest.part"; echo "missing or changed: $repo $path @ $commit" >&2; bad=$((bad + 1))
  fi
done <"$list"
echo "$n files in $out ($bad missing)" >&2
[[ $bad -eq 0 ]]
