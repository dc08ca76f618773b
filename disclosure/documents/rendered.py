"""The service's own documents, found in and redacted in their HTML before they are laid out.

The text of a document is read from its HTML (every text node of the body, in order,
with a line break between nodes, so words of different cells never run together) and
given to the finder. Each occurrence found is wrapped where it stands in a span with an
id ("fd-3-0": occurrence 3, its first piece; an occurrence split across inline tags has
one piece per tag). WeasyPrint lays the document out and says on which page each id
landed, which gives each occurrence its page.

To redact, the same occurrences are found again and those accepted are written as a
solid block of the same number of characters (U+2588, on a black background): the words
are not in the HTML that is laid out, so no text, vector or metadata of the PDF holds them.
"""

from dataclasses import dataclass

import lxml.html
from lxml import etree

from mappa.pdf import laid_out

BLOCK = "\u2588"
ANCHOR_PREFIX = "fd-"
# Text in these is not part of the printed page (or is metadata, stripped from what is released anyway).
NOT_PRINTED = {"head", "script", "style", "title"}
CONTEXT_CHARS = 110
# A block is black on black whatever the text around it (a grey "Lead:" line, a heading).
REDACTED_STYLE = ".redacted { color: #000; background: #000; font-weight: normal; }"


@dataclass
class Occurrence:
    """An occurrence in a rendered document: the finder's find, its page once laid out, and its context."""

    index: int
    found: object  # disclosure.finding.Found
    context: str
    page: int = 0


def _text_nodes(element, nodes):
    """(element, "text" | "tail") for every text of ``element``'s subtree, in reading order."""
    if not isinstance(element.tag, str):  # comments, processing instructions
        if element.tail:
            nodes.append((element, "tail"))
        return
    if element.tag not in NOT_PRINTED:
        if element.text:
            nodes.append((element, "text"))
        for child in element:
            _text_nodes(child, nodes)
    if element.tail:
        nodes.append((element, "tail"))


class MarkedDocument:
    """A document's HTML, its text as the finder reads it, and the occurrences found in it."""

    def __init__(self, html, finder):
        self.tree = lxml.html.document_fromstring(html)
        body = self.tree.body
        nodes = []
        for child in body:
            _text_nodes(child, nodes)
        if body.text:
            nodes.insert(0, (body, "text"))
        self.segments = []  # (element, attr, text, start offset in self.text)
        parts, offset = [], 0
        for element, attr in nodes:
            text = getattr(element, attr)
            self.segments.append((element, attr, text, offset))
            parts.append(text)
            offset += len(text) + 1
        self.text = "\n".join(parts)
        self.occurrences = [
            Occurrence(index=index, found=found, context=_context(self.text, found.start, found.end))
            for index, found in enumerate(finder.find(self.text))
        ]

    def _pieces(self, occurrence):
        """(segment index, start, end) in that segment's text, for each segment the occurrence crosses."""
        found = occurrence.found
        for number, (_element, _attr, text, offset) in enumerate(self.segments):
            start, end = max(found.start, offset), min(found.end, offset + len(text))
            if start < end:
                yield number, start - offset, end - offset

    def html(self, redact=frozenset()):
        """The HTML with each occurrence in an anchored span; those whose index is in ``redact`` as blocks.
        Called once: it marks the document's tree in place."""
        by_segment = {}
        for occurrence in self.occurrences:
            for piece, (number, start, end) in enumerate(self._pieces(occurrence)):
                anchor = f"{ANCHOR_PREFIX}{occurrence.index}-{piece}"
                by_segment.setdefault(number, []).append((start, end, anchor, occurrence.index in redact))
        for number, pieces in by_segment.items():
            element, attr, text, _offset = self.segments[number]
            _wrap(element, attr, text, sorted(pieces))
        self.segments = None  # the tree is marked now: it is written once
        style = etree.SubElement(self.tree.head, "style")
        style.text = REDACTED_STYLE
        return etree.tostring(self.tree, method="html", encoding="unicode", doctype="<!DOCTYPE html>")


def _wrap(element, attr, text, pieces):
    """Replace the text ``attr`` of ``element`` by the same text with ``pieces`` in spans."""
    spans = []
    for number, (start, end, anchor, redacted) in enumerate(pieces):
        span = etree.Element("span", id=anchor)
        if redacted:
            span.set("class", "redacted")
            span.text = BLOCK * (end - start)
        else:
            span.text = text[start:end]
        following = pieces[number + 1][0] if number + 1 < len(pieces) else len(text)
        span.tail = text[end:following]
        spans.append(span)
    head = text[: pieces[0][0]]
    if attr == "text":
        element.text = head
        for position, span in enumerate(spans):
            element.insert(position, span)
    else:
        element.tail = head
        parent = element.getparent()
        at = parent.index(element) + 1
        for position, span in enumerate(spans):
            parent.insert(at + position, span)


def _context(text, start, end):
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    return " ".join(f"{before}{text[start:end]}{after}".split())


def anchor_pages(document):
    """{occurrence index: first page (from 1)} of a laid-out document's anchors."""
    pages = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            if anchor.startswith(ANCHOR_PREFIX):
                index = int(anchor[len(ANCHOR_PREFIX) :].split("-")[0])
                pages.setdefault(index, number)
    return pages


def find(html, finder):
    """The occurrences in a rendered document, each with its page."""
    marked = MarkedDocument(html, finder)
    if marked.occurrences:
        pages = anchor_pages(laid_out(marked.html()))
        for occurrence in marked.occurrences:
            occurrence.page = pages.get(occurrence.index, 1)
    return marked.occurrences


@dataclass
class Redacted:
    pdf: bytes
    pages: dict  # occurrence index -> page of the redacted document


def redact(html, finder, *, seen, accepted):
    """The document as PDF with the accepted occurrences blocked out, and the page each is on.

    ``seen``: {index: text} of every occurrence the reviewer was shown in this document;
    ``accepted``: the indexes to redact. If the document no longer reads as it did when they
    were found (an occurrence more, one fewer, or other words at an index), raises
    DocumentChanged: redacting by position in a changed document could black out the wrong
    words and leave a name in.
    """
    marked = MarkedDocument(html, finder)
    now = {occurrence.index: occurrence.found.text for occurrence in marked.occurrences}
    if now != seen:
        changed = sorted(set(now.items()) ^ set(seen.items()))
        raise DocumentChanged(*changed[0])
    document = laid_out(marked.html(redact=frozenset(accepted)))
    pages = anchor_pages(document)
    return Redacted(pdf=document.write_pdf(pdf_tags=True), pages={index: pages.get(index, 1) for index in accepted})


class DocumentChanged(Exception):
    """A rendered document differs from when personal data was found in it."""

    def __init__(self, index, text):
        super().__init__(f"occurrence {index} ({text!r}) is no longer where it was")
