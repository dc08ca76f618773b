from django.contrib import admin

from actions.models import Action, ActionUpdate


class ActionUpdateInline(admin.TabularInline):
    model = ActionUpdate
    extra = 0


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "text", "due_date", "status"]
    list_filter = ["status", "meeting__body"]
    search_fields = ["text"]
    filter_horizontal = ["owner_people", "owner_organisations", "owner_bodies"]
    inlines = [ActionUpdateInline]
