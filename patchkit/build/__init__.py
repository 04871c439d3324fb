"""The build model: what a downstream repo really builds, read from its own files.

``discover_build(config)`` returns a ``BuildModel``: per image build, the
Dockerfile, context, target stage, platforms and build args (or the prebuilt
tag), each fact with the file and line it came from. ``check`` and ``lint``
judge that build; see docs/build-model.md.
"""

from patchkit.build.discover import discover_build, file_writers
from patchkit.build.model import Build, BuildModel, Fact, Submodule, platform_of_arch

__all__ = [
    "Build",
    "BuildModel",
    "Fact",
    "Submodule",
    "discover_build",
    "file_writers",
    "platform_of_arch",
]
