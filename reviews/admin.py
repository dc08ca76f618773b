"""Administrators set up reporting periods (and change a period's due date) here.

Returns and case review records change only through the service's own pages,
so their workflow and history stay whole: here they are read-only.
"""

from django.contrib import admin

from reviews.models import CaseReview, QuarterlyReturn, ReportingPeriod


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "starts_on", "ends_on", "opens_on", "due_on"]
    fields = ["year", "quarter", "starts_on", "ends_on", "opens_on", "due_on"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(QuarterlyReturn)
class QuarterlyReturnAdmin(ReadOnlyAdmin):
    list_display = ["area", "period", "status", "first_submitted_at", "approved_at"]
    list_filter = ["status", "period", "area"]


@admin.register(CaseReview)
class CaseReviewAdmin(ReadOnlyAdmin):
    list_display = ["reference", "area", "review_type", "stage", "status", "commissioned_on"]
    list_filter = ["review_type", "status", "area"]
