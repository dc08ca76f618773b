"""A PDF stripped of what it says about itself, and of what its pages carry besides their text, before it is released.

``without_metadata(data)`` returns the PDF written afresh (pypdf) without:

* the document information dictionary (Title, Author, Subject, Keywords, Creator,
  Producer, dates and any custom entry): the file has no /Info at all, not even the
  "/Producer (pypdf)" pypdf writes by default;
* XMP metadata: every /Metadata stream, on the catalog, the pages, images, fonts or
  anywhere else; page-piece data (/PieceInfo, where editors keep their private data)
  and /LastModified dates;
* Exif, XMP, IPTC (Photoshop) and comment segments inside JPEG images (a photo's
  camera, owner and place);
* every annotation except a link to a web address (/Link with a /URI action to an
  http or https address, kept with nothing but its area, look and address): comments
  of every kind (/Text, /FreeText, /Popup, /Highlight, /Ink, stamps...), file
  attachments, sounds, form-field widgets, and links elsewhere (mailto:, other files,
  other pages). A removed annotation is also emptied where it stays referenced (from
  the structure tree, say), so its text cannot linger;
* the interactive form (/AcroForm: field values, signatures), page thumbnails,
  article threads, the bookmarks (/Outlines, whose titles were never reviewed; kept
  with ``keep_outlines=True``, for a pack's own bookmarks made from reviewed titles),
  portfolio collections, and the name trees other than named destinations;
* everything mappa.pdf_clean.remove_active_content removes: scripts, automatic
  actions, actions that open files or submit forms, embedded files and file
  attachments, XFA forms.

The page contents and the structure tree (the tags screen readers use) are kept. Any
earlier revision of the file (an incremental update) is not, as nothing reaches it;
nor is any object nothing refers to any more (mappa.pdf_clean.written).

Raises UnreadablePdf (mappa.pdf_clean) when pypdf cannot read the PDF.
"""

import io
from urllib.parse import urlsplit

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject, TextStringObject

from mappa.pdf_clean import UnreadablePdf, remove_active_content, written

# Keys that hold metadata wherever they appear.
_METADATA_KEYS = ("/Metadata", "/PieceInfo", "/LastModified")
# Removed from the catalog: the form, bookmarks, article threads, portfolios, web-capture
# data, usage rights and legal attestations (which no longer hold for a rewritten file).
_CATALOG_KEYS = ("/AcroForm", "/Threads", "/Collection", "/SpiderInfo", "/Perms", "/Legal", "/AF")
# Removed from every page: thumbnails (a small picture of the page as it was), article beads,
# web-capture identifiers, associated files.
_PAGE_KEYS = ("/Thumb", "/B", "/ID", "/PZ", "/AF")
# The one name tree kept: named destinations (places in the document that links and bookmarks name).
_NAME_TREES_KEPT = frozenset({"/Dests"})
# What a kept link keeps.
_LINK_KEYS_KEPT = frozenset({"/Type", "/Subtype", "/Rect", "/A", "/Border", "/BS", "/C", "/H", "/QuadPoints", "/F"})
_WEB_SCHEMES = frozenset({"http", "https"})
# JPEG segments dropped: APP1 (Exif, XMP), APP12 (Ducky, picture info), APP13 (Photoshop, IPTC), COM (comments).
_JPEG_SEGMENTS_DROPPED = frozenset({0xE1, 0xEC, 0xED, 0xFE})


def without_metadata(data: bytes, *, keep_outlines: bool = False) -> bytes:
    """The PDF ``data`` without its metadata, annotations (but links to web addresses), form, attachments or scripts.

    See the module's docstring for everything removed. The result is always written
    afresh (never the bytes given). Raises UnreadablePdf when pypdf cannot read it.
    """
    try:
        reader = PdfReader(io.BytesIO(bytes(data)))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadablePdf("encrypted with a password")
        writer = PdfWriter(clone_from=reader)
    except UnreadablePdf:
        raise
    except Exception as error:
        raise UnreadablePdf(str(error) or type(error).__name__) from error

    remove_active_content(writer)
    writer.metadata = None
    _strip_catalog(writer.root_object, keep_outlines)
    for page in writer.pages:
        for key in _PAGE_KEYS:
            if key in page:
                del page[key]
        _keep_web_links(page)
    _strip_everywhere(writer.root_object)
    return written(writer, removed=True)


def _strip_catalog(root, keep_outlines):
    for key in (*_CATALOG_KEYS, *(() if keep_outlines else ("/Outlines",))):
        if key in root:
            del root[key]
    names = root.get("/Names")
    names = names.get_object() if names is not None else None
    if isinstance(names, DictionaryObject):
        for key in list(names.keys()):
            if key not in _NAME_TREES_KEPT:
                del names[key]
    # Not opening the file on a bookmarks or attachments panel that is no longer there.
    gone = {"/UseAttachments"} if keep_outlines else {"/UseAttachments", "/UseOutlines"}
    if root.get("/PageMode") in gone:
        del root["/PageMode"]


def _web_address(annotation):
    """The http(s) address ``annotation`` links to, when it is a link to one; else None."""
    if annotation.get("/Subtype") != "/Link":
        return None
    action = annotation.get("/A")
    action = action.get_object() if action is not None else None
    if not isinstance(action, DictionaryObject) or action.get("/S") != "/URI":
        return None
    address = action.get("/URI")
    address = address.get_object() if address is not None else None
    if isinstance(address, bytes):
        address = address.decode("latin-1")
    if not isinstance(address, str):
        return None
    try:
        scheme = urlsplit(address.strip()).scheme.lower()
    except ValueError:
        return None
    return address if scheme in _WEB_SCHEMES else None


def _keep_web_links(page):
    """Remove every annotation of ``page`` but links to web addresses, which keep only their area, look and address."""
    if "/Annots" not in page:
        return
    annotations = page["/Annots"]
    annotations = annotations.get_object() if annotations is not None else None
    kept = ArrayObject()
    for raw in annotations if isinstance(annotations, ArrayObject) else ():
        annotation = raw.get_object() if raw is not None else None
        if not isinstance(annotation, DictionaryObject):
            continue
        address = _web_address(annotation)
        for key in list(annotation.keys()):
            if address is None or key not in _LINK_KEYS_KEPT:
                del annotation[key]
        if address is not None:
            annotation[NameObject("/A")] = DictionaryObject(
                {NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject(address)}
            )
            kept.append(raw)
    if kept:
        page[NameObject("/Annots")] = kept
    else:
        del page["/Annots"]


def _strip_everywhere(root):
    """Remove the metadata keys from every object the catalog reaches, and metadata segments from its JPEG images."""
    stack, visited = [root.indirect_reference or root], set()
    while stack:
        raw = stack.pop()
        if isinstance(raw, IndirectObject):
            identity = (raw.idnum, raw.generation)
            if identity in visited:
                continue
            visited.add(identity)
        obj = raw.get_object() if raw is not None else None
        if isinstance(obj, DictionaryObject):
            for key in _METADATA_KEYS:
                if key in obj:
                    del obj[key]
            if isinstance(obj, StreamObject) and obj.get("/Filter") in ("/DCTDecode", ["/DCTDecode"]):
                _strip_jpeg(obj)
            # keys(), not iteration: a TreeObject (bookmarks, form fields) iterates over its children.
            stack.extend(obj.raw_get(key) for key in list(obj.keys()))
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)


def _strip_jpeg(stream):
    stripped = jpeg_without_metadata(stream._data)
    if stripped is not None:
        # A DCT stream's data is the JPEG file itself; pypdf has no public way to set an
        # encoded stream's data but through its own Flate encoder.
        stream._data = stripped


def jpeg_without_metadata(data: bytes) -> bytes | None:
    """The JPEG ``data`` without its Exif, XMP, IPTC and comment segments; None when it has none (or is not a JPEG read here).

    Only the segments before the first scan are looked at (where these live); the image
    data itself is copied as it is.
    """
    data = bytes(data)
    if data[:2] != b"\xff\xd8":
        return None
    output, position, changed = bytearray(b"\xff\xd8"), 2, False
    while position + 2 <= len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # a fill byte
            position += 1
            continue
        if marker in (0xDA, 0xD9):  # start of scan, or end of image: the rest is copied
            output += data[position:]
            return bytes(output) if changed else None
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            output += data[position : position + 2]
            position += 2
            continue
        if position + 4 > len(data):
            return None
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        end = position + 2 + length
        if length < 2 or end > len(data):
            return None
        if marker in _JPEG_SEGMENTS_DROPPED:
            changed = True
        else:
            output += data[position:end]
        position = end
    return None
