from django.contrib import admin

from papers.models import Paper, PaperVersion


class PaperVersionInline(admin.TabularInline):
    """Versions are uploaded through the service (which checks each file); here they are only listed."""

    model = PaperVersion
    extra = 0
    can_delete = False
    fields = ["number", "original_filename", "content_type", "size", "uploaded_by", "uploaded_at", "removed_content"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Paper)
class PaperAdmin(admin.ModelAdmin):
    list_display = ["title", "agenda_item", "not_for_publication", "created_at"]
    list_filter = ["not_for_publication", "agenda_item__meeting__body"]
    search_fields = ["title"]
    list_select_related = ["agenda_item"]
    raw_id_fields = ["agenda_item", "created_by"]
    readonly_fields = ["created_by", "created_at"]
    inlines = [PaperVersionInline]

    def has_add_permission(self, request):
        # Papers are added through the service, which checks each file.
        return False
