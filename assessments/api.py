"""REST endpoints of results: campaigns, per-unit summaries and flags, scoped by ``for_user``."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from assessments.models import Campaign, SchoolFlag
from assessments.summary import summarize
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
    change = serializers.FloatField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True)


class FlagOutputSerializer(serializers.ModelSerializer):
    school_code = serializers.CharField(source="school.code", default="")

    class Meta:
        model = SchoolFlag
        fields = [
            "id",
            "kind",
            "school",
            "school_code",
            "municipality",
            "subject",
            "grade",
            "year",
            "reasons",
            "score",
        ]


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
    serializer_class = FlagOutputSerializer
    filterset_fields = ["kind", "year", "municipality", "school"]

    def get_queryset(self):
        return SchoolFlag.objects.for_user(self.request.user).select_related("school")
