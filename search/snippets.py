"""A result's snippet: a few lines of the record's plain text around the first match, the matched words
marked. Built from text, escaped piece by piece: a record's HTML (or Markdown) never reaches the page."""

import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

SNIPPET_CHARS = 240


def _pattern(terms):
    """Each term as typed, from the start of a word, and the rest of the word ("assess" marks "assessments")."""
    parts = [r"\s+".join(re.escape(word) for word in term.split()) for term in terms if term.strip()]
    if not parts:
        return None
    parts.sort(key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")\w*", re.IGNORECASE)


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
