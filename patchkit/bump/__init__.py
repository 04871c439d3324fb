"""``patchkit bump``: move a downstream package to a new upstream version, all or nothing.

The library behind the command (the CLI is ``patchkit.cli.commands.bump``):

- ``places``: the version places and how each is respelled (``NewVersion``, ``Edit``);
- ``graph``: the one-file-per-release convention (a new version file and its graph entry);
- ``plan``: ``plan_bump`` computes every file's new text without writing;
  ``write_bump`` writes the version files and the patched copies (``engine.stage_plan``)
  in one all-or-nothing step (``patchkit._fs``: stage all, then rename each);
- ``target``: ``REF|VERSION``, the new upstream version as the command line names it;
- ``report``: the text summary, the ``patchkit/bump/v1`` JSON document, the diffs.
"""

from __future__ import annotations

from patchkit.bump.places import Edit, NewVersion
from patchkit.bump.plan import BumpPlan, FileChange, plan_bump, write_bump

__all__ = ["BumpPlan", "Edit", "FileChange", "NewVersion", "plan_bump", "write_bump"]
