"""Text that people type, turned into HTML that is safe to show and to print.

Minute narratives and decisions are written in Markdown. Markdown lets raw HTML
through, so what it produces is cleaned with nh3 against a short allowlist:
paragraphs, emphasis, lists, quotes, two heading levels, links and tables.
Everything else goes: <script>, <style> and <iframe> with their content,
event handlers (onclick...), style attributes, javascript: and file: URLs.
Images go too, written as Markdown (``![alt](url)``) or as HTML, whatever their
address: the service serves no images of its own (uploaded files go out only as
downloads, through views that check permission), and an image from anywhere else
would be fetched by every reader's browser, telling its owner who read what, when.
Links are marked rel="noopener noreferrer". Markdown's top headings ("#", "##")
become <h3>, below the document's own headings.

``markdown_blocks`` gives the same cleaned text as plain blocks, for Word documents.
"""

import re
from html.parser import HTMLParser

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "em",
        "ul",
        "ol",
        "li",
        "blockquote",
        "h3",
        "h4",
        "a",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
# Tags removed together with everything inside them (not merely unwrapped).
REMOVED_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "iframe",
        "noscript",
        "object",
        "embed",
        "template",
        "textarea",
        "select",
    }
)
# Markdown's "#" and "##" headings sit below the document's own headings.
TOP_HEADINGS = re.compile(r"<(/?)h[12]>")
# Links may only point at the web or an e-mail address (or a relative URL).
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer"


def render_markdown(text) -> SafeString:
    """Markdown to sanitised HTML, safe to put in a page or a PDF unescaped."""
    if not text:
        return mark_safe("")
    html = markdown.markdown(str(text), extensions=["tables", "sane_lists"], output_format="html")
    html = TOP_HEADINGS.sub(r"<\1h3>", html)
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return mark_safe(cleaned)


class _Blocks(HTMLParser):
    """Collects the text of sanitised HTML as blocks: paragraphs, list items, headings, table rows."""

    BLOCKS = {"p": "paragraph", "h3": "heading", "h4": "heading", "blockquote": "quote", "tr": "row"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self.lists = []
        self.current = None
        self.kind = "paragraph"
        self.href = None

    def _start(self, kind):
        self._end()
        self.current, self.kind = [], kind

    def _end(self):
        if self.current is not None:
            text = " ".join("".join(self.current).split())
            if text:
                self.blocks.append((self.kind, text))
        self.current = None

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self._end()
            self.lists.append(tag)
        elif tag == "li":
            self._start("number" if self.lists and self.lists[-1] == "ol" else "bullet")
        elif tag in self.BLOCKS:
            # A paragraph inside a list item or a quote belongs to it.
            if tag == "p" and self.current is not None and self.kind in ("bullet", "number", "quote"):
                return
            self._start(self.BLOCKS[tag])
        elif tag in ("td", "th"):
            if self.current is not None and "".join(self.current).strip():
                self.current.append(" | ")
        elif tag == "br" and self.current is not None:
            self.current.append(" ")
        elif tag == "a":
            self.href = dict(attrs).get("href")

    def handle_endtag(self, tag):
        if tag in ("ul", "ol"):
            self._end()
            if self.lists:
                self.lists.pop()
        elif tag == "li" or (tag in self.BLOCKS and not (tag == "p" and self.kind in ("bullet", "number", "quote"))):
            self._end()
        elif tag == "a" and self.href:
            if self.current is not None and self.href not in "".join(self.current):
                self.current.append(f" ({self.href})")
            self.href = None

    def handle_data(self, data):
        if self.current is None:
            if not data.strip():
                return
            self._start("paragraph")
        self.current.append(data)

    def close(self):
        super().close()
        self._end()
        return self.blocks


def markdown_blocks(text):
    """The Markdown ``text`` as plain-text blocks for a Word document, sanitised as for HTML.

    Returns (kind, text) pairs; kind is "paragraph", "bullet", "number", "heading",
    "quote" or "row" (a table row, its cells joined by " | "). Images are dropped.
    """
    parser = _Blocks()
    parser.feed(str(render_markdown(text)))
    return parser.close()
