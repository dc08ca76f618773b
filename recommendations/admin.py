from django.contrib import admin
from django.db.models import Q

from mappa.models import Person
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
    raw_id_fields = ["agenda_items", "actions"]
    inlines = [StatusUpdateInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The policy lead is chosen from the people still active; a lead who has since left stays on theirs."""
        form = super().get_form(request, obj, change=change, **kwargs)
        lead = form.base_fields.get("policy_lead")
        if lead is not None:
            keep = Q(pk=obj.policy_lead_id) if obj is not None and obj.policy_lead_id else Q(pk__in=[])
            lead.queryset = Person.objects.filter(Q(active=True) | keep).select_related("organisation__parent")
            lead.label_from_instance = lambda person: person.described
        return form


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["recommendation", "review", "grade", "as_of"]
    list_filter = ["grade", "review"]
