"""Test-only e-mail plumbing for the real-worker tests: read what a worker wrote, or pause it mid-send."""

import email
import os
import time
from pathlib import Path

from django.core.mail.backends import filebased

SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # what Django's file backend writes after each message


def read_mail(directory):
    """Every message Django's file backend wrote into ``directory``, as email.message.Message objects."""
    messages = []
    for path in sorted(Path(directory).glob("*.log")):
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk))
    return messages


class PausingFileBackend(filebased.EmailBackend):
    """Django's file backend, except that the first send of the test pauses before writing.

    When TEST_PAUSE_MARKER names a file that does not exist yet, the first call
    creates it with the sending process's id and then sleeps (TEST_PAUSE_SECONDS,
    default 120), so the test can kill that process mid-send. Later calls, in any
    process, find the marker and send at once.
    """

    def send_messages(self, email_messages):
        marker = os.environ.get("TEST_PAUSE_MARKER")
        if marker and not Path(marker).exists():
            partial = Path(f"{marker}.{os.getpid()}.tmp")
            partial.write_text(str(os.getpid()))
            partial.rename(marker)
            time.sleep(float(os.environ.get("TEST_PAUSE_SECONDS", "120")))
        return super().send_messages(email_messages)
