"""Meetings and decisions: protocols read, parsed and amended; every queryset is ``for_user``."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from meetings import services
from meetings.api.serializers import (
    DecisionAmendInputSerializer,
    DecisionOutputSerializer,
    MeetingAmendInputSerializer,
    MeetingOutputSerializer,
    ProtocolParseInputSerializer,
    ProtocolProposalOutputSerializer,
)
from meetings.models import Decision, DecisionParty, Meeting
from meetings.protocol_import import ProtocolFileError, extract_text, parse_protocol


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    """Meetings and their protocols in the user's scope."""

    serializer_class = MeetingOutputSerializer
    filterset_fields = ["kind", "status", "date"]
    search_fields = ["title", "number"]

    def get_queryset(self):
        parties = DecisionParty.objects.select_related("organization", "municipality", "school")
        return Meeting.objects.for_user(self.request.user).prefetch_related(
            "participants", Prefetch("items__decisions__parties", queryset=parties)
        )

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

    @extend_schema(request=MeetingAmendInputSerializer, responses=MeetingOutputSerializer)
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
