"""Names patchkit's fixes insert pass BuildKit's SecretsUsedInArgOrEnv check (issue 17).

The token lists below are copied by hand from moby/buildkit
frontend/dockerfile/dockerfile2llb/validations.go (getSecretsRegex) at
73ed6825c4b7569379ef89df0aedcdbe64473d31, as are the flagged/accepted names.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from patchkit.dockerfile import parse
from patchkit.lint.base import DEFAULT_CACHE_KEY_ARG, LintContext
from patchkit.lint.buildkit_secrets import ALLOW_TOKENS, SECRET_TOKENS, flagged_as_secret
from patchkit.lint.runner import fix_text

HERE = Path(__file__).resolve().parent


def test_token_lists_are_buildkits() -> None:
    assert set(SECRET_TOKENS) == {
        "apikey",
        "auth",
        "credential",
        "credentials",
        "key",
        "password",
        "pword",
        "passwd",
        "secret",
        "token",
    }
    assert set(ALLOW_TOKENS) == {"public", "file", "version"}


@pytest.mark.parametrize(
    ("name", "flagged"),
    [
        # flagged by BuildKit: a token as a whole _-separated word, any case
        ("PATCHKIT_CACHE_KEY", True),
        ("api_key", True),
        ("GITHUB_TOKEN", True),
        ("secret_MESSAGE", True),
        ("AUTH", True),
        ("DB_PASSWD", True),
        # accepted: an allow word, or the token only inside a word
        ("PUBLIC_KEY", False),
        ("KEY_FILE", False),
        ("TOKEN_VERSION", False),
        ("KEYRING", False),
        ("MONKEY", False),
        ("AUTHOR", False),
        ("PATCHKIT_CACHE_INPUT", False),
    ],
)
def test_flagged_as_buildkit_does(name: str, flagged: bool) -> None:
    assert flagged_as_secret(name) is flagged


def test_default_cache_key_arg_passes() -> None:
    assert not flagged_as_secret(DEFAULT_CACHE_KEY_ARG)
    assert not flagged_as_secret(LintContext().cache_key_arg)


def test_a_flagged_cache_key_arg_is_refused() -> None:
    with pytest.raises(ValueError, match="SecretsUsedInArgOrEnv"):
        LintContext(cache_key_arg="MY_CACHE_KEY")


def _declared(text: str) -> set[str]:
    tree = parse(text)
    return {kv.key for i in tree.instructions if i.keyword in ("ARG", "ENV") for kv in i.pairs}


@pytest.mark.parametrize(
    "path",
    sorted((HERE / "fixtures").glob("PKD*/*.Dockerfile")),
    ids=lambda p: f"{p.parent.name}/{p.stem}",
)
def test_every_inserted_name_passes(path: Path, lint_helpers) -> None:
    """Every ARG/ENV name any fix (safe or unsafe) adds to a fixture passes the check."""
    text = lint_helpers["read_fixture"](path)
    context = lint_helpers["context_for"](text)
    fixed = fix_text(text, path.name, context, unsafe=True).fixed
    for name in _declared(fixed) - _declared(text):
        assert not flagged_as_secret(name), name


def test_the_fixtures_do_insert_names(lint_helpers) -> None:
    """The check above is not vacuous: the fixes insert the cache-key ARG and TARGETARCH."""
    inserted: set[str] = set()
    for path in sorted((HERE / "fixtures").glob("PKD*/*.Dockerfile")):
        text = lint_helpers["read_fixture"](path)
        fixed = fix_text(text, path.name, lint_helpers["context_for"](text), unsafe=True).fixed
        inserted |= _declared(fixed) - _declared(text)
    assert {DEFAULT_CACHE_KEY_ARG, "TARGETARCH"} <= inserted
