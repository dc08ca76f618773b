"""The file-level redaction engine of a disclosure (issue 15): pure functions on a file's bytes, no models.

* ``pdf_text``: where a finder's terms occur in a PDF's text layer (page, context, boxes
  in PDF points), and how many pages it has;
* ``burn_in``: the redacted areas burned into the pages they are on (rasterised, boxes
  black, no text left); the other pages kept as they are;
* ``metadata``: the document information, XMP, comments, attachments, form fields,
  bookmarks and the like stripped from a PDF before it is released;
* ``office``: DOCX, XLSX and ODT converted to PDF by LibreOffice (headless, throwaway
  profile, time limit, no network), so that they go through the same three.

A released paper goes: ``office.to_pdf`` (when not a PDF), ``pdf_text.find_in_pdf``
(proposed redactions, reviewed), ``burn_in.burn_in`` with the boxes the review kept,
then ``metadata.without_metadata``.
"""
