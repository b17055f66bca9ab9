from django.contrib import admin

from meetings.models import (
    AgendaItem,
    Decision,
    DecisionParty,
    ExtensionRequest,
    Meeting,
    MeetingEvent,
    Obligation,
    ObligationEvent,
    Participant,
    Report,
)
from portal.admin import ScopedAdminMixin

# what an obligation's name («п. 2.1 протокола № 12 от 05.11.2026 — школа») reads, in one query for a list
OBLIGATION_NAMED = ["obligation__decision__item__meeting", "obligation__municipality", "obligation__school",
                    "obligation__organization"]  # fmt: skip


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0


class AgendaItemInline(admin.StackedInline):
    model = AgendaItem
    extra = 0


class MeetingEventInline(ReadOnlyInline):
    model = MeetingEvent


@admin.register(Meeting)
class MeetingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["date", "number", "kind", "title", "status", "revision"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "number"]
    date_hierarchy = "date"
    readonly_fields = ["status", "revision", "signed_at", "created_by", "created_at"]
    inlines = [ParticipantInline, AgendaItemInline, MeetingEventInline]


class DecisionPartyInline(admin.TabularInline):
    model = DecisionParty
    extra = 0


@admin.register(Decision)
class DecisionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["number", "text", "tracked", "deadline_text", "controller"]
    list_filter = ["tracked", "standing"]
    search_fields = ["text", "responsible_text"]
    inlines = [DecisionPartyInline]


class ObligationEventInline(ReadOnlyInline):
    model = ObligationEvent


@admin.register(Obligation)
class ObligationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: statuses change through the portal's pages so that every change is an event."""

    list_display = ["decision", "municipality", "school", "organization", "status", "due_date"]
    list_select_related = ["decision__item__meeting", "municipality", "school", "organization"]
    list_filter = ["status"]
    search_fields = ["decision__text"]
    inlines = [ObligationEventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Report)
class ReportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["obligation", "author", "submitted_at", "status"]
    list_select_related = [*OBLIGATION_NAMED, "author"]
    list_filter = ["status"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(admin.ModelAdmin):
    list_display = ["obligation", "proposed_date", "status", "requested_at"]
    list_select_related = OBLIGATION_NAMED

    def get_queryset(self, request):
        return super().get_queryset(request).filter(obligation__in=Obligation.objects.for_user(request.user))

    def has_change_permission(self, request, obj=None):
        return False
