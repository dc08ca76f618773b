"""The documents a request's scope takes in (scope.py), the service's own documents marked and redacted in
their HTML before they are laid out (rendered.py), and uploaded papers found in and burned in as PDFs (uploaded.py)."""
