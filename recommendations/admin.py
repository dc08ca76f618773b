from django.contrib import admin

from recommendations.models import Assessment, Inspection, Recommendation, StatusUpdate


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["title", "published_on", "follow_up_of"]
    filter_horizontal = ["inspectorates"]


class StatusUpdateInline(admin.TabularInline):
    model = StatusUpdate
    extra = 0
    fields = ["as_of", "status", "progress", "review_date", "completion_date", "source"]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["number", "short_title", "kind", "inspection", "policy_directorate"]
    list_filter = ["kind", "inspection"]
    filter_horizontal = ["directed_at"]
    raw_id_fields = ["agenda_items", "actions", "policy_lead"]
    inlines = [StatusUpdateInline]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["recommendation", "review", "grade", "as_of"]
    list_filter = ["grade", "review"]
