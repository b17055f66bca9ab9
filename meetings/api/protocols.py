"""Meetings and decisions: protocols read, parsed and amended; every queryset is ``for_user``."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api_errors import ERROR, Conflict, error_lines
from core.pagination import KeysFirstPagination
from meetings import services
from meetings.api.serializers import (
    DecisionAmendInputSerializer,
    DecisionOutputSerializer,
    DocumentOutputSerializer,
    DocumentRequestInputSerializer,
    MeetingAmendInputSerializer,
    MeetingCreatedOutputSerializer,
    MeetingDetailOutputSerializer,
    MeetingImportInputSerializer,
    MeetingOutputSerializer,
    ProtocolParseInputSerializer,
    ProtocolProposalOutputSerializer,
    SignInputSerializer,
)
from meetings.forms import controller_choices
from meetings.importing import draft_from_proposal
from meetings.models import Decision, DecisionParty, Document, Meeting, MeetingEvent
from meetings.parties import PartyResolver
from meetings.protocol_import import ProtocolFileError, extract_text, parse_protocol
from meetings.protocol_import.proposals import proposal_from_json


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    """Meetings and their protocols in the user's scope; a protocol created whole, signed, amended; its PDFs."""

    serializer_class = MeetingOutputSerializer
    filterset_fields = ["kind", "status", "date"]
    search_fields = ["title", "number"]

    def get_queryset(self):
        parties = DecisionParty.objects.select_related("organization", "municipality", "school")
        meetings = Meeting.objects.for_user(self.request.user).prefetch_related(
            "participants", Prefetch("items__decisions__parties", queryset=parties)
        )
        if self.action == "retrieve":
            meetings = meetings.prefetch_related(
                Prefetch("events", MeetingEvent.objects.select_related("actor"))
            )
        return meetings

    def get_serializer_class(self):
        return MeetingDetailOutputSerializer if self.action == "retrieve" else MeetingOutputSerializer

    @extend_schema(
        request=MeetingImportInputSerializer, responses={201: MeetingCreatedOutputSerializer, 400: ERROR}
    )
    def create(self, request):
        """A draft protocol from the object ``import_protocol --json`` prints; ``sign`` then puts it under control."""
        organization, municipality = services.organizer_of(request.user)  # 403 before any look at the body
        data = MeetingImportInputSerializer(data=request.data)
        if not data.is_valid():
            raise serializers.ValidationError({"detail": error_lines(data.errors)})
        d = data.validated_data
        controller = request.user
        if d["controller"] is not None:
            # the same choice the protocol pages offer: the region's committee staff or the organising
            # municipality's heads — never a person of another region or unit
            region_id = (organization or municipality).region_id
            controller = (
                controller_choices(municipality, region_id=region_id).filter(pk=d["controller"]).first()
            )
            if controller is None:
                raise serializers.ValidationError(
                    {"detail": [f"controller: пользователь {d['controller']} не найден."]}
                )
        resolver = PartyResolver(municipality=municipality, organization=organization)
        draft, warnings = draft_from_proposal(proposal_from_json(d), resolver)
        meeting = services.meeting_create(actor=request.user, draft=draft, organizer_organization=organization,
                                          organizer_municipality=municipality, controller=controller,
                                          imported=True, archival=d["archival"])  # fmt: skip
        meeting = self.get_queryset().get(pk=meeting.pk)
        meeting.warnings = [str(w) for w in warnings]
        return Response(MeetingCreatedOutputSerializer(meeting).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=SignInputSerializer, responses={200: MeetingOutputSerializer, 400: ERROR, 409: ERROR}
    )
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Sign a draft: its tracked decisions go under control (400 lists what stops it; 409 if not a draft)."""
        meeting = self.get_object()
        if not meeting.user_can_manage(request.user):
            raise PermissionDenied("Подписывать протокол может только его организатор.")
        if meeting.is_signed:
            raise Conflict("Протокол уже подписан: изменить его можно через amend.")
        data = SignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.meeting_sign(meeting=meeting, actor=request.user, **data.validated_data)
        return Response(MeetingOutputSerializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(methods=["GET"], request=None, responses=DocumentOutputSerializer(many=True))
    @extend_schema(methods=["POST"], request=DocumentRequestInputSerializer,
                   responses={201: DocumentOutputSerializer, 400: ERROR})  # fmt: skip
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def documents(self, request, pk=None):
        """The protocol's PDFs; POST asks for one of the current revision (an existing one is answered as is)."""
        meeting = self.get_object()
        if request.method == "GET":
            documents = Document.objects.for_user(request.user).filter(meeting=meeting)
            if not meeting.user_sees_every_unit(request.user):
                documents = documents.exclude(kind=Document.Kind.STATUS)
            return Response(DocumentOutputSerializer(documents, many=True).data)
        data = DocumentRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        kind = data.validated_data["kind"]
        if kind == Document.Kind.STATUS and not meeting.user_sees_every_unit(request.user):
            raise PermissionDenied(
                "Справку об исполнении видит только тот, кто видит все поручения протокола."
            )
        document = services.document_request(meeting=meeting, kind=kind, actor=request.user)
        return Response(DocumentOutputSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProtocolParseInputSerializer, responses=ProtocolProposalOutputSerializer)
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def parse(self, request):
        """Parse a protocol (text or .docx/.txt file) into a proposal; nothing is saved."""
        data = ProtocolParseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        text = data.validated_data.get("text", "")
        upload = data.validated_data.get("file")
        try:
            if upload:
                text = extract_text(upload.read(), upload.name)
            if not text.strip():
                raise ProtocolFileError("Пустой протокол: передайте текст или файл.")
            proposal = parse_protocol(text)
        except ProtocolFileError as exc:
            raise serializers.ValidationError({"detail": str(exc)}) from exc
        return Response(proposal.to_json())

    @extend_schema(request=MeetingAmendInputSerializer, responses={200: MeetingOutputSerializer, 400: ERROR})
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        """Change the header, participants or agenda; a signed protocol gets a new revision with the reason."""
        from meetings.revisions import ProtocolEdit, meeting_amend

        data = MeetingAmendInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        edit = ProtocolEdit(
            header={k: d[k] for k in ("kind", "date", "number", "title", "place") if k in d},
            people=d.get("participants"),
            items=[dict(row) for row in d["items"]] if "items" in d else None,
        )
        meeting_amend(meeting=self.get_object(), actor=request.user, edit=edit, comment=d["comment"])
        return Response(MeetingOutputSerializer(self.get_queryset().get(pk=pk)).data)


class DecisionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DecisionOutputSerializer
    pagination_class = KeysFirstPagination
    filterset_fields = ["tracked", "item__meeting", "flag"]
    search_fields = ["text"]

    def get_queryset(self):
        parties = DecisionParty.objects.select_related("organization", "municipality", "school")
        return (
            Decision.objects.for_user(self.request.user)
            .select_related("item__meeting")
            .prefetch_related(Prefetch("parties", queryset=parties))
        )

    @extend_schema(request=DecisionAmendInputSerializer, responses=DecisionOutputSerializer)
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        """Change a decision as the decision page does; in a signed protocol it is an amendment with a reason."""
        from django.core.exceptions import PermissionDenied

        from meetings.forms import DecisionEditForm
        from meetings.parties import PartyResolver

        decision = self.get_object()
        meeting = decision.item.meeting
        if not meeting.user_can_manage(request.user):
            raise PermissionDenied("Изменять протокол может только его организатор.")
        data = DecisionAmendInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        current = {"text": decision.text, "tracked": decision.tracked, "deadline_text": decision.deadline_text,
                   "responsible_text": decision.responsible_text, "controller": decision.controller_id,
                   "requires_roadmap": decision.requires_roadmap, "due_date": None}  # fmt: skip
        values = current | data.validated_data
        form = DecisionEditForm(
            {k: v for k, v in values.items() if v not in (None, False)}, decision=decision,
            resolver=PartyResolver(municipality=meeting.organizer_municipality, organization=meeting.organizer_organization),
        )  # fmt: skip
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        f = form.cleaned_data
        services.decision_update(
            decision=decision, actor=request.user, text=f["text"], tracked=f["tracked"], deadline=f["deadline"],
            responsible_text=f["responsible_text"], parties=f["parties"], controller=f["controller"],
            comment=f["comment"], requires_roadmap=f["requires_roadmap"],
        )  # fmt: skip
        return Response(DecisionOutputSerializer(self.get_queryset().get(pk=pk)).data)
