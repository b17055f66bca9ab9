from django.contrib import admin

from mechanisms.models import Direction, MechanismDocument, MechanismEvent, MonitoringLink, RequiredDocument
from mechanisms.services import decision_link_set


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 1
    fields = ["number", "name", "description", "is_active"]


@admin.register(Direction)
class DirectionAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "short_name", "region", "is_active"]
    list_display_links = ["name"]
    list_filter = [("region", admin.RelatedOnlyFieldListFilter), "is_active"]
    search_fields = ["name"]
    inlines = [RequiredDocumentInline]

    def get_queryset(self, request):
        return Direction.objects.for_user(request.user).select_related("region")


class EventInline(admin.TabularInline):
    model = MechanismEvent
    extra = 0
    fields = ["created_at", "from_status", "to_status", "actor", "comment"]
    readonly_fields = fields
    can_delete = False


@admin.register(MechanismDocument)
class MechanismDocumentAdmin(admin.ModelAdmin):
    """Documents change only through the card or the API (submit, accept, return): here they are read."""

    list_display = ["municipality", "year", "required", "status", "submitted_at"]
    list_filter = [
        "year",
        "status",
        ("required__direction", admin.RelatedOnlyFieldListFilter),
        ("municipality", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["municipality__name", "required__name"]
    inlines = [EventInline]

    def get_queryset(self, request):
        return MechanismDocument.objects.for_user(request.user).select_related(
            "municipality", "required__direction"
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MonitoringLink)
class MonitoringLinkAdmin(admin.ModelAdmin):
    list_display = ["decision", "year", "direction", "created_at"]
    list_filter = ["year"]
    raw_id_fields = ["decision"]
    readonly_fields = ["created_by", "created_at"]

    def get_queryset(self, request):
        return MonitoringLink.objects.for_user(request.user).select_related("decision", "direction")

    def save_model(self, request, obj, form, change):
        link = decision_link_set(
            decision=obj.decision, actor=request.user, year=obj.year, direction=obj.direction
        )
        obj.pk, obj.created_by = link.pk, link.created_by
