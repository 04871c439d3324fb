# A tiny upstream in vLLM's shape (written for patchkit's examples, not copied):
# setup.py asks setuptools-scm for the version itself, before setup(), with no
# dist_name, and lets MYPKG_VERSION_OVERRIDE feed the generic variable.
import os

from setuptools import setup
from setuptools_scm import get_version


def get_mypkg_version() -> str:
    if env_version := os.getenv("MYPKG_VERSION_OVERRIDE"):
        os.environ["SETUPTOOLS_SCM_PRETEND_VERSION"] = env_version
        return get_version(write_to="mypkg/_version.py")

    version = get_version(write_to="mypkg/_version.py")
    return version + "+cpu"


setup(version=get_mypkg_version())
