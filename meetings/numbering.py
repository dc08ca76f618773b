"""An agenda's numbers: items are numbered by their order, top items 1, 2, ...; sub-items 4.1, 4.2.

Every page, document and export that shows an item's number takes it from here.
"""

from dataclasses import dataclass

from meetings.models import AgendaItem


@dataclass
class NumberedItem:
    """An agenda item with the number its position gives it (4, 4.1, ...)."""

    number: str
    item: AgendaItem
    depth: int


def numbered_agenda(items):
    """Number a meeting's agenda items from their order: top items 1, 2, ...; sub-items 4.1, 4.2."""
    children = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    for siblings in children.values():
        siblings.sort(key=lambda i: i.position)
    numbered = []

    def walk(parent_id, prefix, depth):
        for index, item in enumerate(children.get(parent_id, []), start=1):
            number = f"{prefix}{index}"
            numbered.append(NumberedItem(number=number, item=item, depth=depth))
            walk(item.id, f"{number}.", depth + 1)

    walk(None, "", 0)
    return numbered
