"""A result's snippet: a few lines of the record's plain text around the matches, the matched words
marked. Built from text and escaped: a record's HTML (or Markdown) never reaches the page.

On PostgreSQL the engine writes the snippet (``ts_headline``, search.engines.PostgresEngine.snippets),
so the words marked are the ones its full-text search matched; its markers are control characters
(taken out of the record's text first, so none can come from a record) and ``from_headline`` turns
them into ``<mark>`` after escaping the whole text. On SQLite ``snippet`` finds the words itself: the
query's words less the endings the Porter stemmer drops (FTS5's own ``snippet()`` reads only the index's
columns of a row it has just matched, so it could not draw a paper's snippet from the page its
result links to).
"""

import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

SNIPPET_CHARS = 240
ELLIPSIS = "…"

# ts_headline's markers (the start and end of a matched word, between two fragments) and stand-ins for
# "<" and ">" (PostgreSQL's parser reads "<b>" as a tag and leaves it, and a <script>'s content, out of
# a headline; a record's text is shown as written). None can come from a record: see ``plain``.
START, STOP, BETWEEN, LT, GT = "\x02", "\x03", "\x1f", "\x0e", "\x0f"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MARKED = re.compile(f"{START}([^{STOP}]*){STOP}")


def plain(texts):
    """A record's texts (its fields, in order) as one line: spaces collapsed, control characters out."""
    return " ".join(" ".join(_CONTROL.sub("", t).split()) for t in texts if t)


def for_headline(text):
    """``text`` (from ``plain``) as given to ts_headline: "<" and ">" stood in for, so no tag is dropped."""
    return text.replace("<", LT).replace(">", GT)


def _escaped(text):
    return escape(text).replace(LT, "&lt;").replace(GT, "&gt;")


def _shown(fragment):
    """A fragment of a headline as plain text: no markers, "<" and ">" back."""
    return MARKED.sub(r"\1", fragment).replace(LT, "<").replace(GT, ">")


def from_headline(headline, text, keep=None):
    """The HTML of ts_headline's ``headline`` of ``text``: its fragments escaped and joined with "…" (also
    before the first unless it starts ``text``, and after the last unless it ends it), each marked word
    in ``<mark>`` (all, or those ``keep`` says, in order). A fragment starts and ends at a word; the
    characters of ``text`` around it up to a space ("<" of "<b>") are shown with it."""
    fragments = [f.strip() for f in headline.split(BETWEEN)]
    fragments = [f for f in fragments if f]
    if not fragments:
        return ""
    words = iter(keep) if keep is not None else None
    html, starts, ends = [], [], []
    for fragment in fragments:
        shown = _shown(fragment)
        found = text.find(shown)
        start, end, before, after = -1, -1, "", ""
        if found >= 0:
            start = text.rfind(" ", 0, found) + 1
            space = text.find(" ", found + len(shown))
            end = len(text) if space < 0 else space
            before, after = text[start:found], text[found + len(shown) : end]
        starts.append(start)
        ends.append(end)
        pieces, position = [escape(before)], 0
        for match in MARKED.finditer(fragment):
            pieces.append(_escaped(fragment[position : match.start()]))
            word = _escaped(match.group(1))
            pieces.append(f"<mark>{word}</mark>" if words is None or next(words, True) else word)
            position = match.end()
        pieces.append(_escaped(fragment[position:]))
        pieces.append(escape(after))
        html.append("".join(pieces).replace(START, "").replace(STOP, ""))
    before = "" if starts[0] == 0 else ELLIPSIS
    after = "" if ends[-1] == len(text) else ELLIPSIS
    # Every piece is escaped text or our own <mark>: safe to join. Words marked side by side (a phrase's)
    # are one mark, as ``snippet`` marks them.
    return mark_safe((before + f" {ELLIPSIS} ".join(html) + after).replace("</mark> <mark>", " "))


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
    text = plain(texts)
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
