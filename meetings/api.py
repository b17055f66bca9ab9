"""REST endpoints of meetings, decisions, obligations and reports; every queryset is ``for_user``."""

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.status_api import StatusEventOutputSerializer
from meetings import services
from meetings.comments import obligation_comment
from meetings.filters import ObligationFilter
from meetings.models import (
    AgendaItem,
    Answer,
    Decision,
    DecisionParty,
    ExtensionRequest,
    Meeting,
    MeetingEvent,
    Obligation,
    ObligationComment,
    ObligationCommentFile,
    ObligationEvent,
    Participant,
    Question,
    Report,
    ReportFile,
    Survey,
    SurveyResponse,
)
from meetings.protocol_import import ProtocolFileError, extract_text, parse_protocol
from municipalities.models import User

# ---------------------------------------------------------------- output serializers


class DecisionOutputSerializer(serializers.ModelSerializer):
    meeting = serializers.IntegerField(source="item.meeting_id", read_only=True)
    item_number = serializers.IntegerField(source="item.number", read_only=True)
    reference = serializers.CharField(read_only=True, help_text="«п. 2.1 протокола № 12 от 05.11.2026»")
    parties = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = ["id", "meeting", "item_number", "number", "reference", "text", "tracked", "deadline_text", "due_dates",
                  "standing", "recurrence", "recurrence_day", "until", "responsible_text", "parties", "controller",
                  "flag"]  # fmt: skip

    def get_parties(self, obj) -> list[str]:
        return [str(p.target) for p in obj.parties.all()]


class AgendaItemOutputSerializer(serializers.ModelSerializer):
    decisions = DecisionOutputSerializer(many=True, read_only=True)

    class Meta:
        model = AgendaItem
        fields = ["id", "number", "title", "speakers", "heard", "spoke", "decisions"]


class ParticipantOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Participant
        fields = ["role", "name", "attended"]


class MeetingOutputSerializer(serializers.ModelSerializer):
    participants = ParticipantOutputSerializer(many=True, read_only=True)
    items = AgendaItemOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "kind", "number", "date", "place", "title", "status", "revision", "archival",
                  "organizer_organization", "organizer_municipality", "signed_at", "participants", "items"]  # fmt: skip


class ObligationEventOutputSerializer(StatusEventOutputSerializer):
    class Meta(StatusEventOutputSerializer.Meta):
        model = ObligationEvent
        fields = ["kind", *StatusEventOutputSerializer.Meta.fields]


class MeetingEventOutputSerializer(StatusEventOutputSerializer):
    class Meta(StatusEventOutputSerializer.Meta):
        model = MeetingEvent
        fields = ["kind", *StatusEventOutputSerializer.Meta.fields, "revision"]


class MeetingDetailOutputSerializer(MeetingOutputSerializer):
    events = MeetingEventOutputSerializer(many=True, read_only=True, help_text="История протокола")

    class Meta(MeetingOutputSerializer.Meta):
        fields = [*MeetingOutputSerializer.Meta.fields, "events"]


class ObligationOutputSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit_name", read_only=True)
    executor_name = serializers.SerializerMethodField(
        help_text="«Иванова А.П.»: the named executor of the unit"
    )
    meeting = serializers.IntegerField(source="decision.item.meeting_id", read_only=True)
    reference = serializers.CharField(read_only=True, help_text="«п. 2.1 протокола № 12 от 05.11.2026»")
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Obligation
        fields = ["id", "decision", "meeting", "reference", "unit", "organization", "municipality", "school", "status",
                  "due_date", "original_due_date", "is_overdue", "last_reported_at", "closed_at", "closed_late",
                  "executor", "executor_name", "is_lead"]  # fmt: skip

    def get_is_overdue(self, obj) -> bool:
        return obj.is_overdue_on(timezone.localdate())

    def get_executor_name(self, obj) -> str:
        return obj.executor.short_name if obj.executor_id else ""


class ObligationDetailOutputSerializer(ObligationOutputSerializer):
    events = ObligationEventOutputSerializer(many=True, read_only=True)

    class Meta(ObligationOutputSerializer.Meta):
        fields = [*ObligationOutputSerializer.Meta.fields, "events"]


class ReportFileOutputSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = ReportFile
        fields = ["id", "name", "size", "content_type", "url"]


class CommentFileOutputSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = ObligationCommentFile
        fields = ["id", "name", "size", "content_type", "url"]


class ObligationCommentOutputSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.short_name", read_only=True)
    files = CommentFileOutputSerializer(many=True, read_only=True)

    class Meta:
        model = ObligationComment
        fields = ["id", "obligation", "author", "text", "created_at", "files"]


class ReportOutputSerializer(serializers.ModelSerializer):
    files = ReportFileOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Report
        fields = ["id", "obligation", "author", "text", "due_date", "executed_on", "submitted_at", "status",
                  "reviewed_by", "reviewed_at", "review_comment", "files"]  # fmt: skip


class ExtensionRequestOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExtensionRequest
        fields = ["id", "obligation", "requested_by", "requested_at", "current_due_date", "proposed_date", "reason",
                  "status", "decided_by", "decided_at", "decision_comment"]  # fmt: skip


class DecisionProposalOutputSerializer(serializers.Serializer):
    number = serializers.CharField()
    text = serializers.CharField()
    deadline_text = serializers.CharField(allow_blank=True)
    due_dates = serializers.ListField(child=serializers.DateField())
    standing = serializers.BooleanField()
    responsible = serializers.CharField(
        allow_blank=True, help_text="Ответственные, как записано в протоколе."
    )
    tracked = serializers.BooleanField()
    addressed_to = serializers.CharField(
        allow_blank=True,
        help_text="Кому адресован пункт по заголовку блока, если строки «Ответственные» нет.",
    )


class ItemProposalOutputSerializer(serializers.Serializer):
    number = serializers.CharField(allow_blank=True)
    title = serializers.CharField(allow_blank=True)
    speakers = serializers.ListField(child=serializers.CharField())
    heard = serializers.CharField(allow_blank=True)
    spoke = serializers.CharField(allow_blank=True)
    decisions = DecisionProposalOutputSerializer(many=True)


class MeetingProposalOutputSerializer(serializers.Serializer):
    # A plain string, not a second enum: sharing MeetingOutput's enum would rename its schema component.
    kind = serializers.CharField(
        help_text="meeting, interview, council, recommendations или other (почти как в MeetingOutput.kind)"
    )
    date = serializers.DateField(allow_null=True)
    number = serializers.CharField(allow_blank=True)
    title = serializers.CharField(allow_blank=True)
    organization = serializers.CharField(allow_blank=True)
    place = serializers.CharField(allow_blank=True)
    chair = serializers.CharField(allow_blank=True)
    secretary = serializers.CharField(allow_blank=True)
    members = serializers.ListField(child=serializers.CharField(), help_text="Имена (или названия органов).")
    invited = serializers.ListField(child=serializers.CharField())
    date_range = serializers.ListField(
        child=serializers.DateField(), allow_null=True, help_text="Собеседования в течение нескольких дней."
    )
    positions = serializers.DictField(
        child=serializers.CharField(), help_text="Имя → должность, как записано."
    )
    conclusions = serializers.CharField(allow_blank=True, help_text="«Были сделаны выводы: …» — не решения.")


class LetterProposalOutputSerializer(serializers.Serializer):
    number = serializers.CharField(allow_blank=True)
    date = serializers.DateField(allow_null=True)


class QuestionnaireProposalOutputSerializer(serializers.Serializer):
    title = serializers.CharField()
    questions = serializers.ListField(child=serializers.CharField())


class ProtocolProposalOutputSerializer(serializers.Serializer):
    """What ``parse`` proposes (nothing is saved): the meeting, its items and decisions, and warnings."""

    meeting = MeetingProposalOutputSerializer()
    items = ItemProposalOutputSerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField())
    letter = LetterProposalOutputSerializer(
        allow_null=True, help_text="Сопроводительное письмо: его номер и дата — не номер и дата совещания."
    )
    questionnaire = QuestionnaireProposalOutputSerializer(
        allow_null=True, help_text="Приложенные вопросы для собеседования: это не решения."
    )


# ---------------------------------------------------------------- input serializers


class ProtocolParseInputSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True)
    file = serializers.FileField(required=False)


class ReportInputSerializer(serializers.Serializer):
    text = serializers.CharField()
    executed_on = serializers.DateField(required=False, allow_null=True, default=None)
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ObligationCommentInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)
    files = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="multipart/form-data"
    )


class CommentInputSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ExtensionInputSerializer(serializers.Serializer):
    proposed_date = serializers.DateField()
    reason = serializers.CharField()


class ExtensionDecisionInputSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    new_date = serializers.DateField(required=False, allow_null=True, default=None)


class ExecutorInputSerializer(serializers.Serializer):
    executor = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="id of a user of the unit"
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class DueDateInputSerializer(serializers.Serializer):
    due_date = serializers.DateField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ItemAmendInputSerializer(serializers.Serializer):
    number = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=10_000,
        help_text="Номер вопроса; без него — новый вопрос.",
    )
    title = serializers.CharField()
    speakers = serializers.CharField(required=False, allow_blank=True, default="")
    heard = serializers.CharField(required=False, allow_blank=True, default="")
    spoke = serializers.CharField(required=False, allow_blank=True, default="")


class PeopleAmendInputSerializer(serializers.Serializer):
    chair = serializers.ListField(child=serializers.CharField(), required=False)
    secretary = serializers.ListField(child=serializers.CharField(), required=False)
    members = serializers.ListField(child=serializers.CharField(), required=False)
    invited = serializers.ListField(child=serializers.CharField(), required=False)


class MeetingAmendInputSerializer(serializers.Serializer):
    """What changes; a part left out stays as it is. A signed protocol needs ``comment`` (the reason)."""

    comment = serializers.CharField(required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices, required=False)
    date = serializers.DateField(required=False)
    number = serializers.CharField(required=False, allow_blank=True, max_length=32)
    title = serializers.CharField(required=False, max_length=500)
    place = serializers.CharField(required=False, allow_blank=True, max_length=300)
    participants = PeopleAmendInputSerializer(required=False)
    items = ItemAmendInputSerializer(
        many=True, required=False, help_text="Вся повестка: вопрос, которого нет, удаляется."
    )


class DecisionAmendInputSerializer(serializers.Serializer):
    """The decision's new content, read like the page's form; left out — unchanged."""

    comment = serializers.CharField(required=False, allow_blank=True, default="")
    text = serializers.CharField(required=False)
    tracked = serializers.BooleanField(required=False)
    deadline_text = serializers.CharField(required=False, allow_blank=True, max_length=300)
    due_date = serializers.DateField(required=False, allow_null=True)
    responsible_text = serializers.CharField(required=False, allow_blank=True)
    controller = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**31 - 1)


# ---------------------------------------------------------------- viewsets


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    """Meetings and their protocols in the user's scope."""

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


class ObligationViewSet(viewsets.ReadOnlyModelViewSet):
    """Obligations of responsible units, with the actions of their lifecycle."""

    filterset_class = ObligationFilter  # the board's filters, the same parameter names

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


# ---------------------------------------------------------------- questionnaires


class QuestionOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "order", "section", "text", "kind", "choices", "required"]


class SurveyOutputSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="questionnaire.title")
    questions = QuestionOutputSerializer(source="questionnaire.questions", many=True)

    class Meta:
        model = Survey
        fields = ["id", "title", "due_date", "meeting", "created_at", "questions"]


class AnswerOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Answer
        fields = ["question", "value", "file_name"]


class SurveyResponseOutputSerializer(serializers.ModelSerializer):
    school_code = serializers.CharField(source="school.code")
    answers = AnswerOutputSerializer(many=True, read_only=True)

    class Meta:
        model = SurveyResponse
        fields = ["id", "survey", "school", "school_code", "status", "reopened", "submitted_at", "answers"]


class SurveyAnswerInputSerializer(serializers.Serializer):
    answers = serializers.DictField(help_text="question id → value (list for multiple choice)")
    submit = serializers.BooleanField(default=False)


class _Answers(dict):
    """JSON answers in the shape the form service reads (``get`` / ``getlist``)."""

    def getlist(self, key):
        value = self.get(key)
        return value if isinstance(value, list) else ([] if value is None else [value])


class SurveyViewSet(viewsets.ReadOnlyModelViewSet):
    """Questionnaires sent to schools, with their questions, in the user's scope."""

    serializer_class = SurveyOutputSerializer

    def get_queryset(self):
        return (
            Survey.objects.for_user(self.request.user)
            .select_related("questionnaire")
            .prefetch_related("questionnaire__questions")
        )


class SurveyResponseViewSet(viewsets.ReadOnlyModelViewSet):
    """Schools' answers: a director sees and fills only own school's."""

    serializer_class = SurveyResponseOutputSerializer
    filterset_fields = ["survey", "status", "school"]

    def get_queryset(self):
        return (
            SurveyResponse.objects.for_user(self.request.user)
            .select_related("school")
            .prefetch_related("answers")
        )

    @extend_schema(request=SurveyAnswerInputSerializer, responses=SurveyResponseOutputSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Save answers as a draft, or submit them (required answers are then checked)."""
        from meetings.questionnaires import response_save

        data = SurveyAnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answers = _Answers({f"q{key}": value for key, value in data.validated_data["answers"].items()})
        saved = response_save(response=self.get_object(), actor=request.user, data=answers, files={},
                              submit=data.validated_data["submit"])  # fmt: skip
        return Response(SurveyResponseOutputSerializer(self.get_queryset().get(pk=saved.pk)).data)
