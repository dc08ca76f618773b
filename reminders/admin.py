from django.contrib import admin

from reminders.models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The reminder log, read-only: rows are written by the chasing jobs alone."""

    list_display = ["period", "kind", "recipient", "subject_key", "state", "attempts", "sent_at"]
    list_filter = ["state", "kind", "period"]
    search_fields = ["recipient__name", "recipient__email", "subject_key"]
    list_select_related = ["recipient"]
    date_hierarchy = "period"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
