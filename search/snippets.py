"""A result's snippet: a few lines of the record's plain text around the first match, the matched words
marked. Built from text, escaped piece by piece: a record's HTML (or Markdown) never reaches the page."""

import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

SNIPPET_CHARS = 240


# Endings the engines' stemmers take off ("assessments" finds "assessment"): the marks follow them.
_ENDINGS = ("ments", "ment", "ings", "ing", "ies", "ied", "es", "ed", "s", "y", "e")


def _stem(word):
    lower = word.lower()
    for ending in _ENDINGS:
        if lower.endswith(ending) and len(lower) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def _pattern(terms):
    """Each term's words, from the start of a word, less the endings a stemmer drops, and the rest of
    the word ("assessments" marks "assessment" and "assessed")."""
    parts = [r"\W+".join(re.escape(_stem(word)) + r"\w*" for word in term.split()) for term in terms if term.strip()]
    if not parts:
        return None
    parts.sort(key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")", re.IGNORECASE)


def snippet(texts, terms, length=SNIPPET_CHARS):
    """The snippet for a record whose text is ``texts`` (its fields, in order) and the query's ``terms``."""
    text = " ".join(" ".join(t.split()) for t in texts if t)
    if not text:
        return ""
    pattern = _pattern(terms)
    first = pattern.search(text) if pattern else None
    start = 0
    if first and first.start() > length // 3:
        start = text.rfind(" ", 0, first.start() - length // 3) + 1
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    window = text[start:end]
    pieces = ["…" if start else ""]
    position = 0
    for match in pattern.finditer(window) if pattern else ():
        pieces.append(escape(window[position : match.start()]))
        pieces.append(format_html("<mark>{}</mark>", match.group(0)))
        position = match.end()
    pieces.append(escape(window[position:]))
    pieces.append("…" if end < len(text) else "")
    # Every piece is escaped text or format_html's own <mark>: safe to join.
    return mark_safe("".join(str(p) for p in pieces))


def page_of(text, terms):
    """The page (from 1) of ``text`` (a PDF's, its pages separated by form feeds) where ``terms`` first
    match, and that page's text; (0, text) if the text has no pages, (0, "") if nothing matches."""
    pattern = _pattern(terms)
    first = pattern.search(text) if pattern and text else None
    if not first:
        return 0, ""
    if "\f" not in text:
        return 0, text
    page = text.count("\f", 0, first.start()) + 1
    return page, text.split("\f")[page - 1]
