from django.contrib import admin

from notifications.models import Reminder, ReminderPolicy


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    """Each region's committee edits its reminder rules here; a row without a region is the default."""

    list_display = ["__str__", "before_days", "overdue_every_days", "escalate_after_days"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser and not request.user.region_id:
            return queryset
        return (
            queryset.filter(region_id=request.user.region_id) if request.user.region_id else queryset.none()
        )


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "kind", "due_date", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "digest"]
    search_fields = ["subject", "recipient__email"]
    readonly_fields = [f.name for f in Reminder._meta.fields if f.name != "id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
