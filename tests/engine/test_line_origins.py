"""Where each line of a patched copy comes from (issue 20, part 4): the upstream line it
was, or the patch that wrote it, at that patch's transform."""

from __future__ import annotations

from pathlib import Path

from patchkit.engine import apply_to_text, line_origins
from patchkit.series import load_series, parse_patch

ROOT = Path(__file__).resolve().parents[2]


def _patch(pid: str, transform: str) -> object:
    return parse_patch(
        f"id: {pid}\nsummary: s\nwhy: w\nfiles: [Dockerfile]\ntransform:\n{transform}",
        f"patches/{pid}.yaml",
    )


def test_every_line_of_the_example_copy_has_its_origin() -> None:
    series = load_series(ROOT / "examples" / "patches")
    text = (ROOT / "examples/upstream/docker/Dockerfile.cpu").read_text(encoding="utf-8")
    patches = [p for p in series.patches if p.id != "cpu-deps-cache-per-arch-0.9"]
    result = apply_to_text(text, patches, path="docker/Dockerfile.cpu")
    origins = line_origins(text, result.edits)
    new, old = result.text.splitlines(), text.splitlines()
    assert len(origins) == len(new)
    written = {}
    for number, (line, origin) in enumerate(zip(new, origins, strict=True), 1):
        if origin.patch is None:
            assert old[origin.line - 1] == line  # an untouched line, at its upstream number
        else:
            written[number] = (origin.patch.id, origin.line)
    assert written[39] == ("cpu-deps-cache-per-arch", 21)  # ARG TARGETARCH
    assert written[41] == ("cpu-deps-cache-per-arch", 21)  # the mount given an id
    assert written[57] == written[58] == ("cpu-rust-scm-pretend-version", 18)
    assert written[83] == ("cpu-wheel-checksum", 25)
    assert len(written) == 10


def test_two_patches_inserting_at_one_point_own_their_own_lines() -> None:
    a = _patch(
        "a", "  kind: insert\n  anchor: {keyword: RUN}\n  text: ENV A=1\n  position: before\n"
    )
    b = _patch(
        "b", "  kind: insert\n  anchor: {keyword: RUN}\n  text: ENV B=1\n  position: before\n"
    )
    text = "FROM x\nRUN make\nRUN test\n"
    result = apply_to_text(text, [a, b])  # type: ignore[list-item]
    assert result.text == "FROM x\nENV A=1\nENV B=1\nRUN make\nRUN test\n"
    origins = line_origins(text, result.edits)
    assert [(o.patch.id if o.patch else None, o.line) for o in origins] == [
        (None, 1),
        ("a", 8),  # the line of `text:` in a's file
        ("b", 8),
        (None, 2),
        (None, 3),
    ]


def test_a_removal_marks_the_line_it_happened_in() -> None:
    p = _patch(
        "r",
        "  kind: replace\n  anchor: {keyword: RUN, pattern: make}\n  find: ' -j8'\n  with: ''\n",
    )
    text = "FROM x\nRUN make -j8\nRUN test\n"
    result = apply_to_text(text, [p])  # type: ignore[list-item]
    assert result.text == "FROM x\nRUN make\nRUN test\n"
    origins = line_origins(text, result.edits)
    assert [(o.patch.id if o.patch else None, o.line) for o in origins] == [
        (None, 1),
        ("r", 9),  # the line of `with:`
        (None, 3),
    ]


def test_no_edits_is_the_upstream_text_line_for_line() -> None:
    origins = line_origins("FROM x\nRUN a", ())
    assert [(o.patch, o.line) for o in origins] == [(None, 1), (None, 2)]
