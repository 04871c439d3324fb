from __future__ import annotations

import os
import sys

# `python -m patchkit` puts the working folder first on sys.path, and patchkit is often
# run from a downstream repo or inside an upstream checkout: an `argparse.py` or
# `tomlkit.py` there would be imported (run) instead of the real module. patchkit itself
# is already imported at this point (its submodules load through its package path), so
# the working folder can go. The `patchkit` console script never had it on sys.path.
_SAFE_PATH = getattr(sys.flags, "safe_path", False)  # python -P (3.11+): nothing was added
if not _SAFE_PATH and sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from patchkit.cli.main import main  # noqa: E402

raise SystemExit(main())
