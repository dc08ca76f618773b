"""Imports run one way: the core and the reminder log import no domain app; the domain apps register with them."""

import ast
from pathlib import Path

import pytest

from mappa import registry as core_registry
from reminders import registry
from reminders.models import Reminder

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_APPS = {"accounts", "actions", "dashboard", "meetings", "papers", "recommendations", "reviews"}
# The development-only app on top of everything: the demo world and the scale dataset.
DEVELOPMENT_APPS = {"demo"}


def imported_apps(path):
    """The top-level packages a module imports (at any depth in it, lazily or not)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize(
    "module",
    sorted(str(p.relative_to(ROOT)) for p in (ROOT / "reminders").rglob("*.py") if "migrations" not in p.parts),
)
def test_the_reminder_log_imports_no_domain_app_nor_the_outbox(module):
    assert not imported_apps(ROOT / module) & (DOMAIN_APPS | {"outbox"})


@pytest.mark.parametrize(
    "module",
    sorted(str(p.relative_to(ROOT)) for p in (ROOT / "mappa").rglob("*.py") if "migrations" not in p.parts),
)
def test_the_core_imports_no_other_app(module):
    assert not imported_apps(ROOT / module) & (DOMAIN_APPS | DEVELOPMENT_APPS | {"outbox", "reminders"})


def test_every_kind_of_reminder_is_registered_by_its_app():
    assert set(registry.kinds()) == set(Reminder.Kind.values)
    assert registry.kind(Reminder.Kind.ACTION_DIGEST).context.__module__ == "actions.chasing"
    assert registry.kind(Reminder.Kind.REVIEW_DATE_PASSED).once
    assert registry.kind(Reminder.Kind.SECRETARIAT_LATE_RETURNS).weekly


def test_a_kind_registered_twice_differently_is_refused():
    kind = registry.kind(Reminder.Kind.ACTION_DIGEST)
    registry.register(kind)  # the same again (e.g. ready() run twice): harmless
    with pytest.raises(ValueError):
        registry.register(registry.ReminderKind(kind.name, "other/template", kind.context, kind.describe))


def test_home_page_attention_comes_from_the_apps_in_order():
    assert [fn.__module__ for fn in core_registry.attention_providers()] == [
        "meetings.selectors.attention",
        "disclosure.selectors",
        "reviews.selectors.attention",
        "outbox.selectors",
    ]


@pytest.mark.parametrize(
    "app",
    sorted(DOMAIN_APPS | {"mappa", "outbox", "reminders", "audit", "erasure", "retention", "search", "disclosure"}),
)
def test_no_app_that_production_runs_imports_the_demo(app):
    # The demo world and the scale dataset are the development-only demo app's (DEMO_DATA).
    modules = [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]
    assert modules
    assert not [str(p.relative_to(ROOT)) for p in modules if "demo" in imported_apps(p)]
