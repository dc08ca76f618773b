"""What a return must say and what deserves a second look: its sections, errors and warnings.

Pure functions over plain values (a dict of field → value), so the section
forms, the check-your-answers page and the submit service apply the same rules.

Errors stop a section being saved. Warnings do not, once the person entering the
figures confirms them ("I have checked these figures"); a confirmed warning is
remembered by its key, which includes the value, so changing the figure asks
again.
"""

import hashlib
import re
from dataclasses import dataclass

from django.utils import timezone

from reviews.models import (
    CASE_REVIEW_FIGURES,
    CATEGORY3_FIGURES,
    FIGURES,
    THEME_FIELDS,
    QuarterlyReturn,
    SectionComment,
)

S = SectionComment.Section


@dataclass(frozen=True)
class Section:
    slug: str
    number: int
    title: str
    fields: tuple
    # Text fields checked for personal data.
    text_fields: tuple = ()


SECTIONS = [
    Section(
        S.CASE_REVIEWS,
        1,
        "Case reviews",
        (*CASE_REVIEW_FIGURES, *THEME_FIELDS, "theme_other_text"),
        ("theme_other_text",),
    ),
    Section(
        S.CATEGORY_3,
        2,
        "Category 3 referrals",
        (*CATEGORY3_FIGURES, "category3_decline_reasons"),
        ("category3_decline_reasons",),
    ),
    Section(S.NARRATIVE, 3, "Update for the NSG", ("narrative",), ("narrative",)),
    Section(S.LEARNING, 4, "Learning and issues to escalate", ("learning", "escalations"), ("learning", "escalations")),
]
SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS}
TEXT_FIELDS = tuple(name for section in SECTIONS for name in section.text_fields)


def next_section(slug):
    position = [s.slug for s in SECTIONS].index(slug)
    return SECTIONS[position + 1] if position + 1 < len(SECTIONS) else None


def label(name):
    return QuarterlyReturn._meta.get_field(name).verbose_name


# How errors and warnings name each figure in a sentence.
FIGURE_WORDS = {
    "initial_icrs_processed": "initial ICRs processed",
    "progressed_to_full_icr": "ICRs progressed to full ICR",
    "scrs_commissioned": "SCRs commissioned",
    "scrs_completed": "SCRs completed",
    "icrs_from_proactive_policing": "ICRs arising from proactive policing",
    "category3_received": "Category 3 referrals received",
    "category3_accepted": "Category 3 referrals accepted",
    "category3_declined": "Category 3 referrals declined",
}


# ----------------------------------------------------------------------------------------------
# Errors
# ----------------------------------------------------------------------------------------------


def figure_errors(values):
    """{field: message} for figures that contradict each other. Negative and missing figures are the forms' job."""
    errors = {}
    v = {name: values.get(name) for name in FIGURES}
    initial, full = v["initial_icrs_processed"], v["progressed_to_full_icr"]
    if initial is not None and full is not None and full > initial:
        errors["progressed_to_full_icr"] = (
            f"ICRs progressed to full ICR ({full}) cannot be more than the initial ICRs processed ({initial})"
        )
    scrs = v["scrs_commissioned"]
    if scrs is not None and initial is not None and full is not None and scrs > initial + full:
        errors["scrs_commissioned"] = (
            f"SCRs commissioned ({scrs}) cannot be more than the full ICRs and initial ICRs processed "
            f"together ({initial + full})"
        )
    proactive = v["icrs_from_proactive_policing"]
    if proactive is not None and initial is not None and proactive > initial:
        errors["icrs_from_proactive_policing"] = (
            f"ICRs arising from proactive policing ({proactive}) cannot be more than the initial ICRs "
            f"processed ({initial})"
        )
    received, accepted, declined = v["category3_received"], v["category3_accepted"], v["category3_declined"]
    if None not in (received, accepted, declined) and accepted + declined > received:
        errors["category3_declined"] = (
            f"Referrals accepted and declined together ({accepted + declined}) cannot be more than the "
            f"referrals received ({received})"
        )
    return errors


def has_case_reviews(values):
    return any(
        (values.get(name) or 0) > 0
        for name in ("initial_icrs_processed", "progressed_to_full_icr", "scrs_commissioned", "scrs_completed")
    )


def theme_errors(values):
    """{field: message} for themes ticked when no case reviews are reported, or "Other" with no words."""
    errors = {}
    ticked = [name for name in THEME_FIELDS if values.get(name)]
    if ticked and not has_case_reviews(values):
        errors["themes"] = (
            "You reported no case reviews, so no theme can apply: enter the number of case "
            "reviews, or untick the themes"
        )
    if values.get("theme_other") and not (values.get("theme_other_text") or "").strip():
        errors["theme_other_text"] = "Enter the other theme"
    return errors


def missing_answers(ret):
    """[(section, message)] for what must still be answered before the return can be submitted."""
    missing = []
    if ret.is_nil_return:
        return missing
    for section in SECTIONS:
        if section.slug not in (ret.sections_saved or []):
            missing.append((section, f"{section.title}: not completed yet"))
            continue
        if section.slug == S.NARRATIVE and not ret.narrative.strip():
            missing.append((section, "Update for the NSG: enter the update"))
    return missing


# ----------------------------------------------------------------------------------------------
# Warnings
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Warning:
    key: str
    field: str
    message: str
    kind: str  # "figure" or "personal_data"


def figure_warnings(values, previous):
    """A figure that more than doubled, or fell to zero, against the previous approved return."""
    if previous is None:
        return []
    warnings = []
    for name in FIGURES:
        new, old = values.get(name), getattr(previous, name)
        if new is None or not old:
            continue
        words = FIGURE_WORDS[name]
        if new == 0:
            warnings.append(
                Warning(
                    f"{name}:zero:{old}",
                    name,
                    f"The number of {words} has fallen to 0 (it was {old} in {previous.period.label}).",
                    "figure",
                )
            )
        elif new > 2 * old:
            warnings.append(
                Warning(
                    f"{name}:doubled:{old}:{new}",
                    name,
                    f"The number of {words} has more than doubled, from {old} in {previous.period.label} to {new}.",
                    "figure",
                )
            )
    return warnings


# A date that could be a date of birth: a day, a month and a year at least 10 years ago.
_DATE = re.compile(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-]((?:19|20)\d{2})\b")
_PATTERNS = [
    ("a date of birth", re.compile(r"\bD\.?\s?O\.?\s?B\b|\bdate of birth\b|\bborn on\b", re.IGNORECASE)),
    (
        "a Criminal History System (CHS) reference",
        re.compile(r"\bCHS\s*(?:no\.?|number|ref\.?)?\s*[:#]?\s*\d{4,}", re.IGNORECASE),
    ),
    (
        "a ViSOR reference",
        re.compile(r"\bVi\s?SOR\s*(?:no\.?|number|ref\.?|id)?\s*[:#]?\s*[A-Z]{0,3}\d{4,}", re.IGNORECASE),
    ),
    ("a PNC number", re.compile(r"\b\d{2}/\d{5,7}[A-Z]\b", re.IGNORECASE)),
]


def personal_data_found(text, today=None):
    """What in ``text`` looks like an offender's details ("a date of birth", ...): empty if nothing."""
    if not text:
        return []
    found = []
    this_year = (today or timezone.localdate()).year
    for day, month, year in _DATE.findall(text):
        if 1 <= int(day) <= 31 and 1 <= int(month) <= 12 and int(year) <= this_year - 10:
            found.append("a date of birth")
            break
    for what, pattern in _PATTERNS:
        if pattern.search(text) and what not in found:
            found.append(what)
    return found


PERSONAL_DATA_REMINDER = (
    "No offender or victim details belong in a return: no names, dates of birth, "
    "addresses or CHS, ViSOR or PNC references."
)


def personal_data_warnings(values, fields, labels=None):
    """A warning for each text in ``fields`` that looks like it holds an offender's details."""
    warnings = []
    for name in fields:
        text = values.get(name) or ""
        found = personal_data_found(text)
        if found:
            named = (labels or {}).get(name) or label(name)
            warnings.append(
                Warning(
                    f"{name}:personal:{_fingerprint(text)}",
                    name,
                    f"{named} looks like it contains {' and '.join(found)}. {PERSONAL_DATA_REMINDER}",
                    "personal_data",
                )
            )
    return warnings


def _fingerprint(text):
    """A short, stable fingerprint of a text (so a confirmation covers exactly that text)."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:12]


def section_warnings(section, values, previous):
    figures = [name for name in section.fields if name in FIGURES]
    warnings = figure_warnings({n: values.get(n) for n in figures}, previous) if figures else []
    return warnings + personal_data_warnings(values, section.text_fields)


def return_warnings(ret, previous):
    """Every warning the return as saved raises."""
    values = {name: getattr(ret, name) for name in (*FIGURES, *TEXT_FIELDS)}
    warnings = []
    for section in SECTIONS:
        warnings += section_warnings(section, values, previous)
    return warnings


def unconfirmed(warnings, confirmed):
    confirmed = set(confirmed or [])
    return [w for w in warnings if w.key not in confirmed]


def confirmation_label(warnings):
    kinds = {w.kind for w in warnings}
    if kinds == {"figure"}:
        return "I have checked these figures"
    if kinds == {"personal_data"}:
        return "I have checked this text: it holds no offender or victim details"
    return "I have checked these figures, and this text holds no offender or victim details"
