# shellcheck shell=bash
# Sets up a real BuildKit for the e2e tests (tests/e2e/), offline: Debian trixie's dockerd 26.1
# (embedded BuildKit 0.13) and docker-buildx 0.13, fetched with apt into a private folder and
# unpacked there, plus the host packages the daemon needs (containerd, runc, busybox-static).
#
#   source .ci/setup-e2e.sh   # what .ci/run does: exports PATCHKIT_BUILDKIT_ROOT
#   bash .ci/setup-e2e.sh     # prints PATCHKIT_BUILDKIT_ROOT=...; exit 1 (reason on stderr) if impossible
#
# The trixie packages are never installed: apt downloads them with its own lists, cache and an
# empty dpkg status (the system's sources and dpkg state are untouched) and dpkg-deb unpacks them
# under "$PATCHKIT_CI_CACHE/buildkit/root". Idempotent; when already done it runs no apt at all.
# When sourced it never fails: if setup is impossible (not root, no apt, no overlayfs, no
# network to the Debian mirror) it says why, exports PATCHKIT_E2E_UNAVAILABLE with the reason,
# and the e2e tests skip with it.

_pk_e2e_why=
_pk_e2e_root=

_pk_e2e_log() { echo "setup-e2e: $*" >&2; }

# Installs the bookworm packages the daemon runs on, running `apt-get update` only if the
# first attempt fails (missing or stale package lists).
_pk_e2e_host_packages() {
  local missing=() p
  for p in containerd runc busybox-static; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  _pk_e2e_log "apt-get install ${missing[*]}"
  local install=(apt-get install -y -qq --no-install-recommends "${missing[@]}")
  if ! DEBIAN_FRONTEND=noninteractive "${install[@]}" >/dev/null 2>&1; then
    _pk_e2e_log "apt-get update (package lists missing or stale)"
    apt-get update -qq >/dev/null 2>&1 || { _pk_e2e_why="apt-get update failed"; return 1; }
    DEBIAN_FRONTEND=noninteractive "${install[@]}" >/dev/null 2>&1 \
      || { _pk_e2e_why="apt-get install ${missing[*]} failed"; return 1; }
  fi
}

# Downloads trixie's docker.io and docker-buildx with a private apt configuration and unpacks
# them into $1/root. The stamp file is written last, so a half-done run is redone.
_pk_e2e_trixie_tools() {
  local bk=$1 uri=http://deb.debian.org/debian keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  [ -f "$bk/root/.patchkit-e2e-ok" ] && return 0
  if [ -r /etc/apt/sources.list.d/debian.sources ]; then  # the machine's own mirror, if deb822
    local u
    u=$(awk '/^$/{exit} /^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
    [ -n "$u" ] && uri=$u
  fi
  mkdir -p "$bk/apt/etc" "$bk/apt/lists/partial" "$bk/apt/cache/archives/partial" "$bk/debs" \
    || { _pk_e2e_why="cannot create $bk"; return 1; }
  printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: %s\n' \
    "$uri" "$keyring" > "$bk/apt/etc/trixie.sources"
  local a=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$bk/apt/etc"
    -o "Dir::State::Lists=$bk/apt/lists" -o "Dir::Cache=$bk/apt/cache"
    -o Dir::State::status=/dev/null -o APT::Architectures::=amd64 -o APT::Sandbox::User=root)
  if ! ls "$bk"/debs/docker.io_*.deb "$bk"/debs/docker-buildx_*.deb >/dev/null 2>&1; then
    _pk_e2e_log "apt-get download docker.io docker-buildx (Debian trixie, private apt state in $bk/apt)"
    apt-get "${a[@]}" update -qq >/dev/null 2>&1 \
      || { _pk_e2e_why="apt-get update of the private trixie lists failed ($uri)"; return 1; }
    (cd "$bk/debs" && apt-get "${a[@]}" download -qq docker.io docker-buildx >/dev/null 2>&1) \
      || { _pk_e2e_why="apt-get download docker.io docker-buildx (trixie) failed"; return 1; }
  fi
  rm -rf "$bk/root"
  local f
  for f in "$bk"/debs/docker.io_*.deb "$bk"/debs/docker-buildx_*.deb; do
    dpkg-deb -x "$f" "$bk/root" || { _pk_e2e_why="dpkg-deb -x $f failed"; return 1; }
  done
  (cd "$bk/debs" && ls docker.io_*.deb docker-buildx_*.deb) > "$bk/root/.patchkit-e2e-ok"
}

_pk_e2e_setup() {
  local bk="${PATCHKIT_CI_CACHE:-${TMPDIR:-/tmp}/patchkit-ci}/buildkit"
  [ "$(id -u)" = 0 ] || { _pk_e2e_why="not root: dockerd needs root"; return 1; }
  command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null \
    || { _pk_e2e_why="apt-get/dpkg-deb not found: the e2e tests need a Debian-based machine"; return 1; }
  grep -qw overlay /proc/filesystems || modprobe overlay >/dev/null 2>&1
  grep -qw overlay /proc/filesystems || { _pk_e2e_why="the kernel has no overlayfs"; return 1; }
  _pk_e2e_host_packages || return 1
  _pk_e2e_trixie_tools "$bk" || return 1
  local r="$bk/root"
  "$r/usr/sbin/dockerd" --version >/dev/null 2>&1 \
    || { _pk_e2e_why="$r/usr/sbin/dockerd does not run"; return 1; }
  "$r/usr/libexec/docker/cli-plugins/docker-buildx" version >/dev/null 2>&1 \
    || { _pk_e2e_why="$r/usr/libexec/docker/cli-plugins/docker-buildx does not run"; return 1; }
  _pk_e2e_root=$r
}

# Called in an `if` so that a failing step never trips the caller's `set -e`.
if _pk_e2e_setup; then
  export PATCHKIT_BUILDKIT_ROOT="$_pk_e2e_root"
  unset PATCHKIT_E2E_UNAVAILABLE
  _pk_e2e_log "PATCHKIT_BUILDKIT_ROOT=$PATCHKIT_BUILDKIT_ROOT"
  if [ "${BASH_SOURCE[0]}" = "$0" ]; then echo "PATCHKIT_BUILDKIT_ROOT=$PATCHKIT_BUILDKIT_ROOT"; fi
else
  export PATCHKIT_E2E_UNAVAILABLE="$_pk_e2e_why"
  _pk_e2e_log "e2e tests will be skipped: $_pk_e2e_why"
  if [ "${BASH_SOURCE[0]}" = "$0" ]; then exit 1; fi
fi
unset -f _pk_e2e_log _pk_e2e_host_packages _pk_e2e_trixie_tools _pk_e2e_setup
unset _pk_e2e_why _pk_e2e_root
