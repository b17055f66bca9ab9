from django.contrib import admin

from portal.forms import PortalAdminAuthenticationForm
from portal.models import Reminder, ReminderPolicy

admin.site.site_header = "Портал контроля качества образования"
admin.site.site_title = "Администрирование портала"
admin.site.index_title = "Справочники и пользователи"
admin.site.login_form = PortalAdminAuthenticationForm


class ScopedAdminMixin:
    """Admin lists obey the same ``for_user`` rule as every page and API endpoint."""

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    """The committee edits the reminder rules here; there is one set of rules for the region."""

    list_display = ["__str__", "before_days", "overdue_every_days", "escalate_after_days"]

    def has_add_permission(self, request):
        return not ReminderPolicy.objects.exists()


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
