"""patchkit.upstream.git on real throwaway repositories (expected values come from git)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from patchkit.upstream.git import Describe, GitError, GitRepo


def test_describe_matches_plain_git(sandbox):
    up = sandbox()
    up.commit("first", a="1\n")
    up.tag("v0.21.1rc0")
    up.commit("second", b="2\n")
    head = up.commit("third")
    got = GitRepo.open(up.root).describe(match="v[0-9]*")
    expected = up.git("describe", "--tags", "--long", "--abbrev=40", "--match", "v[0-9]*")
    assert got == Describe("v0.21.1rc0", 2, head, False)
    assert expected == f"v0.21.1rc0-2-g{head}"


def test_describe_match_skips_other_tags(sandbox):
    up = sandbox()
    up.commit("first")
    up.tag("v0.33.0", annotated=True)
    up.commit("crate release")
    up.tag("proto-v0.3.0")
    repo = GitRepo.open(up.root)
    assert repo.describe(match="v[0-9]*").tag == "v0.33.0"
    assert repo.describe(match="*[0-9]*").tag == "proto-v0.3.0"


def test_tagless_checkout_has_no_describe(sandbox):
    up = sandbox()
    up.commit("first")
    assert GitRepo.open(up.root).describe() is None


def test_dirty_only_for_tracked_changes(sandbox):
    up = sandbox()
    up.commit("first", a="1\n")
    up.tag("v1.0.0")
    repo = GitRepo.open(up.root)
    up.write("untracked.txt", "x")
    assert repo.describe().dirty is False
    up.write("a", "2\n")
    assert repo.describe().dirty is True
    assert repo.describe().exact is False


def test_describe_many_mixes_tagged_and_untagged(sandbox):
    up = sandbox()
    first = up.commit("first")
    second = up.commit("second")
    up.tag("v1.0.0")
    third = up.commit("third")
    got = GitRepo.open(up.root).describe_many([first, second, third], match="v*")
    assert got[first] is None
    assert got[second] == Describe("v1.0.0", 0, second)
    assert got[third] == Describe("v1.0.0", 1, third)


def test_nested_folder_is_refused(sandbox):
    up = sandbox()
    up.commit("first", sub__f="x")
    with pytest.raises(GitError, match="inside the git checkout"):
        GitRepo.open(up.root / "sub")


def test_plain_folder_is_refused_with_hint(tmp_path: Path):
    (tmp_path / "plain").mkdir()
    with pytest.raises(GitError) as info:
        GitRepo.open(tmp_path / "plain")
    assert "not a git checkout" in str(info.value)
    assert "--upstream-version" in info.value.render()


def test_missing_folder(tmp_path: Path):
    with pytest.raises(GitError, match="no such folder"):
        GitRepo.open(tmp_path / "nope")


def test_shallow_clone_is_detected(sandbox, tmp_path: Path):
    up = sandbox()
    for i in range(3):
        up.commit(f"c{i}")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{up.root}", str(clone)],
        check=True,
        env=up.env(),
    )
    assert GitRepo.open(clone).is_shallow() is True
    assert GitRepo.open(up.root).is_shallow() is False


def test_submodule_checkout_is_its_own_top_level(sandbox, tmp_path: Path):
    up = sandbox("vllm-origin")
    up.commit("first", setup_py="x")
    up.tag("v0.33.0")
    down = sandbox("downstream")
    down.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(up.root), "vllm")
    down.commit("add submodule")
    assert (down.root / "vllm" / ".git").is_file()  # the pointer file of the issue
    repo = GitRepo.open(down.root / "vllm")
    assert repo.describe().tag == "v0.33.0"


def test_changes_follow_first_parent_through_a_merge(sandbox):
    up = sandbox()
    base = up.commit("base", f="0\n")
    up.git("checkout", "-q", "-b", "side")
    up.commit("side edit", f="side\n", g="new\n")
    up.git("checkout", "-q", "main")
    up.commit("main edit", h="h\n")
    up.git("merge", "-q", "--no-ff", "-m", "merge side", "side")
    merge = up.git("rev-parse", "HEAD")
    repo = GitRepo.open(up.root)
    seen = list(repo.changes(f"{base}..HEAD"))
    assert [c for c, _ in seen] == repo.rev_list(f"{base}..HEAD")
    assert (
        len(seen) == 2
    )  # main edit, then the merge; the side commit is not on the first-parent line
    merge_changes = {ch.path: ch.blob for ch in seen[-1][1]}
    assert seen[-1][0] == merge
    assert merge_changes == {
        "f": up.git("rev-parse", "HEAD:f"),
        "g": up.git("rev-parse", "HEAD:g"),
    }


def test_changes_report_deletions(sandbox):
    up = sandbox()
    base = up.commit("base", f="0\n")
    up.git("rm", "-q", "f")
    up.commit("delete")
    ((_commit, changes),) = GitRepo.open(up.root).changes(f"{base}..HEAD")
    assert [(c.path, c.blob) for c in changes] == [("f", None)]


def test_blob_reader_reads_many_objects_in_one_process(sandbox):
    up = sandbox()
    up.commit("one", docker__Dockerfile="FROM a\n")
    up.commit("two", docker__Dockerfile="FROM b\n")
    repo = GitRepo.open(up.root)
    with repo.blob_reader() as blobs:
        assert blobs.text("HEAD:docker/Dockerfile") == "FROM b\n"
        assert blobs.text("HEAD~1:docker/Dockerfile") == "FROM a\n"
        assert blobs.text("HEAD:missing") is None
        blob = up.git("rev-parse", "HEAD~1:docker/Dockerfile")
        assert blobs.text(blob) == "FROM a\n"


def test_ls_tree_lists_files_with_blobs(sandbox):
    up = sandbox()
    up.commit("one", docker__Dockerfile_cpu="FROM a\n", setup_py="x\n")
    tree = GitRepo.open(up.root).ls_tree("HEAD")
    assert set(tree) == {"docker/Dockerfile_cpu", "setup_py"}
    assert tree["setup_py"] == up.git("rev-parse", "HEAD:setup_py")


def test_revision_that_looks_like_an_option_is_not_run(sandbox):
    up = sandbox()
    up.commit("one")
    assert GitRepo.open(up.root).resolve("--output=/tmp/x") is None


def test_hook_variables_do_not_redirect_git(sandbox, monkeypatch):
    """A git hook exports GIT_DIR & co; reading vllm/ must still read vllm/."""
    up = sandbox("upstream")
    up.commit("one")
    up.tag("v0.33.0")
    other = sandbox("other")
    other.commit("one")
    other.tag("v9.0.0")
    monkeypatch.setenv("GIT_DIR", str(other.root / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other.root))
    repo = GitRepo.open(up.root)
    assert repo.describe().tag == "v0.33.0"
    with repo.blob_reader() as blobs:
        assert blobs.read("v9.0.0") is None
