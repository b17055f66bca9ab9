"""Obligations, their reports and extension requests, with the actions of their lifecycle."""

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.pagination import KeysFirstPagination
from meetings import services
from meetings.api.serializers import (
    CommentInputSerializer,
    DueDateInputSerializer,
    ExecutorInputSerializer,
    ExtensionDecisionInputSerializer,
    ExtensionInputSerializer,
    ExtensionRequestOutputSerializer,
    ObligationCommentInputSerializer,
    ObligationCommentOutputSerializer,
    ObligationDetailOutputSerializer,
    ObligationOutputSerializer,
    ReportInputSerializer,
    ReportOutputSerializer,
)
from meetings.comments import obligation_comment
from meetings.filters import ObligationFilter
from meetings.models import ExtensionRequest, Obligation, Report
from municipalities.models import User


class ObligationViewSet(viewsets.ReadOnlyModelViewSet):
    """Obligations of responsible units, with the actions of their lifecycle."""

    filterset_class = ObligationFilter  # the board's filters, the same parameter names
    pagination_class = KeysFirstPagination

    def get_queryset(self):
        return Obligation.objects.for_user(self.request.user).select_related(
            "decision__item__meeting", "municipality", "school", "organization", "executor"
        )

    def get_serializer_class(self):
        return ObligationDetailOutputSerializer if self.action == "retrieve" else ObligationOutputSerializer

    @extend_schema(request=ExecutorInputSerializer, responses=ObligationDetailOutputSerializer)
    @action(detail=True, methods=["post"])
    def executor(self, request, pk=None):
        """Name (or change) the person of the responsible unit who carries the obligation out."""
        data = ExecutorInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = User.objects.filter(pk=data.validated_data["executor"]).first()
        return self._answer(services.executor_assign(obligation=self.get_object(), actor=request.user,
                                                     executor=person, comment=data.validated_data["comment"]))  # fmt: skip

    @extend_schema(request=None, responses=ObligationDetailOutputSerializer)
    @action(detail=True, methods=["post"])
    def lead(self, request, pk=None):
        """Make this obligation its decision's lead executor (ответственный исполнитель); the others co-executors."""
        return self._answer(services.lead_set(obligation=self.get_object(), actor=request.user))

    def _answer(self, obligation):
        obligation = self.get_queryset().get(pk=obligation.pk)
        return Response(ObligationDetailOutputSerializer(obligation).data)

    @extend_schema(request=None, responses=ObligationDetailOutputSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._answer(services.obligation_start(obligation=self.get_object(), actor=request.user))

    @extend_schema(request=ReportInputSerializer, responses={201: ReportOutputSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def report(self, request, pk=None):
        data = ReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        files = request.FILES.getlist("files") if hasattr(request, "FILES") else []
        report = services.report_submit(obligation=self.get_object(), actor=request.user,
                                        text=data.validated_data["text"], files=files,
                                        executed_on=data.validated_data["executed_on"])  # fmt: skip
        return Response(ReportOutputSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CommentInputSerializer, responses=ObligationDetailOutputSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        data = CommentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(
            services.report_accept(obligation=self.get_object(), actor=request.user, **data.validated_data)
        )

    @extend_schema(request=CommentInputSerializer, responses=ObligationDetailOutputSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        data = CommentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(
            services.report_return(obligation=self.get_object(), actor=request.user, **data.validated_data)
        )

    @extend_schema(methods=["GET"], request=None, responses=ObligationCommentOutputSerializer(many=True))
    @extend_schema(methods=["POST"], request=ObligationCommentInputSerializer,
                   responses={201: ObligationCommentOutputSerializer})  # fmt: skip
    @action(detail=True, methods=["get", "post"], pagination_class=None,
            parser_classes=[MultiPartParser, FormParser, JSONParser])  # fmt: skip
    def comments(self, request, pk=None):
        """The thread between the executor and the controller; a new comment notifies the other side once."""
        obligation = self.get_object()
        if request.method == "GET":
            thread = obligation.comments.select_related("author").prefetch_related("files")
            return Response(ObligationCommentOutputSerializer(thread, many=True).data)
        data = ObligationCommentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        files = request.FILES.getlist("files") if hasattr(request, "FILES") else []
        comment = obligation_comment(obligation=obligation, actor=request.user, text=data.validated_data["text"],
                                     files=files)  # fmt: skip
        return Response(ObligationCommentOutputSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ExtensionInputSerializer, responses={201: ExtensionRequestOutputSerializer})
    @action(detail=True, methods=["post"])
    def extension(self, request, pk=None):
        data = ExtensionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.extension_request(
            obligation=self.get_object(), actor=request.user, **data.validated_data
        )
        return Response(ExtensionRequestOutputSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DueDateInputSerializer, responses=ObligationDetailOutputSerializer)
    @action(detail=True, methods=["post"], url_path="due-date")
    def due_date(self, request, pk=None):
        data = DueDateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(
            services.obligation_set_due_date(
                obligation=self.get_object(), actor=request.user, **data.validated_data
            )
        )


class ExtensionRequestViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ExtensionRequestOutputSerializer
    filterset_fields = ["status", "obligation"]

    def get_queryset(self):
        return ExtensionRequest.objects.filter(obligation__in=Obligation.objects.for_user(self.request.user))

    def _decide(self, request, grant: bool):
        data = ExtensionDecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decided = services.extension_decide(request=self.get_object(), actor=request.user, grant=grant,
                                            **data.validated_data)  # fmt: skip
        return Response(ExtensionRequestOutputSerializer(decided).data)

    @extend_schema(request=ExtensionDecisionInputSerializer, responses=ExtensionRequestOutputSerializer)
    @action(detail=True, methods=["post"])
    def grant(self, request, pk=None):
        return self._decide(request, grant=True)

    @extend_schema(request=ExtensionDecisionInputSerializer, responses=ExtensionRequestOutputSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._decide(request, grant=False)


class ReportViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ReportOutputSerializer
    filterset_fields = ["status", "obligation"]

    def get_queryset(self):
        return Report.objects.for_user(self.request.user).prefetch_related("files")
