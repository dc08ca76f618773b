"""What a return must say and what deserves a second look: its sections, errors and warnings.

Pure functions over plain values (a dict of field → value), so the section
forms, the check-your-answers page and the submit service apply the same rules.

Errors stop a section being saved: figures that contradict each other, and text
that holds an offender's or victim's details (a date of birth, a ViSOR, CHS, PNC or
CRO number). Warnings do not, once the person entering the answers confirms them
with a tick worded for what they confirm (confirmation_label); a confirmed warning
is remembered by its key, which includes the value, so changing the figure or the
text asks again.
"""

import hashlib
import re
from dataclasses import dataclass

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


def section_of(name):
    """The section a field of the return is answered in (None if it is not a return's)."""
    return next((section for section in SECTIONS if name in section.fields), None)


def missing_answers(ret):
    """[(section, message)] for what must still be answered or removed before the return can be submitted.

    Text saved before offender details became errors is caught here: it cannot be submitted.
    """
    missing = []
    for section in SECTIONS:
        for message in personal_data_errors(
            {n: getattr(ret, n) for n in section.text_fields}, section.text_fields
        ).values():
            missing.append((section, f"{section.title}: {message[0].lower()}{message[1:]}"))
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

    @property
    def section(self):
        """The return's section the warning is about (None for a case review record's)."""
        return section_of(self.field)


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


# ----------------------------------------------------------------------------------------------
# Offender or victim details in free text
# ----------------------------------------------------------------------------------------------
#
# The service must hold no offender or victim details, so what can only be a person's
# identifier is an error: the text cannot be saved until it is removed.
#
# - A date of birth: a date (12/03/1985, 12-3-85, 12.3.85, 12 March 1985, 12th of Mar '85,
#   March 12, 1985, 120385) introduced by DOB, D.O.B., date of birth, birth date, born (on) or
#   "b." after a name. A plain date is not a date of birth: narratives are full of them
#   ("reviewed on 12/03/2017", "the meeting of 31 May 2017", "since 1 April 2007"), so a date
#   with no such word before it is never flagged, however old.
# - A ViSOR reference (17/0001234; ViSOR ref, no., number or id and a number), a CHS number
#   (CHS and a number), a PNC number (17/123456A; 2017/123456A) or a CRO number (123456/17X).
#   Without their names these patterns are only police identifiers' own shapes (a bare
#   "ViSOR 2018" or "CHS upgrade" is a system, not a person).
#
# Softer hints stay warnings that the chair can confirm with a tick, because each has
# innocent readings a rule cannot tell apart: "DOB" or "date of birth" with no date ("DOB is
# not recorded by the SOG"), a year of birth ("born in 1985"), a postcode or street address
# (a council office's, or an offender's?) and a title with a name ("Ms Brown of Police
# Scotland presented", or a victim?).


@dataclass(frozen=True)
class Finding:
    what: str  # "the date of birth"
    typed: str  # the words as typed, "DOB 12/03/1985"

    def __str__(self):
        return f"{self.what} (“{' '.join(self.typed.split())}”)"


_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_DATE = (
    r"(?:"
    rf"{_DAY}\s?[/.\-]\s?(?:1[0-2]|0?[1-9])\s?[/.\-]\s?(?:\d{{4}}|\d{{2}})(?!\d)"  # 12/03/1985, 12.3.85
    rf"|{_DAY}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b\.?,?\s+(?:\d{{4}}|'?\d{{2}})(?!\d)"  # 12 March 1985
    rf"|{_MONTH}\b\.?\s+{_DAY}(?:st|nd|rd|th)?,?\s+\d{{4}}(?!\d)"  # March 12, 1985
    r"|\d{6}(?:\d{2})?(?!\d)"  # 120385, 12031985
    r")"
)
# The words that make a date a date of birth. "b." only after a word, a comma or a bracket
# ("J. Smith, b. 12/03/85"), not opening a lettered list ("b. 12 March 2017: the SOG met").
_BIRTH_WORDS = r"\bd\.?\s?o\.?\s?b\b\.?|\bdate\s+of\s+birth\b|\bbirth\s?date\b"
_BIRTH = rf"(?:{_BIRTH_WORDS}|\bborn\b|(?:(?<=[\w),]\s)|(?<=\())b\.)"
_AFTER = r"[\s:;,=(\-–]*(?:(?:is|was|on|of)\s+)?(?:the\s+)?"
_NUMBER_WORD = r"(?:\s*(?:ref(?:erence)?|no|nos|number|id|nominal)\b\.?)"

_ERRORS = [
    ("the date of birth", re.compile(rf"{_BIRTH}{_AFTER}{_DATE}", re.IGNORECASE)),
    (
        "the ViSOR reference",
        re.compile(
            rf"\bVi\s?SOR(?:{_NUMBER_WORD}[\s:#]*[A-Z]{{0,3}}\d[\d/]{{2,}}|[\s:#]*[A-Z]{{0,3}}\d[\d/]{{4,}})"
            r"|\b\d{2}/\d{7}\b",
            re.IGNORECASE,
        ),
    ),
    (
        "the CHS number",
        re.compile(rf"\bCHS(?:{_NUMBER_WORD}[\s:#]*\d[\d/]{{2,}}|[\s:#]*\d[\d/]{{4,}})", re.IGNORECASE),
    ),
    (
        "the PNC number",
        re.compile(
            rf"\bPNC{_NUMBER_WORD}?[\s:#]*(?:\d{{2}}|\d{{4}})/\d{{1,7}}[A-Z]\b"
            r"|\b(?:\d{2}|(?:19|20)\d{2})/\d{5,7}[A-Z]\b",
            re.IGNORECASE,
        ),
    ),
    (
        "the CRO number",
        re.compile(
            rf"\bCRO{_NUMBER_WORD}?[\s:#]*(?:SF\s?)?\d{{1,6}}/\d{{2}}[A-Z]?\b|\b\d{{3,6}}/\d{{2}}[A-Z]\b",
            re.IGNORECASE,
        ),
    ),
]
_HINTS = [
    ("a year of birth", re.compile(rf"(?:{_BIRTH_WORDS}|\bborn\b){_AFTER}(?:in\s+)?(?:19|20)\d{{2}}\b", re.I)),
    ("a mention of a date of birth", re.compile(_BIRTH_WORDS, re.IGNORECASE)),
    ("a postcode", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}\b")),  # case matters: KY1 2AB
    (
        "an address",
        re.compile(
            r"\b\d{1,4}[A-Za-z]?,?\s+(?:[A-Z][a-z]+\s+){1,3}"
            r"(?:Street|St|Road|Rd|Avenue|Ave|Drive|Dr|Crescent|Place|Pl|Terrace|Court|Gardens|Lane|Way|"
            r"Close|Square|Wynd|Brae|Loan|Row|Park|View|Grove)\b"
        ),
    ),
    ("a name", re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx)\.?\s+[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?\b")),
]


def personal_data_errors_in(text):
    """[Finding] for what in ``text`` can only be an offender's or victim's details: it cannot be saved."""
    if not text:
        return []
    return [Finding(what, match.group(0)) for what, pattern in _ERRORS if (match := pattern.search(text))]


def personal_data_hints_in(text):
    """[Finding] for what in ``text`` may be an offender's or victim's details: confirmed with a tick."""
    if not text:
        return []
    found = []
    for what, pattern in _HINTS:
        match = pattern.search(text)
        if match is None:
            continue
        if what == "a mention of a date of birth" and (
            found or any(f.what == "the date of birth" for f in personal_data_errors_in(text))
        ):
            continue  # said already
        found.append(Finding(what, match.group(0)))
    return found


def personal_data_found(text):
    """What in ``text`` looks like an offender's or victim's details, errors then hints: empty if nothing."""
    return [f.what for f in personal_data_errors_in(text) + personal_data_hints_in(text)]


def _and(findings):
    words = [str(f) for f in findings]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def field_words(name, labels=None):
    """A field's label as errors quote it: "Update for the NSG", without "(optional)"."""
    named = str((labels or {}).get(name) or label(name))
    return re.sub(r"\s*\(optional[^)]*\)$", "", named)


def personal_data_errors(values, fields, labels=None, holder="returns"):
    """{field: message} for each text in ``fields`` holding what cannot be saved (a date of birth, ...)."""
    errors = {}
    for name in fields:
        found = personal_data_errors_in(values.get(name) or "")
        if found:
            errors[name] = (
                f"Remove {_and(found)} from ‘{field_words(name, labels)}’: "
                f"{holder} must not hold offender or victim details"
            )
    return errors


# A case review record's free text, checked as a return's is.
CASE_REVIEW_TEXT = {"theme_other_text": "Other theme", "learning_summary": "Summary of learning"}
CASE_REVIEWS_HOLD = "case review records"


def case_review_text_errors(values):
    return personal_data_errors(
        values, [n for n in CASE_REVIEW_TEXT if n in values], CASE_REVIEW_TEXT, CASE_REVIEWS_HOLD
    )


def personal_data_warnings(values, fields, labels=None, holder="returns"):
    """A warning for each text in ``fields`` that may hold an offender's or victim's details."""
    warnings = []
    for name in fields:
        text = values.get(name) or ""
        found = personal_data_hints_in(text)
        if found:
            warnings.append(
                Warning(
                    f"{name}:personal:{_fingerprint(text)}",
                    name,
                    f"‘{field_words(name, labels)}’ may hold {_and(found)}. If it is an offender's or "
                    f"victim's, remove it: {holder} must not hold offender or victim details.",
                    "personal_data",
                )
            )
    return warnings


def _fingerprint(text):
    """A short, stable fingerprint of a text (so a confirmation covers exactly that text)."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:12]


def section_warnings(section, values, previous, labels=None):
    figures = [name for name in section.fields if name in FIGURES]
    warnings = figure_warnings({n: values.get(n) for n in figures}, previous) if figures else []
    return warnings + personal_data_warnings(values, section.text_fields, labels)


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
