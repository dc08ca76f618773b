"""PDFs read only the service's own files: its static files, uploaded papers and data: URIs.

Whatever a minute's author writes (an image on the web, a file:// path, a ../
path), WeasyPrint asks mappa.pdf.safe_url_fetcher for it, and the fetcher
refuses everything that is not ours. The document still renders, without it.
"""

import os
import socket
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from pypdf import PdfReader
from weasyprint import HTML

from mappa import pdf
from mappa.pdf import BASE_URL, ResourceRefused, SafeURLFetcher, safe_url_fetcher

PRINT_CSS = Path(django_settings.BASE_DIR) / "static" / "build" / "print.css"


class SpyFetcher(SafeURLFetcher):
    """The safe fetcher, noting what it served and what it refused."""

    def __init__(self):
        super().__init__()
        self.served = []
        self.refused = []

    def fetch(self, url, headers=None):
        try:
            response = super().fetch(url, headers)
        except Exception:
            self.refused.append(url)
            raise
        self.served.append(url)
        return response


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


@pytest.fixture
def no_network(monkeypatch):
    """Notes any attempt to open a network connection (the fetcher must never try)."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("no network in tests")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_the_fetcher_serves_the_print_stylesheet_from_its_static_address():
    response = safe_url_fetcher("/static/build/print.css")
    body = response.read()
    assert body == PRINT_CSS.read_bytes()
    assert b"@page" in body
    assert response.content_type == "text/css"
    # Relative references inside the stylesheet resolve against its real place on disk.
    assert response.url == PRINT_CSS.resolve().as_uri()


def test_the_fetcher_serves_static_files_from_the_node_packages_too():
    response = safe_url_fetcher("/static/govuk/assets/images/favicon.svg")
    assert response.read().lstrip().startswith(b"<svg")


def test_the_fetcher_follows_static_url(settings):
    settings.STATIC_URL = "/assets/"
    assert safe_url_fetcher("/assets/build/print.css").read() == PRINT_CSS.read_bytes()


def test_with_static_root_set_the_collected_hashed_file_is_served(settings, tmp_path):
    collected = tmp_path / "build" / "print.0123abcd.css"
    collected.parent.mkdir()
    collected.write_text("@page { size: A4 }")
    settings.STATIC_ROOT = tmp_path
    assert safe_url_fetcher("/static/build/print.0123abcd.css").read() == b"@page { size: A4 }"


def test_a_file_url_inside_a_static_directory_or_media_root_is_served(settings, tmp_path):
    assert safe_url_fetcher(PRINT_CSS.resolve().as_uri()).read() == PRINT_CSS.read_bytes()
    paper = tmp_path / "papers" / "action-plan.txt"
    paper.parent.mkdir()
    paper.write_text("Thematic action plan")
    settings.MEDIA_ROOT = tmp_path
    assert safe_url_fetcher(paper.as_uri()).read() == b"Thematic action plan"


def test_data_uris_are_decoded_in_memory():
    assert safe_url_fetcher("data:text/plain;charset=utf-8,MAPPA").read() == b"MAPPA"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.png",
        "https://example.com/tracker.css",
        "ftp://example.com/x.png",
        "//example.com/x.png",
        "file:///etc/passwd",
        "file://otherhost/etc/passwd",
        "/static/../../etc/passwd",
        "/static//etc/passwd",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/build/../../../etc/passwd",
        "/static/build\\..\\..\\etc\\passwd",
        "/static/no-such-file.css",
        "/etc/passwd",
        "../../etc/passwd",
        "build/print.css",
        "mappa-static:/etc/passwd",
        "http://127.0.0.1:8000/static/build/print.css",
    ],
)
def test_the_fetcher_refuses_everything_that_is_not_ours(url, no_network):
    with pytest.raises(ResourceRefused):
        safe_url_fetcher(url)
    assert no_network == []


def test_a_file_url_climbing_out_of_a_static_directory_is_refused():
    static = Path(django_settings.BASE_DIR) / "static"
    with pytest.raises(ResourceRefused):
        safe_url_fetcher(f"file://{static}/../../../../etc/passwd")


def test_a_symlink_in_media_root_pointing_outside_is_refused(settings, tmp_path):
    (tmp_path / "innocent.png").symlink_to("/etc/passwd")
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ResourceRefused):
        safe_url_fetcher((tmp_path / "innocent.png").as_uri())


def test_refusals_are_logged(caplog):
    with pytest.raises(ResourceRefused):
        safe_url_fetcher("http://example.com/x.png")
    assert "A PDF asked for a resource it may not read: http://example.com/x.png" in caplog.text


def test_a_document_naming_forbidden_resources_still_renders_without_them(monkeypatch, no_network):
    spy = SpyFetcher()
    monkeypatch.setattr(pdf, "safe_url_fetcher", spy)
    html = """<html><head>
      <link rel="stylesheet" href="/static/build/print.css">
      <link rel="stylesheet" href="https://example.com/evil.css">
      <link rel="stylesheet" href="../../etc/passwd">
    </head><body>
      <p>Before the images.</p>
      <img src="http://example.com/x.png" alt="web image">
      <img src="file:///etc/passwd" alt="local file">
      <img src="/static/../../etc/passwd" alt="climbing">
      <p>After the images.</p>
    </body></html>"""
    content = HTML(string=html, base_url=BASE_URL, url_fetcher=pdf.safe_url_fetcher).write_pdf()
    text = pdf_text(content)
    assert "Before the images." in text and "After the images." in text
    # The print stylesheet was read through its static address: its footer numbers the page.
    assert "Page 1 of 1" in text
    assert spy.served == ["/static/build/print.css"]
    assert set(spy.refused) == {
        "https://example.com/evil.css",
        "../../etc/passwd",
        "http://example.com/x.png",
        "file:///etc/passwd",
        "/static/../../etc/passwd",
    }
    assert no_network == []


def test_render_pdf_reads_static_addresses_through_the_base_url(settings, tmp_path, monkeypatch):
    template = tmp_path / "static_check.html"
    template.write_text(
        '{% load static %}<link rel="stylesheet" href="{% static "build/print.css" %}"><p>{{ greeting }}</p>'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    spy = SpyFetcher()
    monkeypatch.setattr(pdf, "safe_url_fetcher", spy)
    content = pdf.render_pdf("static_check.html", {"greeting": "Hello NSG"})
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "Hello NSG" in text and "Page 1 of 1" in text
    assert spy.served == ["/static/build/print.css"] and spy.refused == []
    # A4 portrait, from print.css.
    box = PdfReader(BytesIO(content)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_the_static_directories_include_the_project_and_the_node_packages():
    folders = pdf.static_directories()
    assert os.path.realpath(Path(django_settings.BASE_DIR) / "static") in folders
    assert any(folder.endswith(os.path.join("govuk-frontend", "dist", "govuk")) for folder in folders)
