"""DOCX, XLSX and ODT papers converted to PDF by LibreOffice, so that their redactions can be burned in like a PDF's.

``to_pdf(data, extension)`` runs ``soffice --headless --convert-to pdf`` on a copy of
the file in a temporary directory of its own, and returns the PDF's bytes. Each run
has its own throwaway LibreOffice profile (``-env:UserInstallation``), so conversions
running at the same time (two workers, two tests) never share one, and none touches
the profile of a person's own LibreOffice. A run that takes longer than ``timeout``
seconds (60 by default) is killed, with every process it started.

LibreOffice is told not to reach out of the file it converts:

* the profile sets a proxy that goes nowhere (127.0.0.1, port 9) for http, https and
  ftp, and so do the proxy variables of its environment;
* it blocks links to other files and addresses in a document that is not trusted
  (BlockUntrustedRefererLinks), never updates linked files or sections (Writer,
  Calc), never recalculates a spreadsheet on loading it (so WEBSERVICE and the like
  keep the values saved with them), and runs no macros.

The PDF is exported without bookmarks (headings can hold names, and a bookmark is not
redacted with the page), with form fields as plain text (so they are in the text layer
where the finder looks), without comments, and without the source document embedded
in it. Its metadata (LibreOffice writes the document's title and author) is stripped
later, like every released file's (disclosure.files.metadata).

Each extension is read by its own import filter only (Word 2007 XML, OpenDocument
text, Excel 2007 XML): a file that is not what its extension says is refused, not
read as plain text, HTML or RTF. Anything that stops the conversion (LibreOffice not
installed, an extension not converted here, a file its filter cannot load, the time
limit, no PDF produced) raises ``ConversionFailed`` with
the reason in plain words.
"""

import json
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

TIMEOUT = 60
# For each extension converted: the one LibreOffice import filter that may read it (so that a
# ".docx" holding HTML, RTF or plain text is refused rather than read as such), and its PDF export.
IMPORT_FILTERS = {
    "docx": "MS Word 2007 XML",
    "odt": "writer8",
    "xlsx": "Calc MS Excel 2007 XML",
}
EXPORT_FILTERS = {
    "docx": "writer_pdf_Export",
    "odt": "writer_pdf_Export",
    "xlsx": "calc_pdf_Export",
}
# The PDF export's options (LibreOffice 7.4+ reads them as JSON after the filter name).
EXPORT_OPTIONS = {
    "ExportBookmarks": False,
    "ExportFormFields": False,
    "ExportNotes": False,
    "ExportNotesInMargin": False,
    "IsAddStream": False,
    "ExportPlaceholders": False,
}
# Where the profile sends http, https and ftp: nothing listens on the discard port of the loopback.
NOWHERE_HOST, NOWHERE_PORT = "127.0.0.1", 9

_SETTINGS = [
    # (path, property, type, value)
    ("/org.openoffice.Inet/Settings", "ooInetProxyType", "int", 2),  # 2: the proxies named here
    ("/org.openoffice.Inet/Settings", "ooInetNoProxy", "string", ""),
    *(
        ("/org.openoffice.Inet/Settings", f"ooInet{scheme}Proxy{part}", kind, value)
        for scheme in ("HTTP", "HTTPS", "FTP")
        for part, kind, value in (("Name", "string", NOWHERE_HOST), ("Port", "int", NOWHERE_PORT))
    ),
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "boolean", True),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "boolean", True),
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "int", 3),  # 3: very high
    ("/org.openoffice.Office.Writer/Content/Update", "Link", "int", 0),  # sw UpdateLinks: 0 NEVER
    ("/org.openoffice.Office.Calc/Content/Update", "Link", "int", 1),  # ScLkUpdMode: 1 LM_NEVER
    ("/org.openoffice.Office.Calc/Formula/Load", "OOXMLRecalcMode", "int", 1),  # 1: never recalculate
    ("/org.openoffice.Office.Calc/Formula/Load", "ODFRecalcMode", "int", 1),
]


class ConversionFailed(Exception):
    """A document could not be converted to PDF; ``reason`` says why, in plain words."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def soffice() -> str | None:
    """The path of LibreOffice's ``soffice``, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _value(kind, value):
    if kind == "boolean":
        return "true" if value else "false"
    return str(value).replace("&", "&amp;").replace("<", "&lt;")


def _profile_settings() -> str:
    """The profile's registrymodifications.xcu: the settings above."""
    items = "\n".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{_value(kind, value)}</value></prop></item>'
        for path, name, kind, value in _SETTINGS
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"{items}\n</oor:items>\n"
    )


def _export_argument(extension) -> str:
    options = {
        name: {"type": "boolean", "value": "true" if value else "false"} for name, value in EXPORT_OPTIONS.items()
    }
    return f"pdf:{EXPORT_FILTERS[extension]}:{json.dumps(options, separators=(',', ':'))}"


def _environment(work):
    nowhere = f"http://{NOWHERE_HOST}:{NOWHERE_PORT}"
    environment = {key: value for key, value in os.environ.items() if not key.lower().endswith("_proxy")}
    for name in ("http_proxy", "https_proxy", "ftp_proxy", "all_proxy"):
        environment[name] = environment[name.upper()] = nowhere
    environment["TMPDIR"] = str(work)
    return environment


def _kill(process):
    """Kill ``process`` and every process it started (they share its new session's process group)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def to_pdf(data: bytes, extension: str, *, timeout: float = TIMEOUT) -> bytes:
    """The PDF LibreOffice makes of ``data``, a document of type ``extension`` ("docx", ".xlsx", "odt").

    Raises ConversionFailed when LibreOffice is missing, the extension is not one
    converted here, the conversion takes longer than ``timeout`` seconds, or no PDF
    comes out.
    """
    extension = extension.lower().lstrip(".")
    if extension not in EXPORT_FILTERS:
        raise ConversionFailed(
            f".{extension} files are not converted to PDF (only {', '.join(sorted(EXPORT_FILTERS))})"
        )
    program = soffice()
    if program is None:
        raise ConversionFailed("LibreOffice (soffice) is not installed")

    with tempfile.TemporaryDirectory(prefix="mappa-office-") as directory:
        work = Path(directory)
        profile = work / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_profile_settings(), encoding="utf-8")
        source = work / f"document.{extension}"
        source.write_bytes(bytes(data))
        output = work / "pdf"
        output.mkdir()
        command = [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            f"--infilter={IMPORT_FILTERS[extension]}",
            "--convert-to",
            _export_argument(extension),
            "--outdir",
            str(output),
            str(source),
        ]
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=work,
            env=_environment(work),
            start_new_session=True,
        )
        try:
            _, errors = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(process)
            process.communicate()
            raise ConversionFailed(f"LibreOffice took longer than {timeout:g} seconds") from None
        finally:
            # soffice.bin may outlive the launcher that waited for it.
            _kill(process)
        result = output / "document.pdf"
        if not result.is_file() or not result.read_bytes().startswith(b"%PDF"):
            lines = (errors or b"").decode("utf-8", "replace").strip().splitlines()
            detail = next((line for line in reversed(lines) if line.startswith("Error")), lines[-1] if lines else "")
            raise ConversionFailed(
                f"LibreOffice produced no PDF (exit status {process.returncode}"
                + (f": {detail[:200]}" if detail else "")
                + ")"
            )
        return result.read_bytes()
