"""What the other parts of the service add to the core's pages, registered from their apps.

The core (mappa) imports no other app of the service. Each app that has something
to add registers it from its ``AppConfig.ready()``:

* ``register_attention(fn, order)``: fn(user) -> [mappa.selectors.AttentionItem], what
  needs the user's attention on the home page (meetings.apps, reviews.apps, outbox.apps).
  Shown by ``order``, then in the order registered.
* ``register_drawn_documents(forget)``: forget() lets go of every document the app drew from the
  records and kept (meetings' agreed minutes and agenda packs, the dashboard's prepared reports):
  an erasure of personal data calls them all (``forget_drawn_documents``), as any of them may
  hold the erased words. Each is drawn again from the records as they now are when next asked for.

The demo world is not registered here: it is the development-only ``demo`` app's, which
sits above every other app and names its parts in order (demo/seeders.py).
"""


class KindRegistry:
    """Kinds by name, registered once each (outbox.registry's e-mails, reminders.registry's digests).

    A kind is any object with a ``name``; registering an equal kind again is harmless
    (``ready()`` may run twice in tests), a different one under a taken name is an error.
    """

    def __init__(self, what):
        self.what = what  # "E-mail kind", for the error
        self._kinds = {}

    def register(self, kind):
        if kind.name in self._kinds and self._kinds[kind.name] != kind:
            raise ValueError(f"{self.what} {kind.name!r} is registered twice")
        self._kinds[kind.name] = kind

    def kind(self, name):
        return self._kinds[name]

    def kinds(self):
        """Every registered kind, by name."""
        return dict(self._kinds)


_ATTENTION: list = []  # (order, fn)


def register_attention(fn, order=50):
    if all(existing is not fn for _order, existing in _ATTENTION):
        _ATTENTION.append((order, fn))


def attention_providers():
    """The registered attention providers, by order (stable: ties stay in the order registered)."""
    return [fn for _order, fn in sorted(_ATTENTION, key=lambda pair: pair[0])]


_DRAWN_DOCUMENTS: list = []  # forget() of each app that keeps documents drawn from the records


def register_drawn_documents(forget):
    if all(existing is not forget for existing in _DRAWN_DOCUMENTS):
        _DRAWN_DOCUMENTS.append(forget)


def forget_drawn_documents():
    """Let go of every kept document drawn from the records (an erasure of personal data)."""
    for forget in _DRAWN_DOCUMENTS:
        forget()
