from django.contrib import admin

from assessments import services
from assessments.models import Campaign, ExamSubject, FlagThresholds, ImportJob, Scale, SchoolFlag, Subject
from municipalities.scope import sees_every_region


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "mandatory"]
    search_fields = ["name", "code", "aliases"]


@admin.register(ExamSubject)
class ExamSubjectAdmin(admin.ModelAdmin):
    """Which subjects each procedure offers (ВПР: per grade), mandatory or elective — the region's data."""

    list_display = ["kind", "grade", "subject", "mandatory"]
    list_filter = ["kind", "grade", "mandatory"]
    list_editable = ["mandatory"]


@admin.register(Scale)
class ScaleAdmin(admin.ModelAdmin):
    """Yearly scales are data: the committee enters minimum scores and mark boundaries each year."""

    list_display = ["kind", "subject", "year", "grade", "min_score", "min_score_university", "max_primary"]
    list_filter = ["kind", "year"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    list_display = ["kind", "subject", "year", "grade", "region", "scale"]
    list_filter = [("region", admin.RelatedOnlyFieldListFilter), "kind", "year"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["filename", "kind", "year", "status", "rows", "imported", "created_at"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)


@admin.register(SchoolFlag)
class SchoolFlagAdmin(admin.ModelAdmin):
    list_display = ["kind", "school", "municipality", "subject", "year", "active"]
    list_filter = ["kind", "year", "active"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)


@admin.register(FlagThresholds)
class FlagThresholdsAdmin(admin.ModelAdmin):
    """The same thresholds as the page «Пороги признаков»; saving recomputes the flags in a worker."""

    list_display = [
        "__str__",
        "min_participants",
        "gia_min_failed",
        "gia_min_share",
        "updated_at",
        "recomputed_at",
    ]
    readonly_fields = ["updated_by", "updated_at", "recomputed_at"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("region")
        return (
            queryset if sees_every_region(request.user) else queryset.filter(region_id=request.user.region_id)
        )

    def has_add_permission(self, request):
        return False  # every region's row is made when first read

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.flag_thresholds_update(actor=request.user, thresholds=obj)
