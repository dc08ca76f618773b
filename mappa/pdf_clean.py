"""Scripts, automatic actions and embedded files taken out of PDFs: uploaded papers, and the agenda pack.

A PDF can carry JavaScript, actions that run by themselves (when the file is
opened, a page is shown, a form field is used), links that start a program or
open another file, and whole files embedded in it. None of that belongs in a
paper, and a PDF reader (Acrobat above all) may act on it when a member opens
the paper or the agenda pack. So:

* ``without_active_content`` cleans the bytes of an uploaded PDF
  (papers.forms.check_paper_file): a PDF that has none of it comes back
  unchanged, byte for byte; one that pypdf cannot parse raises UnreadablePdf;
* ``remove_active_content`` does the cleaning, in place, on a pypdf PdfWriter,
  the upload's and the agenda pack's (papers.pack), and says what it removed;
* ``written`` writes a cleaned PdfWriter out without the removed objects;
* ``describe_removed`` puts what was removed into plain words for the meeting page.

The whole object graph is walked from the catalog, so active content is found
wherever it hangs: the document's /Names /JavaScript tree, /OpenAction, /AA
(additional actions) on the catalog, pages, annotations and form fields, the /A
actions of links, bookmarks and buttons, and the /Next actions chained to them.
Removed:

* the /JavaScript and /EmbeddedFiles name trees, and every /AA dictionary;
* the catalog's /OpenAction when it is an action (a destination, which only says
  at which page the file opens, is kept);
* every JavaScript, Launch, GoToR, GoToE, ImportData and SubmitForm action (and
  any other action carrying a /JS script), wherever it is named: the link,
  bookmark or button keeps its place but no longer does anything;
* file-attachment annotations, and any other file specification holding a file's
  bytes (/EF), such as associated files (/AF);
* an XFA form (/XFA in the AcroForm), which can hold scripts of its own.

Ordinary links (web addresses, other pages of the document) and everything else
are kept. pypdf (pypdf.readthedocs.io) reads and writes the files; it has no
"remove all scripts" of its own, hence this walk.
"""

import io
from dataclasses import asdict, dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

SCRIPT_ACTIONS = frozenset({"/JavaScript"})
# Actions that start a program, or open or load another file.
FILE_ACTIONS = frozenset({"/Launch", "/GoToR", "/GoToE", "/ImportData"})
FORM_SUBMISSIONS = frozenset({"/SubmitForm"})
# The name trees that hold only active content, and what each of their entries counts as.
_NAME_TREES = {"/JavaScript": "scripts", "/EmbeddedFiles": "embedded_files"}


class UnreadablePdf(ValueError):
    """The PDF could not be parsed (too damaged, or encrypted with a password)."""


@dataclass
class RemovedContent:
    """How much of each kind of active content was removed from a PDF."""

    scripts: int = 0
    open_action: int = 0
    automatic_actions: int = 0
    file_actions: int = 0
    form_submissions: int = 0
    embedded_files: int = 0
    xfa_forms: int = 0

    def __bool__(self):
        return any(self.as_dict().values())

    def as_dict(self):
        """The kinds removed, with their counts (only those removed): what PaperVersion.removed_content stores."""
        return {name: count for name, count in asdict(self).items() if count}


def _plural(count, one, many):
    return one if count == 1 else f"{count} {many}"


def describe_removed(counts):
    """Plain words for each kind of content removed (``counts`` as RemovedContent.as_dict gives it)."""
    counts = counts or {}
    phrases = []
    if counts.get("scripts"):
        phrases.append(f"JavaScript ({counts['scripts']} script{'' if counts['scripts'] == 1 else 's'})")
    if counts.get("open_action"):
        phrases.append("an action that runs when the file is opened")
    if counts.get("automatic_actions"):
        phrases.append(
            _plural(
                counts["automatic_actions"],
                "an action that runs by itself when a page is shown or a form field is used",
                "actions that run by themselves when a page is shown or a form field is used",
            )
        )
    if counts.get("file_actions"):
        phrases.append(
            _plural(
                counts["file_actions"],
                "a link that starts a program or opens another file",
                "links that start a program or open another file",
            )
        )
    if counts.get("form_submissions"):
        phrases.append(
            _plural(
                counts["form_submissions"],
                "a button that sends the form's contents to a web address",
                "buttons that send the form's contents to a web address",
            )
        )
    if counts.get("embedded_files"):
        phrases.append(_plural(counts["embedded_files"], "1 embedded file", "embedded files"))
    if counts.get("xfa_forms"):
        phrases.append("a form that can run scripts (XFA)")
    return phrases


def _resolve(value, limit=8):
    """The object ``value`` refers to (through chains of indirect references), or None."""
    while isinstance(value, IndirectObject) and limit:
        value = value.get_object()
        limit -= 1
    return None if isinstance(value, IndirectObject) else value


def _identity(raw):
    """Which object ``raw`` is: its reference when indirect, else the Python object itself."""
    return ("ref", raw.idnum, raw.generation) if isinstance(raw, IndirectObject) else ("direct", id(raw))


class _Stripper:
    def __init__(self, writer):
        self.root = writer.root_object
        self.removed = RemovedContent()
        # The objects counted (by identity), so that one named twice counts once; holding
        # them keeps the id() of a direct one from being reused while the walk goes on.
        self.counted = {}

    def _count(self, kind, raw):
        identity = _identity(raw)
        if identity not in self.counted:
            self.counted[identity] = raw
            setattr(self.removed, kind, getattr(self.removed, kind) + 1)

    def kind_of(self, raw):
        """The kind of active content ``raw`` is (a RemovedContent field), or None."""
        obj = _resolve(raw)
        if not isinstance(obj, DictionaryObject):
            return None
        action = obj.get("/S")
        if action in SCRIPT_ACTIONS or (action is not None and "/JS" in obj):
            return "scripts"
        if action in FILE_ACTIONS:
            return "file_actions"
        if action in FORM_SUBMISSIONS:
            return "form_submissions"
        if obj.get("/Subtype") == "/FileAttachment" or "/EF" in obj:
            return "embedded_files"
        return None

    def _remove(self, kind, raw):
        if kind == "embedded_files":
            obj = _resolve(raw)
            # A file-attachment annotation counts as the file it holds (which the
            # /EmbeddedFiles tree may name too).
            raw = obj.raw_get("/FS") if "/FS" in obj and "/EF" not in obj else raw
        self._count(kind, raw)

    def _tree_values(self, tree):
        """The values of a name tree (its leaves' /Names pairs), walking /Kids without looping."""
        stack, seen = [tree], set()
        while stack:
            raw = stack.pop()
            if isinstance(raw, IndirectObject):
                if _identity(raw) in seen:
                    continue
                seen.add(_identity(raw))
            node = _resolve(raw)
            if not isinstance(node, DictionaryObject):
                continue
            names = _resolve(node.raw_get("/Names")) if "/Names" in node else None
            if isinstance(names, ArrayObject):
                yield from names[1::2]
            kids = _resolve(node.raw_get("/Kids")) if "/Kids" in node else None
            if isinstance(kids, ArrayObject):
                stack.extend(kids)

    def strip_dictionary(self, dictionary):
        for key in list(dictionary.keys()):
            raw = dictionary.raw_get(key)
            value = _resolve(raw)
            if key in _NAME_TREES and isinstance(value, DictionaryObject):
                kind = _NAME_TREES[key]
                for entry in self._tree_values(raw):
                    self._remove(kind, entry)
                del dictionary[key]
            elif key == "/AA" and isinstance(value, DictionaryObject):
                for trigger in value.values():
                    self._count("automatic_actions", trigger)
                del dictionary[key]
            elif key == "/OpenAction" and dictionary is self.root and isinstance(value, DictionaryObject):
                self._count("open_action", raw)
                del dictionary[key]
            elif key == "/XFA" and "/Fields" in dictionary:
                self._count("xfa_forms", raw)
                del dictionary[key]
            elif (kind := self.kind_of(raw)) is not None:
                self._remove(kind, raw)
                del dictionary[key]

    def strip_array(self, array):
        for index in range(len(array) - 1, -1, -1):
            kind = self.kind_of(array[index])
            if kind is not None:
                self._remove(kind, array[index])
                del array[index]

    def run(self):
        stack, visited = [self.root.indirect_reference or self.root], set()
        while stack:
            raw = stack.pop()
            if isinstance(raw, IndirectObject):
                if _identity(raw) in visited:
                    continue
                visited.add(_identity(raw))
            obj = _resolve(raw)
            if isinstance(obj, DictionaryObject):
                self.strip_dictionary(obj)
                # keys(), not iteration: a TreeObject (bookmarks, form fields) iterates over its children.
                stack.extend(obj.raw_get(key) for key in list(obj.keys()))
            elif isinstance(obj, ArrayObject):
                self.strip_array(obj)
                stack.extend(obj)
        return self.removed


def remove_active_content(writer):
    """Remove scripts, automatic actions and embedded files from ``writer`` (a PdfWriter), in place.

    Returns a RemovedContent saying what was removed (false when nothing was). The
    removed objects stay in the writer, unreferenced: write it with ``written``.
    """
    return _Stripper(writer).run()


def written(writer, removed=None) -> bytes:
    """The PDF bytes of ``writer``; after ``removed`` content, without the objects nothing refers to any more."""
    output = io.BytesIO()
    writer.write(output)
    if removed:
        # A copy of the document keeps only the objects its catalog and metadata still reach.
        copy = PdfWriter(clone_from=PdfReader(io.BytesIO(output.getvalue())))
        output = io.BytesIO()
        copy.write(output)
    return output.getvalue()


def without_active_content(data: bytes):
    """``data`` (a PDF's bytes) without scripts, automatic actions or embedded files, and what was removed.

    A PDF with none of them comes back unchanged, byte for byte. Raises UnreadablePdf
    if pypdf cannot parse it (too damaged, or encrypted with a password); anything
    else that goes wrong while cleaning it is raised as it is.
    """
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadablePdf("encrypted with a password")
        writer = PdfWriter(clone_from=reader)
    except UnreadablePdf:
        raise
    except Exception as error:
        raise UnreadablePdf(str(error) or type(error).__name__) from error
    removed = remove_active_content(writer)
    if not removed:
        return data, removed
    return written(writer, removed), removed
