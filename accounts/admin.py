from django.contrib import admin

from accounts.models import PasswordResetRequest


@admin.register(PasswordResetRequest)
class PasswordResetRequestAdmin(admin.ModelAdmin):
    list_display = ["requested_at", "address", "client", "outcome"]
    list_filter = ["outcome"]
    search_fields = ["address", "client"]
    readonly_fields = ["requested_at", "address", "client", "outcome"]
