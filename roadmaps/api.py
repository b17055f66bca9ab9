"""REST endpoints of roadmaps: read, create, fill, upload the template, review, report progress.

Every queryset is ``for_user``; every write goes through ``roadmaps.services``.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from assessments.figures import FIGURES
from core.status_api import StatusEventOutputSerializer
from meetings.api import CommentInputSerializer
from meetings.models import Obligation
from roadmaps import services
from roadmaps.forms import MAX_PERIODS
from roadmaps.models import (
    ItemStatus,
    Roadmap,
    RoadmapEvent,
    RoadmapFile,
    RoadmapProgress,
    RoadmapVersion,
    Topic,
    decimal_text,
)

_EVENTS = Prefetch("events", RoadmapEvent.objects.select_related("actor"))

# ---------------------------------------------------------------- content


class ItemSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=16)
    activity = serializers.CharField(max_length=2000)
    responsible = serializers.CharField(max_length=2000, allow_blank=True, default="")
    deadline = serializers.CharField(max_length=300)
    expected_result = serializers.CharField(max_length=2000, allow_blank=True, default="")


class IndicatorSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=500)
    unit = serializers.CharField(max_length=30, allow_blank=True, default="")
    baseline = serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True, default=None)
    targets = serializers.DictField(
        child=serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True), default=dict
    )
    source = serializers.ChoiceField(
        choices=["", *FIGURES], allow_blank=True, default="",
        help_text="Показатель заполняется сам из данных портала (например, olympiad_regional_winners).",
    )  # fmt: skip


class ContentSerializer(serializers.Serializer):
    periods = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=MAX_PERIODS, default=list
    )
    items = ItemSerializer(many=True, max_length=500)
    indicators = IndicatorSerializer(many=True, max_length=200, default=list)

    def validate(self, data):
        problems = []
        if len({p.lower() for p in data["periods"]}) != len(data["periods"]):
            problems.append("Периоды отчётности повторяются.")
        numbers = [item["number"] for item in data["items"]]
        problems += [
            f"Мероприятие {n}: номер повторяется."
            for n in sorted({n for n in numbers if numbers.count(n) > 1})
        ]
        names = [" ".join(i["name"].lower().split()) for i in data["indicators"]]
        problems += [
            f"Показатель «{n}» указан дважды." for n in sorted({n for n in names if names.count(n) > 1})
        ]
        for indicator in data["indicators"]:
            extra = set(indicator["targets"]) - set(data["periods"])
            if extra:
                problems.append(
                    f"Показатель «{indicator['name']}»: цели на периоды, которых нет: {', '.join(sorted(extra))}."
                )
        if problems:
            raise serializers.ValidationError(problems)
        return data

    def to_content(self) -> dict:
        data = self.validated_data
        return {
            "periods": data["periods"],
            "items": [{k: " ".join(str(v).split()) for k, v in item.items()} for item in data["items"]],
            "indicators": [
                {"name": " ".join(i["name"].split()), "unit": i["unit"].strip(), "baseline": decimal_text(i["baseline"]),
                 "targets": {p: decimal_text(i["targets"].get(p)) for p in data["periods"]},
                 **({"source": i["source"]} if i["source"] else {})}
                for i in data["indicators"]
            ],
        }  # fmt: skip


# ---------------------------------------------------------------- output


class IndicatorOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    unit = serializers.CharField()
    baseline = serializers.CharField(allow_null=True, help_text="десятичное число строкой, например «12.5»")
    targets = serializers.DictField(child=serializers.CharField(allow_null=True))
    source = serializers.CharField(default="", help_text="Пусто: значения вносятся вручную.")


class ContentOutputSerializer(serializers.Serializer):
    periods = serializers.ListField(child=serializers.CharField())
    items = ItemSerializer(many=True)
    indicators = IndicatorOutputSerializer(many=True)


class RoadmapFileOutputSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    version = serializers.IntegerField(source="version.number", allow_null=True, read_only=True)

    class Meta:
        model = RoadmapFile
        fields = ["id", "name", "size", "content_type", "version", "uploaded_at", "url"]


class RoadmapVersionOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoadmapVersion
        fields = ["number", "submitted_at", "outcome", "reviewed_at", "review_comment"]


class RoadmapProgressOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoadmapProgress
        fields = ["period", "actuals", "item_statuses", "comment", "reported_at"]


class RoadmapEventOutputSerializer(StatusEventOutputSerializer):
    class Meta(StatusEventOutputSerializer.Meta):
        model = RoadmapEvent
        fields = ["kind", *StatusEventOutputSerializer.Meta.fields, "version"]


class RoadmapOutputSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(read_only=True)
    decision = serializers.IntegerField(source="obligation.decision_id", allow_null=True, read_only=True)
    due_date = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Roadmap
        fields = ["id", "municipality", "school", "unit_name", "obligation", "decision", "due_date", "topic",
                  "title", "period", "status", "submitted_at", "approved_at", "updated_at"]  # fmt: skip


class RoadmapDetailOutputSerializer(RoadmapOutputSerializer):
    content = ContentOutputSerializer(read_only=True)
    versions = RoadmapVersionOutputSerializer(many=True, read_only=True)
    files = RoadmapFileOutputSerializer(many=True, read_only=True)
    progress = RoadmapProgressOutputSerializer(many=True, read_only=True)
    events = RoadmapEventOutputSerializer(many=True, read_only=True, help_text="История дорожной карты")

    class Meta(RoadmapOutputSerializer.Meta):
        fields = [*RoadmapOutputSerializer.Meta.fields, "content", "versions", "files", "progress", "events"]


# ---------------------------------------------------------------- input


class RoadmapCreateInputSerializer(serializers.Serializer):
    obligation = serializers.IntegerField(required=False, help_text="Поручение, требующее дорожной карты")
    topic = serializers.ChoiceField(choices=Topic.choices, required=False)
    title = serializers.CharField(max_length=500, required=False)
    period = serializers.CharField(max_length=100, required=False)

    def validate(self, data):
        if "obligation" not in data and not all(data.get(k) for k in ("topic", "title", "period")):
            raise serializers.ValidationError("Укажите поручение либо тему, название и период.")
        return data


class TemplateInputSerializer(serializers.Serializer):
    file = serializers.FileField()


class ProgressInputSerializer(serializers.Serializer):
    period = serializers.CharField(max_length=100)
    actuals = serializers.DictField(
        child=serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True), default=dict
    )
    item_statuses = serializers.DictField(
        child=serializers.ChoiceField(choices=ItemStatus.choices), default=dict
    )
    comment = serializers.CharField(allow_blank=True, required=False, default="")


class RoadmapViewSet(viewsets.ReadOnlyModelViewSet):
    """Roadmaps of municipalities and schools in the user's scope, with their review workflow."""

    filterset_fields = ["status", "topic", "municipality", "school", "obligation__decision"]

    def get_queryset(self):
        roadmaps = Roadmap.objects.for_user(self.request.user).select_related(
            "municipality", "school", "obligation__decision__item__meeting"
        )
        return roadmaps if self.action == "list" else roadmaps.prefetch_related(_EVENTS)

    def get_serializer_class(self):
        return RoadmapOutputSerializer if self.action == "list" else RoadmapDetailOutputSerializer

    def _answer(self, roadmap, code=status.HTTP_200_OK):
        roadmap = (
            self.get_queryset().prefetch_related("versions", "files__version", "progress").get(pk=roadmap.pk)
        )
        return Response(RoadmapDetailOutputSerializer(roadmap).data, status=code)

    @extend_schema(request=RoadmapCreateInputSerializer, responses={201: RoadmapDetailOutputSerializer})
    def create(self, request):
        data = RoadmapCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if "obligation" in values:
            obligation = Obligation.objects.for_user(request.user).filter(pk=values["obligation"]).first()
            if obligation is None:
                raise ApiValidationError({"obligation": "Поручение не найдено."})
            roadmap = services.roadmap_for_obligation(obligation=obligation, actor=request.user)
        else:
            roadmap = services.roadmap_create(actor=request.user, **values)
        return self._answer(roadmap, status.HTTP_201_CREATED)

    @extend_schema(request=ContentSerializer, responses=RoadmapDetailOutputSerializer)
    @action(detail=True, methods=["put"])
    def content(self, request, pk=None):
        data = ContentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        roadmap = services.roadmap_update(
            roadmap=self.get_object(), actor=request.user, content=data.to_content()
        )
        return self._answer(roadmap)

    @extend_schema(
        request={"multipart/form-data": TemplateInputSerializer}, responses=RoadmapDetailOutputSerializer
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def template(self, request, pk=None):
        data = TemplateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        roadmap = services.roadmap_import(
            roadmap=self.get_object(), actor=request.user, upload=data.validated_data["file"]
        )
        return self._answer(roadmap)

    @extend_schema(request=None, responses=RoadmapDetailOutputSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        services.roadmap_submit(roadmap=self.get_object(), actor=request.user)
        return self._answer(self.get_object())

    @extend_schema(request=None, responses=RoadmapDetailOutputSerializer)
    @action(detail=True, methods=["post"])
    def take(self, request, pk=None):
        return self._answer(services.roadmap_take(roadmap=self.get_object(), actor=request.user))

    @extend_schema(request=CommentInputSerializer, responses=RoadmapDetailOutputSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = CommentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(
            services.roadmap_approve(roadmap=self.get_object(), actor=request.user, **data.validated_data)
        )

    @extend_schema(request=CommentInputSerializer, responses=RoadmapDetailOutputSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        data = CommentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(
            services.roadmap_return(roadmap=self.get_object(), actor=request.user, **data.validated_data)
        )

    @extend_schema(request=CommentInputSerializer, responses=RoadmapDetailOutputSerializer)
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        data = CommentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        roadmap = services.roadmap_revise(roadmap=self.get_object(), actor=request.user,
                                          reason=data.validated_data["comment"])  # fmt: skip
        return self._answer(roadmap)

    @extend_schema(request=ProgressInputSerializer, responses=RoadmapDetailOutputSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        data = ProgressInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.progress_save(roadmap=self.get_object(), actor=request.user, **data.validated_data)
        return self._answer(self.get_object())
