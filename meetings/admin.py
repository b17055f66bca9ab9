from django.contrib import admin
from django.db.models import F

from core.admin import ScopedAdminMixin
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


def _signed(obj) -> bool:
    """A signed protocol (or a part of one) changes only through the portal's revision services."""
    meeting = obj if isinstance(obj, Meeting) else getattr(obj, "meeting", None)
    if meeting is None and isinstance(obj, Decision):
        meeting = obj.item.meeting
    return bool(meeting and meeting.is_signed)


class SignedReadOnlyMixin:
    """Read-only for a signed protocol: edits go through «Изменить протокол» as a revision with a reason."""

    def has_change_permission(self, request, obj=None):
        return not _signed(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _signed(obj) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request, *args):  # inlines get the parent protocol as well
        return not _signed(args[0] if args else None) and super().has_add_permission(request, *args)


class ParticipantInline(SignedReadOnlyMixin, admin.TabularInline):
    model = Participant
    extra = 0


class AgendaItemInline(SignedReadOnlyMixin, admin.StackedInline):
    model = AgendaItem
    extra = 0


class MeetingEventInline(ReadOnlyInline):
    model = MeetingEvent


@admin.register(Meeting)
class MeetingAdmin(SignedReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["date", "number", "kind", "title", "status", "revision"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "number"]
    date_hierarchy = "date"
    readonly_fields = ["status", "revision", "signed_at", "created_by", "created_at", "archival"]
    inlines = [ParticipantInline, AgendaItemInline, MeetingEventInline]

    def save_related(self, request, form, formsets, change):
        """A draft changed here gets a new revision and a history entry, like any other change."""
        super().save_related(request, form, formsets, change)
        changed = [str(form.fields[name].label) for name in form.changed_data]
        changed += [str(fs.model._meta.verbose_name_plural) for fs in formsets if fs.has_changed()]
        if change and changed:
            meeting = form.instance
            Meeting.objects.filter(pk=meeting.pk).update(revision=F("revision") + 1)
            meeting.refresh_from_db(fields=["revision"])
            MeetingEvent.record(meeting, request.user, kind=MeetingEvent.Kind.AMENDED, revision=meeting.revision,
                                comment=f"Изменён в администрировании: {', '.join(changed)}.")  # fmt: skip


class DecisionPartyInline(SignedReadOnlyMixin, admin.TabularInline):
    model = DecisionParty
    extra = 0


@admin.register(Decision)
class DecisionAdmin(SignedReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["number", "text", "tracked", "deadline_text", "controller"]
    list_filter = ["tracked", "standing"]
    search_fields = ["text", "responsible_text"]
    inlines = [DecisionPartyInline]


class ObligationEventInline(ReadOnlyInline):
    model = ObligationEvent


@admin.register(Obligation)
class ObligationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: statuses change through the portal's pages so that every change is an event."""

    list_display = [
        "decision",
        "municipality",
        "school",
        "organization",
        "executor",
        "is_lead",
        "status",
        "due_date",
    ]
    list_select_related = ["decision__item__meeting", "municipality", "school", "organization", "executor"]
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
