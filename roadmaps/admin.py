from django.contrib import admin

from roadmaps.models import Roadmap, RoadmapEvent, RoadmapVersion


class VersionInline(admin.TabularInline):
    model = RoadmapVersion
    extra = 0
    fields = [
        "number",
        "submitted_by",
        "submitted_at",
        "outcome",
        "reviewed_by",
        "reviewed_at",
        "review_comment",
    ]
    readonly_fields = fields
    can_delete = False


class EventInline(admin.TabularInline):
    model = RoadmapEvent
    extra = 0
    fields = ["created_at", "kind", "from_status", "to_status", "actor", "version", "comment"]
    readonly_fields = fields
    can_delete = False


@admin.register(Roadmap)
class RoadmapAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "school", "topic", "status", "updated_at"]
    list_filter = ["status", "topic", ("municipality", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "municipality__name", "school__name"]
    readonly_fields = ["obligation", "status", "created_by", "submitted_at", "approved_at", "content"]
    raw_id_fields = ["municipality", "school"]
    inlines = [VersionInline, EventInline]

    def get_queryset(self, request):
        return Roadmap.objects.for_user(request.user).select_related("municipality", "school")
