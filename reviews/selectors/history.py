"""Every saved version of a return, each with what changed since the one before (as a diff)."""

from dataclasses import dataclass, field

from mappa.diffs import line_diff
from reviews import rules
from reviews.models import FIGURES, TEXT_LIMITS, THEME_FIELDS, QuarterlyReturn

Status = QuarterlyReturn.Status


HISTORY_FIELDS = [
    "status",
    "is_nil_return",
    *FIGURES,
    *THEME_FIELDS,
    "theme_other_text",
    "category3_decline_reasons",
    "narrative",
    "learning",
    "escalations",
]
_TEXTS = set(TEXT_LIMITS) - {"theme_other_text"}


@dataclass
class FieldChange:
    label: str
    old: object
    new: object
    lines: list = field(default_factory=list)  # for long text: (kind, text), kind "same", "removed" or "added"


@dataclass
class Version:
    number: int
    at: object
    by: object
    status: str
    changes: list


def _shown(name, value):
    if name == "status":
        return Status(value).label if value else ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return "Not answered" if value is None else value


def return_history(ret):
    """Every saved version of the return, oldest first, each with what changed since the one before."""
    records = list(ret.history.select_related("history_user__person").order_by("history_date", "history_id"))
    versions = []
    previous = None
    for number, record in enumerate(records, start=1):
        changes = []
        for name in HISTORY_FIELDS:
            new = getattr(record, name)
            old = getattr(previous, name) if previous is not None else None
            if previous is None and new in (None, "", False) and name != "status":
                continue
            if previous is not None and old == new:
                continue
            label = "Status" if name == "status" else rules.label(name)
            change = FieldChange(label, _shown(name, old) if previous is not None else "", _shown(name, new))
            if name in _TEXTS:
                change.lines = line_diff(old if previous is not None else "", new)
            changes.append(change)
        versions.append(
            Version(number, record.history_date, record.history_user, _shown("status", record.status), changes)
        )
        previous = record
    return versions
