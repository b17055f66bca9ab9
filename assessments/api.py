"""REST endpoints of results: campaigns, per-unit summaries and flags, scoped by ``for_user``."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from assessments import services
from assessments.filters import FlagFilter
from assessments.forms import draft_meetings
from assessments.models import Campaign, SchoolFlag
from assessments.summary import flags_with_decisions, summarize, with_visible_decisions
from municipalities.models import Municipality


class CampaignOutputSerializer(serializers.ModelSerializer):
    subject = serializers.CharField(source="subject.name")

    class Meta:
        model = Campaign
        fields = ["id", "kind", "subject", "year", "grade", "held_on"]


class SummaryRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    subject = serializers.CharField()
    participants = serializers.IntegerField()
    mean_score = serializers.FloatField(allow_null=True)
    below_min_pct = serializers.FloatField(allow_null=True)
    below_university_pct = serializers.FloatField(allow_null=True)
    success_pct = serializers.FloatField(allow_null=True)
    quality_pct = serializers.FloatField(allow_null=True)
    hundreds = serializers.IntegerField()
    band_min_60_pct = serializers.FloatField(
        allow_null=True, help_text="ЕГЭ: от минимального балла до 60, %."
    )
    band_61_80_pct = serializers.FloatField(allow_null=True)
    band_81_99_pct = serializers.FloatField(allow_null=True)
    hundreds_pct = serializers.FloatField(allow_null=True)
    change = serializers.FloatField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True)


class FlagDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    meeting = serializers.IntegerField()
    number = serializers.CharField()
    meeting_number = serializers.CharField()
    meeting_date = serializers.DateField()
    signed = serializers.BooleanField()
    label = serializers.CharField(help_text="«на контроле: п. N протокола № … от …»")
    obligations = serializers.ListField(child=serializers.CharField(), help_text="Статусы поручений.")


class FlagOutputSerializer(serializers.ModelSerializer):
    school_code = serializers.CharField(source="school.code", default="")
    decisions = serializers.SerializerMethodField()

    class Meta:
        model = SchoolFlag
        fields = ["id", "kind", "procedure", "school", "school_code", "municipality", "subject", "grade", "year",
                  "reasons", "score", "active", "followup", "decisions"]  # fmt: skip

    @extend_schema_field(FlagDecisionSerializer(many=True))
    def get_decisions(self, obj) -> list[dict]:
        return [
            {"id": d.pk, "meeting": d.item.meeting_id, "number": d.number, "meeting_number": d.item.meeting.number,
             "meeting_date": d.item.meeting.date, "signed": d.item.meeting.is_signed, "label": label,
             "obligations": [o.status for o in d.obligations.all()]}
            for d, label in getattr(obj, "visible_decisions", [])
        ]  # fmt: skip


class FlagsToMeetingInputSerializer(serializers.Serializer):
    flags = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), min_length=1, max_length=500
    )
    meeting = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**31 - 1,
        help_text="Черновик протокола; без него создаётся новое совещание.",
    )


class FlagsToMeetingOutputSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    item = serializers.IntegerField()
    decisions = serializers.ListField(child=serializers.IntegerField())


class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CampaignOutputSerializer
    filterset_fields = ["kind", "year", "grade", "subject"]

    def get_queryset(self):
        return Campaign.objects.for_user(self.request.user).select_related("subject")

    @extend_schema(
        parameters=[
            OpenApiParameter("by", str, enum=["municipality", "school"]),
            OpenApiParameter("municipality", int),
        ],
        responses=SummaryRowSerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def summary(self, request, pk=None):
        """Figures by municipality or school, within the user's scope."""
        campaign = self.get_object()
        municipality = None
        if request.query_params.get("municipality"):
            try:
                municipality_id = int(request.query_params["municipality"])
            except ValueError:
                raise ValidationError({"municipality": "Укажите муниципалитет его номером (id)."}) from None
            municipality = Municipality.objects.for_user(request.user).filter(pk=municipality_id).first()
            if municipality is None:
                return Response({"detail": "Муниципалитет не найден."}, status=404)
        by = request.query_params.get("by", "municipality" if request.user.is_region_wide else "school")
        rows, _ = summarize(campaign, by="school" if by == "school" else "municipality", user=request.user,
                            municipality=municipality)  # fmt: skip
        return Response([r.as_json(campaign) for r in rows])


class FlagViewSet(viewsets.ReadOnlyModelViewSet):
    """Flags with the decisions made on them and next year's effect; filters as on the page."""

    serializer_class = FlagOutputSerializer
    filterset_class = FlagFilter
    ordering_fields = ["year", "score", "kind"]

    def get_queryset(self):
        return flags_with_decisions(SchoolFlag.objects.for_user(self.request.user)).order_by("pk")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            with_visible_decisions(page, self.request.user)
        return page

    def get_object(self):
        return with_visible_decisions([super().get_object()], self.request.user)[0]

    @extend_schema(request=FlagsToMeetingInputSerializer, responses={201: FlagsToMeetingOutputSerializer})
    @action(
        detail=False, methods=["post"], url_path="to-meeting", filterset_class=None, pagination_class=None,
        parser_classes=[JSONParser],
    )  # fmt: skip
    def to_meeting(self, request):
        """Put flags on a draft protocol's agenda (or a new draft's) as one question, one decision per flag."""
        data = FlagsToMeetingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = set(data.validated_data["flags"])
        flags = list(SchoolFlag.objects.for_user(request.user).filter(pk__in=ids))
        if len(flags) != len(ids):
            return Response({"detail": "Признак не найден."}, status=404)
        meeting = None
        if data.validated_data.get("meeting") is not None:
            drafts = {m.pk: m for m in draft_meetings(request.user)}
            meeting = drafts.get(data.validated_data["meeting"])
            if meeting is None:
                raise ValidationError({"meeting": "Нет такого черновика протокола среди ваших."})
        try:
            meeting = services.flags_to_meeting(actor=request.user, flags=flags, meeting=meeting)
        except DjangoValidationError as exc:
            raise ValidationError({"flags": exc.messages}) from None
        except PermissionDenied:
            raise DRFPermissionDenied(
                "Вопросы на совещание выносят комитет и органы управления образованием."
            ) from None
        item = meeting.items.order_by("-number").first()
        return Response(
            {
                "meeting": meeting.pk,
                "item": item.pk,
                "decisions": list(item.decisions.values_list("pk", flat=True)),
            },
            status=201,
        )
