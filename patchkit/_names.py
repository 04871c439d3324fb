"""File names that look like Dockerfiles but are not (shared by ``lint`` and ``scm``)."""

from __future__ import annotations

__all__ = ["NOT_DOCKERFILE_SUFFIXES"]

# "Dockerfile.*" names that are not Dockerfiles: notes, patches, data next to them, and
# BuildKit's per-Dockerfile ignore file (`Dockerfile.dockerignore` is the .dockerignore
# of `Dockerfile`; `app.Dockerfile.dockerignore` of `app.Dockerfile`).
NOT_DOCKERFILE_SUFFIXES = (
    ".dockerignore",
    ".md",
    ".txt",
    ".tsv",
    ".json",
    ".yml",
    ".yaml",
    ".sh",
    ".orig",
    ".rej",
    ".bak",
    ".patch",
    ".diff",
    ".lock",
)
