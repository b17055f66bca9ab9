from django.contrib import admin

from assessments.models import Campaign, ImportJob, Scale, SchoolFlag, Subject


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "mandatory"]
    search_fields = ["name", "code", "aliases"]


@admin.register(Scale)
class ScaleAdmin(admin.ModelAdmin):
    """Yearly scales are data: the committee enters minimum scores and mark boundaries each year."""

    list_display = ["kind", "subject", "year", "grade", "min_score", "min_score_university", "max_primary"]
    list_filter = ["kind", "year"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["kind", "subject", "year", "grade", "scale"]
    list_filter = ["kind", "year"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["filename", "kind", "year", "status", "rows", "imported", "created_at"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)


@admin.register(SchoolFlag)
class SchoolFlagAdmin(admin.ModelAdmin):
    list_display = ["kind", "school", "municipality", "subject", "year"]
    list_filter = ["kind", "year"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)
