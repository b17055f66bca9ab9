"""REST endpoints of the monitoring: directions with their required documents (read-only) and documents.

Every queryset is ``for_user``; every write goes through ``mechanisms.services``.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.status_api import StatusEventOutputSerializer
from mechanisms import services
from mechanisms.models import (
    MAX_YEAR,
    MIN_YEAR,
    Direction,
    MechanismDocument,
    MechanismEvent,
    RequiredDocument,
    monitored_municipalities,
)
from meetings.api import CommentInputSerializer


class RequiredDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequiredDocument
        fields = ["id", "number", "name", "description"]


class DirectionSerializer(serializers.ModelSerializer):
    documents = RequiredDocumentSerializer(many=True, read_only=True)

    class Meta:
        model = Direction
        fields = ["id", "region", "number", "name", "documents"]


class DirectionViewSet(viewsets.ReadOnlyModelViewSet):
    """Directions of the monitoring of municipal management mechanisms with the documents each requires."""

    serializer_class = DirectionSerializer
    filterset_fields = ["region"]

    def get_queryset(self):
        return (
            Direction.objects.for_user(self.request.user).active()
            .prefetch_related(Prefetch("documents", RequiredDocument.objects.filter(is_active=True)))
        )  # fmt: skip


class MechanismEventSerializer(StatusEventOutputSerializer):
    class Meta(StatusEventOutputSerializer.Meta):
        model = MechanismEvent


class MechanismDocumentSerializer(serializers.ModelSerializer):
    direction = serializers.IntegerField(source="required.direction_id", read_only=True)
    file_url = serializers.CharField(source="get_file_url", read_only=True)
    url = serializers.CharField(
        read_only=True, help_text="Адрес опубликованного документа; пусто, если приложен файл"
    )
    events = MechanismEventSerializer(many=True, read_only=True)

    class Meta:
        model = MechanismDocument
        fields = ["id", "municipality", "year", "direction", "required", "status", "url", "file_name", "file_size",
                  "file_url", "submitted_at", "reviewed_at", "review_comment", "events"]  # fmt: skip


class MechanismDocumentInputSerializer(serializers.Serializer):
    required = serializers.IntegerField(help_text="Требуемый документ (id из /api/v1/mechanisms/)")
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR)
    municipality = serializers.IntegerField(required=False, help_text="По умолчанию — свой муниципалитет")
    url = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class MechanismDocumentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Documents municipalities attached (file or published URL) and their review; create submits again."""

    serializer_class = MechanismDocumentSerializer
    filterset_fields = ["year", "municipality", "status", "required", "required__direction"]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        return (
            MechanismDocument.objects.for_user(self.request.user)
            .select_related("required")
            .prefetch_related(Prefetch("events", MechanismEvent.objects.select_related("actor")))
        )

    def _answer(self, document, code=status.HTTP_200_OK):
        return Response(
            MechanismDocumentSerializer(self.get_queryset().get(pk=document.pk)).data, status=code
        )

    @extend_schema(
        request={"multipart/form-data": MechanismDocumentInputSerializer,
                 "application/json": MechanismDocumentInputSerializer},
        responses={201: MechanismDocumentSerializer},
    )  # fmt: skip
    def create(self, request):
        data = MechanismDocumentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = request.user
        municipality = (
            monitored_municipalities(user).filter(pk=values.get("municipality", user.municipality_id)).first()
        )
        if municipality is None:
            raise ApiValidationError({"municipality": "Муниципалитет не найден."})
        required = RequiredDocument.objects.filter(
            pk=values["required"], direction__in=Direction.objects.for_user(user)
        ).first()
        if required is None:
            raise ApiValidationError({"required": "Требуемый документ не найден."})
        document = services.document_submit(
            actor=user, municipality=municipality, required=required, year=values["year"],
            upload=values.get("file"), url=values["url"], comment=values["comment"],
        )  # fmt: skip
        return self._answer(document, status.HTTP_201_CREATED)

    @extend_schema(request=CommentInputSerializer, responses=MechanismDocumentSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        data = CommentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(
            services.document_accept(document=self.get_object(), actor=request.user, **data.validated_data)
        )

    @extend_schema(request=CommentInputSerializer, responses=MechanismDocumentSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        data = CommentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(
            services.document_return(document=self.get_object(), actor=request.user, **data.validated_data)
        )
