"""Upstream versions as packagers write them, against the StartOS SDK's reading and ordering.

``fixtures/packagers_upstream_sdk.json`` holds real strings from StartOS package
repos (image tags, build args, version constants; see its ``source``) paired with
the upstream part of the same tree's current version, and what SDK 2.0.9 said:
``Version.parse`` of the string without a leading ``v`` and ``compare`` of the two.
The oracle test asks the SDK again when it is installed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from patchkit.versions.upstream import match_upstream, read_upstream

FIXTURES = Path(__file__).parent / "fixtures"
DATA = json.loads((FIXTURES / "packagers_upstream_sdk.json").read_text(encoding="utf-8"))
PAIRS: list[dict[str, Any]] = DATA["pairs"]


def _as_version(text: str) -> str:
    return text[1:] if text[:1] in "vV" and text[1:2].isdigit() else text


@pytest.mark.parametrize("pair", PAIRS, ids=[f"{p['text']}~{p['upstream']}" for p in PAIRS])
def test_reading_and_order_agree_with_the_sdk(pair: dict[str, Any]) -> None:
    reading = read_upstream(pair["text"])
    if pair["sdk_version"] is None:
        # the SDK rejects it as a version: patchkit reads it by another rule, or not at all
        assert reading is None or reading.how not in ("as written", "without the v")
        return
    assert reading is not None
    assert reading.how in ("as written", "without the v")
    assert str(reading.part) == pair["sdk_version"]
    match = match_upstream(pair["text"], pair["upstream"])
    assert match is not None
    assert match.order == pair["sdk_compare"]
    assert match.same is (pair["sdk_compare"] == 0)


def test_the_set_covers_the_shapes_packagers_use() -> None:
    texts = {p["text"] for p in PAIRS}
    assert {"v0.21.2-beta", "0.21.1rc0", "1.0.0-rc.1", "1.5.3.3", "29.1.0", "b9994"} <= texts
    assert {"29.1.knots20260210", "1.35.7-alpine", "2026.6.12-de8a3de15"} <= texts
    assert len(PAIRS) >= 90


@pytest.mark.parametrize(
    ("text", "upstream", "same"),
    [
        ("0.21.1rc0", "0.21.1-rc.0", True),  # PEP 440, mapped
        ("0.21.2b0", "0.21.2-beta", False),  # PEP 440 says beta.0, the SDK orders it above beta
        ("29.1.knots20260210", "29.1", True),  # the numbers, the suffix named
        ("b9994", "1.0.9994", None),  # no version in it: not judged
    ],
)
def test_strings_the_sdk_rejects(text: str, upstream: str, same: bool | None) -> None:
    match = match_upstream(text, upstream)
    assert (match.same if match is not None else None) is same


@pytest.mark.parametrize(
    ("tag", "upstream", "same"),
    [
        ("1.35.7-alpine", "1.35.7", True),  # an image variant, not a pre-release
        ("33.0.8-apache", "33.0.8", True),
        ("2026.6.12-de8a3de15", "2026.6.12", True),  # a commit suffix
        ("2026.7.1-2", "2026.7.1", True),  # a packaging revision
        ("1.5.3.3", "1.5.3", True),  # the image maker's rebuild of 1.5.3
        ("v0.17.0-alpha", "0.17.0-alpha", True),
        ("v0.19.1-beta", "0.19.2-beta", False),
        ("1.33.2-alpine", "1.34.1", False),
        ("14.0.0", "0.14.0", False),
        ("1.0.0-rc.1", "1.0.0", False),  # a real pre-release is not the release
        ("1.0.0", "1.0.0-rc.1", False),
        ("1.0.0-beta.2", "1.0.0", False),  # a numbered pre-release is a real one
        # the labelling conventions seen in the history of real packages:
        ("v0.17.2-alpha-docker", "0.17.2-alpha", True),  # lightning-terminal 0252368
        ("v0.15.4", "0.15.4-beta", True),  # ride-the-lightning 38932bd: the release is -beta
        ("v0.15.0-alpha", "0.15.0", True),  # lightning-terminal 1a92d45 dropped the -alpha
        ("v0.15.5", "0.15.4-beta", False),  # ride-the-lightning df71e85: the image is ahead
        ("1.2.3-rc.1-alpine", "1.2.3-rc.1", True),
    ],
)
def test_image_tags(tag: str, upstream: str, same: bool) -> None:
    match = match_upstream(tag, upstream, tag=True)
    assert match is not None and match.same is same


@pytest.mark.oracle
@pytest.mark.slow
def test_the_sdk_still_says_so(sdk_oracle: Any) -> None:
    records = sdk_oracle.parse([_as_version(p["text"]) for p in PAIRS], rule="version")
    for pair, record in zip(PAIRS, records, strict=True):
        assert (record["normalized"] if record["valid"] else None) == pair["sdk_version"], pair
    valid = [p for p in PAIRS if p["sdk_version"] is not None]
    answers = sdk_oracle.compare(
        [(f"{_as_version(p['text'])}:0", f"{p['upstream']}:0") for p in valid]
    )
    assert answers == [p["sdk_compare"] for p in valid]
