"""Line-by-line differences between two versions of a text, for history and "what changed" pages."""

import difflib

SAME, REMOVED, ADDED = "same", "removed", "added"
_KINDS = {"  ": SAME, "- ": REMOVED, "+ ": ADDED}


def line_diff(old, new):
    """``[(kind, line)]`` from ``old`` to ``new`` (texts or lists of lines); kind is "same", "removed" or "added".

    difflib's "? " hint lines are left out: the pages show whole lines.
    """
    old_lines = old.splitlines() if isinstance(old, str) else list(old or [])
    new_lines = new.splitlines() if isinstance(new, str) else list(new or [])
    return [(_KINDS[line[:2]], line[2:]) for line in difflib.ndiff(old_lines, new_lines) if line[:2] in _KINDS]
