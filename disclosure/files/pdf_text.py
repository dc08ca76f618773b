"""Where a finder's terms occur in a PDF's text layer: the page, a line of context and the boxes to black out.

``find_in_pdf(data, find)`` reads each page's text with PDFium (pypdfium2), hands it to
``find`` (the term finder, disclosure.finding: ``Finder.find(text)``; any callable
taking a page's text and returning objects with ``.start`` and ``.end``), and turns
each occurrence into a ``PdfOccurrence``: the page (1-based), the finder's object
unchanged, the sentence around it for the reviewer, and one box per line it spans,
in PDF points in the page's own coordinates (PDF user space: the origin is wherever
the page's MediaBox puts it, and a page's /Rotate is not applied), which is what
``disclosure.files.burn_in.burn_in`` takes.

The text given to ``find`` is built from PDFium's character list, one character of
text per character of the list, so an offset into the text is exactly an index into
that list and the boxes are those of the very characters the finder matched. PDFium
adds characters of its own where the page has none: "\\r\\n" at the end of each line
and a space where words are merely set apart; so a name broken over two lines reads
"Jane\\r\\nMcDonald", and gets two boxes. A character PDFium cannot map to Unicode
reads as U+FFFD.

The boxes cover each character's whole line height (the font's ascent to descent,
PDFium's "loose" box, joined with the glyph's own), so a blacked-out name does not
give away the shape of its letters; only its length shows.

Text that is only drawn (a scanned page, text turned into outlines) has no text layer:
the finder never sees it, and nothing here can box it. Form fields and annotations
are not part of the page's text either (disclosure.files.metadata strips them).

``page_count(data)`` counts the pages. A PDF PDFium cannot open (damaged, not a PDF,
or encrypted with a password) raises ``mappa.pdf_clean.UnreadablePdf``, the error the
upload of papers raises for the same reason.

PDFium must not be called from two threads at once; every use here (and in burn_in)
holds ``PDFIUM_LOCK``.
"""

import ctypes
import re
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from mappa.pdf_clean import UnreadablePdf

# (left, bottom, right, top), in PDF points, in the page's user space.
Box = tuple[float, float, float, float]

PDFIUM_LOCK = threading.RLock()

# The context shown to the reviewer: the whole sentence when it is no longer than this...
SENTENCE_MAX = 200
# ...else about this many characters around the occurrence.
CONTEXT_CHARS = 120
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?=\s)")
# Words ending in a full stop that do not end a sentence ("Mr. Smith", "No. 4").
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "mx", "dr", "prof", "st", "no", "cllr", "supt", "insp", "sgt", "dci", "di", "ds", "pc", "cc"}
)
_LINE_BREAKS = frozenset({0x0A, 0x0D})


@dataclass(frozen=True)
class PdfOccurrence:
    """One occurrence of a term in a PDF's text layer.

    ``page`` counts from 1; ``found`` is the finder's object, unchanged; ``context`` the
    sentence (or about 120 characters) around it, whitespace collapsed; ``boxes`` one
    (left, bottom, right, top) per line it spans, in PDF points in the page's user space.
    """

    page: int
    found: Any
    context: str
    boxes: list[Box]


@contextmanager
def opened(data: bytes):
    """The PDF ``data`` open in PDFium (a pypdfium2 PdfDocument), holding PDFIUM_LOCK; closed afterwards.

    Raises UnreadablePdf when PDFium cannot open it.
    """
    with PDFIUM_LOCK:
        try:
            pdf = pdfium.PdfDocument(bytes(data))
        except pdfium.PdfiumError as error:
            if getattr(error, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
                raise UnreadablePdf("encrypted with a password") from error
            raise UnreadablePdf(f"not a PDF that can be read ({error})") from error
        try:
            yield pdf
        finally:
            pdf.close()


def page_count(data: bytes) -> int:
    """How many pages the PDF ``data`` has. Raises UnreadablePdf when it cannot be read."""
    with opened(data) as pdf:
        return len(pdf)


def find_in_pdf(data: bytes, find: Callable[[str], Iterable[Any]]) -> list[PdfOccurrence]:
    """Every occurrence ``find`` reports in the text of the PDF ``data``, page by page, in reading order.

    ``find`` takes a page's text and returns objects with ``.start`` and ``.end``
    (offsets into that text, end excluded); an offset outside the text raises ValueError.
    Pages without text are not given to ``find``. Raises UnreadablePdf when the PDF
    cannot be read.
    """
    occurrences = []
    with opened(data) as pdf:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            try:
                chars = _characters(textpage)
                text = "".join(chars)
                if not text.strip():
                    continue
                found_here = sorted(find(text), key=lambda found: (found.start, found.end))
                for found in found_here:
                    start, end = found.start, found.end
                    if not 0 <= start < end <= len(text):
                        raise ValueError(f"the finder gave offsets {start}..{end} on a page of {len(text)} characters")
                    occurrences.append(
                        PdfOccurrence(
                            page=index + 1,
                            found=found,
                            context=context(text, start, end),
                            boxes=_boxes(textpage, chars, start, end),
                        )
                    )
            finally:
                textpage.close()
                page.close()
    return occurrences


def boxes_by_page(occurrences: Iterable[PdfOccurrence]) -> dict[int, list[Box]]:
    """The boxes of ``occurrences`` (those the review kept, say), by page: what burn_in takes."""
    pages: dict[int, list[Box]] = {}
    for occurrence in occurrences:
        if occurrence.boxes:
            pages.setdefault(occurrence.page, []).extend(occurrence.boxes)
    return pages


def _characters(textpage) -> list[str]:
    """The page's text, one string (of one character) per character of PDFium's list."""
    raw = textpage.raw
    get_unicode = pdfium_c.FPDFText_GetUnicode
    chars = []
    for index in range(textpage.count_chars()):
        code = get_unicode(raw, index)
        chars.append(chr(code) if 0 < code < 0x110000 and not 0xD800 <= code <= 0xDFFF else "\ufffd")
    return chars


def _char_box(textpage, index) -> Box | None:
    """The box of character ``index``: its line height (loose box) joined with its glyph (tight box); None if it has none."""
    raw = textpage.raw
    boxes = []
    left, bottom, right, top = (ctypes.c_double() for _ in range(4))
    if pdfium_c.FPDFText_GetCharBox(raw, index, left, right, bottom, top):
        boxes.append((left.value, bottom.value, right.value, top.value))
    loose = pdfium_c.FS_RECTF()
    if pdfium_c.FPDFText_GetLooseCharBox(raw, index, loose):
        boxes.append((loose.left, loose.bottom, loose.right, loose.top))
    boxes = [box for box in boxes if box[2] > box[0] and box[3] > box[1]]
    if not boxes:
        return None
    return (
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )


def _origin_box(textpage, index) -> Box | None:
    """A box for a visible character PDFium gives no box: from its origin, one font size tall."""
    raw = textpage.raw
    x, y = ctypes.c_double(), ctypes.c_double()
    size = pdfium_c.FPDFText_GetFontSize(raw, index)
    if not pdfium_c.FPDFText_GetCharOrigin(raw, index, x, y) or size <= 0:
        return None
    return (x.value - 0.1 * size, y.value - 0.3 * size, x.value + size, y.value + size)


def _same_run(line: list[float], box: Box) -> bool:
    """Whether ``box`` continues ``line``: on the same line (horizontal text), or the same column (vertical text)."""
    line_height, box_height = line[3] - line[1], box[3] - box[1]
    vertical_overlap = min(line[3], box[3]) - max(line[1], box[1])
    if vertical_overlap >= 0.5 * min(line_height, box_height):
        return True
    line_width, box_width = line[2] - line[0], box[2] - box[0]
    horizontal_overlap = min(line[2], box[2]) - max(line[0], box[0])
    vertical_gap = max(line[1], box[1]) - min(line[3], box[3])
    return horizontal_overlap >= 0.5 * min(line_width, box_width) and vertical_gap < min(line_height, box_height)


def _boxes(textpage, chars, start, end) -> list[Box]:
    """One box per line that characters ``start``..``end`` (end excluded) span."""
    lines: list[list[float]] = []
    current = None
    for index in range(start, end):
        char = chars[index]
        if ord(char) in _LINE_BREAKS:
            current = None
            continue
        box = _char_box(textpage, index)
        if box is None and not char.isspace() and not pdfium_c.FPDFText_IsGenerated(textpage.raw, index):
            box = _origin_box(textpage, index)
        if box is None:
            continue
        if current is not None and _same_run(current, box):
            current[0], current[1] = min(current[0], box[0]), min(current[1], box[1])
            current[2], current[3] = max(current[2], box[2]), max(current[3], box[3])
        else:
            current = list(box)
            lines.append(current)
    return [tuple(line) for line in lines]


def _collapsed(text):
    return " ".join(text.split())


def _sentence_ends(text, start, end):
    """Where sentences end in text[start:end] (just after the stop), skipping abbreviations such as "Mr."."""
    for match in _SENTENCE_END.finditer(text, start, end):
        if text[match.start()] == ".":
            word = re.search(r"(\w+)$", text[max(0, match.start() - 12) : match.start()])
            if word and word.group(1).lower() in _ABBREVIATIONS:
                continue
        yield match.end()


def context(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end], whitespace collapsed; about 120 characters of it when it is long ("…" marks a cut)."""
    left = max(_sentence_ends(text, 0, start), default=0)
    right = next(_sentence_ends(text, end, len(text)), len(text))
    if len(_collapsed(text[left:right])) <= SENTENCE_MAX:
        return _collapsed(text[left:right])
    room = max(CONTEXT_CHARS - (end - start), 0) // 2
    window_start, window_end = max(left, start - room), min(right, end + room)
    # Whole words only: move the cuts out to the nearest whitespace (not past the sentence).
    while window_start > left and not text[window_start - 1].isspace():
        window_start -= 1
    while window_end < right and not text[window_end].isspace():
        window_end += 1
    prefix = "… " if window_start > left else ""
    suffix = " …" if window_end < right else ""
    return prefix + _collapsed(text[window_start:window_end]) + suffix
