from django.contrib import admin

from mappa.models import Area, Body, Membership, Organisation, Person


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person", "representing"]
    fk_name = "body"


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "active", "started_on", "ended_on"]
    list_filter = ["active"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["successors"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    filter_horizontal = ["contacts"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "job_title", "organisation", "email", "access_role", "user", "active"]
    list_filter = ["access_role", "active", "organisation"]
    search_fields = ["name", "email", "job_title"]
    autocomplete_fields = ["organisation", "user"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "area", "reports_to", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "body", "role", "started_on", "ended_on"]
    list_filter = ["role", "body"]
    search_fields = ["person__name", "body__name"]
    autocomplete_fields = ["person", "body", "representing"]
