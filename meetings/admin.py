from django.contrib import admin

from meetings.models import AgendaItem, Attendance, Meeting, MeetingTransition, StandingAgendaItem


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["parent", "position", "kind", "title", "lead_person", "lead_organisation", "minutes_allotted"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fk_name = "meeting"


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "body", "date", "venue", "status"]
    list_filter = ["body", "status"]
    date_hierarchy = "date"
    inlines = [AgendaItemInline, AttendanceInline]
    # Status changes go through meetings.services.advance_meeting, which records who and when.
    readonly_fields = ["status", "agreed_at", "agreed_subject_to"]


@admin.register(StandingAgendaItem)
class StandingAgendaItemAdmin(admin.ModelAdmin):
    list_display = ["body", "position", "title"]
    list_filter = ["body"]


@admin.register(MeetingTransition)
class MeetingTransitionAdmin(admin.ModelAdmin):
    list_display = ["meeting", "from_status", "to_status", "by", "at"]
    readonly_fields = ["meeting", "from_status", "to_status", "by", "at", "note"]
