"""PDF documents rendered with WeasyPrint, which may read only the project's own files.

Minutes contain text that people typed (Markdown, cleaned by mappa.text), so a
document may name any URL: ``![x](http://...)``, ``<img src="file:///etc/passwd">``.
WeasyPrint fetches every stylesheet, image and font a document names, so it is
given ``safe_url_fetcher``, which serves only:

* the project's static files, asked for by their STATIC_URL address
  ("/static/build/print.css"): looked up in STATIC_ROOT when it is set (the
  collected, hashed names of production), else through the staticfiles finders;
* ``file://`` URLs whose real path (symlinks and ``..`` resolved) lies inside
  MEDIA_ROOT or a static directory (STATIC_ROOT, STATICFILES_DIRS, the apps'
  ``static`` folders);
* ``data:`` URIs, decoded in memory.

Everything else (http, https, ftp, other files, ``..`` in a static path) is
refused with ``ResourceRefused``: WeasyPrint logs it, skips the resource and
carries on, so a document with a bad image still renders, without it.

Documents are rendered with ``BASE_URL``, a private scheme that urllib does not
resolve against: the addresses a template writes with ``{% static %}`` reach the
fetcher exactly as written, and so do relative or ``../`` references, which it
refuses. Nothing here ever opens a network connection.
"""

import logging
import mimetypes
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

# WeasyPrint announces each rendering step at INFO ("Step 2 - Fetching and parsing
# CSS"): with the root logger at INFO that is several lines per document. Its
# warnings and errors (a refused image, bad CSS) still reach the logs.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse, path2url  # noqa: E402

logger = logging.getLogger(__name__)

BASE_URL = "mappa-static:"
PDF_CONTENT_TYPE = "application/pdf"


class ResourceRefused(ValueError):
    """A document asked for a resource that PDFs may not read."""


def _real(path):
    return os.path.realpath(os.fspath(path))


def static_directories():
    """Every folder static files are served from: STATIC_ROOT, STATICFILES_DIRS, the apps' static/."""
    folders = []
    if settings.STATIC_ROOT:
        folders.append(settings.STATIC_ROOT)
    for entry in settings.STATICFILES_DIRS:
        folders.append(entry[1] if isinstance(entry, (list, tuple)) else entry)
    for app in apps.get_app_configs():
        folders.append(Path(app.path) / "static")
    return [_real(folder) for folder in folders if os.path.isdir(folder)]


def readable_directories():
    """The folders a PDF may read files from: the static directories and MEDIA_ROOT."""
    folders = static_directories()
    if settings.MEDIA_ROOT and os.path.isdir(settings.MEDIA_ROOT):
        folders.append(_real(settings.MEDIA_ROOT))
    return folders


def _inside(path, folders):
    return any(os.path.commonpath([path, folder]) == folder for folder in folders)


def _static_prefixes():
    """The addresses static files are asked for by: STATIC_URL, and "/static/" as a fallback."""
    prefixes = [settings.STATIC_URL or "/static/", "/static/"]
    return [p if p.endswith("/") else f"{p}/" for p in dict.fromkeys(prefixes)]


def _static_name(url):
    """The static file name ("build/print.css") a URL asks for, or None if it is not a static address."""
    for prefix in _static_prefixes():
        if url.startswith(prefix):
            name = unquote(urlsplit(url[len(prefix) :]).path)
            parts = name.replace("\\", "/").split("/")
            if not name or "\x00" in name or name.startswith("/") or ".." in parts:
                raise ResourceRefused(f"Not a static file name: {url}")
            return name
    return None


def _static_file(name):
    if settings.STATIC_ROOT:
        collected = Path(settings.STATIC_ROOT) / name
        if collected.is_file():
            return _real(collected)
    found = finders.find(name)
    return _real(found) if found else None


def _respond(path):
    with open(path, "rb") as file:
        body = file.read()
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return URLFetcherResponse(path2url(path), body, {"Content-Type": content_type})


class SafeURLFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that reads only static files, MEDIA_ROOT files and data: URIs."""

    def __init__(self, **kwargs):
        # The parent fetches data: URIs only; every other scheme is handled (or refused) below.
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, fail_on_errors=False, **kwargs)

    def fetch(self, url, headers=None):
        try:
            return self._fetch(url, headers)
        except ResourceRefused as refusal:
            logger.warning("A PDF asked for a resource it may not read: %s (%s)", url[:200], refusal)
            raise

    def _fetch(self, url, headers):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        name = _static_name(url)
        if name is not None:
            path = _static_file(name)
            if path is None or not _inside(path, static_directories()):
                raise ResourceRefused(f"No such static file: {name}")
            return _respond(path)
        if scheme == "file":
            parts = urlsplit(url)
            if parts.netloc not in ("", "localhost"):
                raise ResourceRefused("file:// URLs on other hosts are not read")
            path = _real(url2pathname(parts.path))
            if not _inside(path, readable_directories()) or not os.path.isfile(path):
                raise ResourceRefused("Only static files and uploaded papers may be read")
            return _respond(path)
        raise ResourceRefused("Only the service's own static files and uploaded papers may be read")


safe_url_fetcher = SafeURLFetcher()


def render_pdf(template_name, context, request=None) -> bytes:
    """Render a Django template to PDF bytes, reading resources through safe_url_fetcher only.

    The PDF is tagged (headings, lists, paragraphs), for people who use screen readers;
    its title and language come from the template's <title> and <html lang>.
    """
    return pdf_from_html(render_to_string(template_name, context, request=request))


def pdf_from_html(html) -> bytes:
    """A document's HTML (as a PDF template renders it) as PDF bytes, tagged, reading only what render_pdf may."""
    return laid_out(html).write_pdf(pdf_tags=True)


def laid_out(html):
    """The WeasyPrint document of ``html``, laid out in pages but not yet written: its ``pages`` say on
    which page each element with an id landed (``page.anchors``), as disclosure's schedule needs."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=safe_url_fetcher).render(pdf_tags=True)
