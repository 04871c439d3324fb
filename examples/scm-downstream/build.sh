#!/bin/sh
set -eu
# Not exported: pip's build subprocess never sees it.
SETUPTOOLS_SCM_PRETEND_VERSION=v0.21.1-rc0
pip wheel --no-deps -w dist upstream/
MYPKG_VERSION_OVERRIDE=0.21.1 pip wheel --no-deps -w dist upstream/
