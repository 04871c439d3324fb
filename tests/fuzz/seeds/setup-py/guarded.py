import os

from setuptools import setup
from setuptools_scm import get_version

if os.environ.get("APP_TARGET_DEVICE", "cuda") == "cpu":
    os.environ.setdefault("SETUPTOOLS_SCM_PRETEND_VERSION", "0.0.0+cpu")


def version() -> str:
    try:
        return get_version(write_to="app/_version.py", dist_name="my-app")
    except LookupError:
        return "0.0.0"


kwargs = dict(name="my_app", version=version())
setup(**kwargs, use_scm_version={"fallback_version": "0.0.0"})
