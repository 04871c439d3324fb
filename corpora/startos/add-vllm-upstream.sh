#!/usr/bin/env bash
# Give a vllm-startos tree of the corpus its upstream back, from real vLLM files.
#
# usage: corpora/startos/add-vllm-upstream.sh TREE VERSION VLLM_CORPUS
#   TREE         a vllm-startos tree built by build.sh (or --from-mirror)
#   VERSION      the vLLM release the submodule pointed at (a folder of VLLM_CORPUS/vllm/)
#   VLLM_CORPUS  the folder ../shared/tools/corpus/build.sh wrote (vLLM's sdists: setup.py,
#                pyproject.toml and every Dockerfile, as released)
#
# The corpus holds no submodule contents, and this machine cannot clone vllm-project/vllm,
# so the submodule is rebuilt from the release's sdist files: .gitmodules names it, and
# vllm/.git is the pointer file a real submodule checkout has (useless in a build context,
# which is what the vllm package's first failure was about). Nothing is run.
set -euo pipefail
tree=$1 version=$2 corpus=$3
src="$corpus/vllm/$version"
[ -d "$src" ] || { echo "no $src (see $corpus/vllm/versions.tsv)" >&2; exit 2; }
mkdir -p "$tree/vllm"
cp -R "$src/." "$tree/vllm/"
printf 'gitdir: ../.git/modules/vllm\n' > "$tree/vllm/.git"
[ -f "$tree/.gitmodules" ] || printf '[submodule "vllm"]\n\tpath = vllm\n\turl = https://github.com/vllm-project/vllm.git\n' > "$tree/.gitmodules"
echo "$tree: vllm/ from the vLLM $version sdist"
