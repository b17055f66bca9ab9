"""Input and output serializers of the meetings API."""

from django.utils import timezone
from rest_framework import serializers

from core.status_api import StatusEventOutputSerializer
from meetings.models import (
    AgendaItem,
    Decision,
    Document,
    ExtensionRequest,
    Meeting,
    MeetingEvent,
    Obligation,
    ObligationComment,
    ObligationCommentFile,
    ObligationEvent,
    Participant,
    Report,
    ReportFile,
)

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


# ---------------------------------------------------------------- a protocol sent whole (import_protocol --json)

_KINDS = [*Meeting.Kind.values, "recommendations"]


class DecisionImportInputSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=16, allow_blank=True, required=False, default="")
    text = serializers.CharField(max_length=20_000)
    deadline_text = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")
    responsible = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")
    tracked = serializers.BooleanField(required=False, default=True)
    addressed_to = serializers.CharField(max_length=1000, allow_blank=True, required=False, default="")


class ItemImportInputSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=8, allow_blank=True, required=False, default="")
    title = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")
    speakers = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, default=list
    )
    heard = serializers.CharField(allow_blank=True, required=False, default="", max_length=50_000)
    spoke = serializers.CharField(allow_blank=True, required=False, default="", max_length=50_000)
    decisions = DecisionImportInputSerializer(many=True, max_length=500)


class MeetingHeaderImportInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=_KINDS, required=False, default=Meeting.Kind.OTHER)
    date = serializers.DateField(
        error_messages={"null": "Укажите дату совещания.", "required": "Укажите дату совещания."}
    )
    number = serializers.CharField(max_length=32, allow_blank=True, required=False, default="")
    title = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")
    place = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")
    chair = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")
    secretary = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")
    members = serializers.ListField(child=serializers.CharField(max_length=500), required=False, default=list,
                                    max_length=500)  # fmt: skip
    invited = serializers.ListField(child=serializers.CharField(max_length=500), required=False, default=list,
                                    max_length=500)  # fmt: skip
    positions = serializers.DictField(child=serializers.CharField(max_length=500), required=False, default=dict,
                                      help_text="Имя → должность, как записано.")  # fmt: skip
    conclusions = serializers.CharField(allow_blank=True, required=False, default="", max_length=50_000)


class MeetingImportInputSerializer(serializers.Serializer):
    """The object ``import_protocol --json`` prints (and ``meetings/parse/`` answers); other keys are ignored."""

    meeting = MeetingHeaderImportInputSerializer()
    items = ItemImportInputSerializer(many=True, min_length=1, max_length=200)
    archival = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Запись о прошлом: при подписании поручения вносятся как исполненные.",
    )
    controller = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=2**31 - 1,
        help_text="id контролёра решений; по умолчанию — тот, кто создаёт протокол.",
    )  # fmt: skip


class MeetingCreatedOutputSerializer(MeetingOutputSerializer):
    warnings = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Что проверить перед подписанием."
    )

    class Meta(MeetingOutputSerializer.Meta):
        fields = [*MeetingOutputSerializer.Meta.fields, "warnings"]


class SignInputSerializer(serializers.Serializer):
    unknown_ok = serializers.BooleanField(
        required=False, default=False,
        help_text="Подписать, даже если часть ответственных не найдена в справочнике (они не получат поручений).",
    )  # fmt: skip
    archival = serializers.BooleanField(required=False, allow_null=True, default=None)


class DocumentRequestInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Document.Kind.choices)


class DocumentOutputSerializer(serializers.ModelSerializer):
    file_url = serializers.SerializerMethodField(help_text="Скачать PDF (когда status = ready).")

    class Meta:
        model = Document
        fields = [
            "id",
            "meeting",
            "kind",
            "revision",
            "status",
            "error",
            "created_at",
            "finished_at",
            "file_url",
        ]

    def get_file_url(self, obj) -> str:
        return f"/api/v1/documents/{obj.pk}/file/" if obj.status == Document.Status.READY else ""
