# A stand-in upstream written for patchkit's example, in the shape of vLLM's
# build (not vLLM's code): the version comes from git tags through
# setuptools-scm, called directly in setup.py *before* setup() runs and
# *without* dist_name. So only the generic SETUPTOOLS_SCM_PRETEND_VERSION can
# stand in for git when the build has no usable .git (a submodule's .git is a
# pointer file the build context cannot resolve); a dist-named
# SETUPTOOLS_SCM_PRETEND_VERSION_FOR_VLLM is never read on this call path.
import os

from setuptools import setup
from setuptools_scm import get_version


def target_device() -> str:
    return os.getenv("VLLM_TARGET_DEVICE", "cuda")


def project_version() -> str:
    # Like upstream: an explicit override is copied into the generic variable.
    override = os.getenv("VLLM_VERSION_OVERRIDE")
    if override:
        os.environ["SETUPTOOLS_SCM_PRETEND_VERSION"] = override
        return get_version(write_to="vllm/_version.py")

    version = get_version(write_to="vllm/_version.py")
    # A local label names the build flavour; "+" only once per version.
    separator = "." if "+" in version else "+"
    if target_device() == "cpu":
        version += f"{separator}cpu"
    return version


setup(
    version=project_version(),
    packages=["vllm"],
)
