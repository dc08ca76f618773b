"""The short list of FOISA exemptions a redaction is made under; the administrator may add to it in /admin/."""

from django.db import migrations

EXEMPTIONS = [
    # (section, title, the default)
    ("s.38(1)(b)", "Personal data", True),
    ("s.30(b)(i)", "Free and frank provision of advice", False),
    ("s.30(b)(ii)", "Free and frank exchange of views", False),
    ("s.30(c)", "Effective conduct of public affairs", False),
    ("s.35(1)(a)", "Prevention or detection of crime", False),
    ("s.36(2)", "Confidentiality", False),
    ("s.39(1)", "Health, safety and the environment", False),
]


def add(apps, schema_editor):
    Exemption = apps.get_model("disclosure", "Exemption")
    for section, title, is_default in EXEMPTIONS:
        Exemption.objects.get_or_create(section=section, defaults={"title": title, "is_default": is_default})


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_requests_proposals_packs")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
