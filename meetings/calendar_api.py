"""REST endpoints of the calendar: planned meetings, listed and created through the same service as the page."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.forms import MAX_ID
from meetings import services
from meetings.models import Meeting
from municipalities.models import Municipality, Organization


class PlannedMeetingOutputSerializer(serializers.ModelSerializer):
    time = serializers.SerializerMethodField(help_text="Время начала «10:30» (московское), или null")
    agenda = serializers.SerializerMethodField()
    invited = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["id", "kind", "title", "date", "time", "place", "status", "agenda", "invited"]

    def get_time(self, meeting) -> str | None:
        return f"{meeting.time:%H:%M}" if meeting.time else None

    def get_agenda(self, meeting) -> list[str]:
        return [item.title for item in meeting.items.all()]

    def get_invited(self, meeting) -> list[str]:
        return [str(invitee) for invitee in meeting.invitees.all()]


class PlannedMeetingInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices, default=Meeting.Kind.MEETING)
    title = serializers.CharField(max_length=500)
    date = serializers.DateField()
    time = serializers.TimeField(required=False, allow_null=True)
    place = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    agenda = serializers.ListField(child=serializers.CharField(max_length=1000), max_length=50)
    municipalities = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=500,
    )
    organizations = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=500,
    )


def _units(queryset, ids: list[int], field: str, label: str) -> list:
    found = list(queryset.filter(pk__in=ids))
    missing = sorted(set(ids) - {unit.pk for unit in found})
    if missing:
        raise serializers.ValidationError(
            {field: f"{label} с номерами {', '.join(map(str, missing))} не найдены."}
        )
    return found


class PlannedMeetingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Planned meetings in the user's scope (organised by it or inviting it); POST plans one and sends the
    invitations."""

    serializer_class = PlannedMeetingOutputSerializer

    def get_queryset(self):
        return (
            Meeting.objects.for_user(self.request.user)
            .filter(status=Meeting.Status.PLANNED)
            .prefetch_related("items", "invitees__municipality", "invitees__organization", "invitees__school")
            .order_by("date", "time", "pk")
        )

    @extend_schema(request=PlannedMeetingInputSerializer, responses={201: PlannedMeetingOutputSerializer})
    def create(self, request):
        data = PlannedMeetingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        user = request.user
        d["municipalities"] = _units(Municipality.objects.for_user(user), d["municipalities"], "municipalities",
                                     "Муниципалитеты")  # fmt: skip
        d["organizations"] = _units(Organization.objects.for_user(user), d["organizations"], "organizations",
                                    "Организации")  # fmt: skip
        meeting = services.meeting_plan(actor=user, **d)
        return Response(PlannedMeetingOutputSerializer(self.get_queryset().get(pk=meeting.pk)).data,
                        status=status.HTTP_201_CREATED)  # fmt: skip
