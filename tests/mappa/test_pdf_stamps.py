"""Page stamps (mappa.pdf_stamps): laid over pages of any size, in content every PDF reader can parse."""

import io
import subprocess

from pypdf import PdfReader, PdfWriter

from mappa.pdf_stamps import stamp_pages


def test_a_page_a_hair_wider_than_a4_is_stamped_without_an_exponent_readers_reject():
    # WeasyPrint's A4 is 595.2756 points wide; a page from elsewhere may be 595.27559: the stamp moves
    # by a few millionths of a point, which must be written 0, not 9e-06.
    writer = PdfWriter()
    writer.add_blank_page(width=595.27559, height=841.8898)
    writer.add_blank_page(width=612, height=792)
    stamp_pages(writer)
    out = io.BytesIO()
    writer.write(out)

    for page in PdfReader(io.BytesIO(out.getvalue())).pages:
        assert b"e-0" not in page.get_contents().get_data()
    result = subprocess.run(["pdftotext", "-", "-"], input=out.getvalue(), capture_output=True, check=True)
    assert b"Syntax Error" not in result.stderr
    assert "Page 1 of 2" in result.stdout.decode()
    assert "Page 2 of 2" in result.stdout.decode()
