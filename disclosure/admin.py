"""The administrator keeps the short list of FOISA exemptions; requests are handled at /disclosure/."""

from django.contrib import admin

from disclosure.models import Exemption


@admin.register(Exemption)
class ExemptionAdmin(admin.ModelAdmin):
    list_display = ["section", "title", "is_default", "active"]
    list_editable = ["is_default", "active"]
    ordering = ["section"]
