"""REST endpoints of questionnaires (made from a list of questions, sent to schools, municipal education
authorities and organisations) and of the recipients' answers; every queryset is ``for_user``."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from meetings.models import Meeting
from municipalities.models import School
from surveys import sending, services
from surveys.models import Answer, Question, Survey, SurveyResponse


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Действие противоречит состоянию анкеты."
    default_code = "conflict"


class SurveyErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="Ошибки ввода: поле → список сообщений по-русски."),
    403: OpenApiResponse(
        SurveyErrorSerializer, description="Нет прав: наблюдатель, школа или не отправитель анкеты."
    ),
    404: OpenApiResponse(
        SurveyErrorSerializer, description="Анкеты нет или она вне области видимости пользователя."
    ),
}


class QuestionOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "order", "section", "text", "kind", "choices", "required"]


class SurveyOutputSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="questionnaire.title")
    questions = QuestionOutputSerializer(source="questionnaire.questions", many=True)

    class Meta:
        model = Survey
        fields = ["id", "title", "due_date", "meeting", "created_at", "sent_at", "questions"]


class AnswerOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Answer
        fields = ["question", "value", "file_name"]


class SurveyResponseOutputSerializer(serializers.ModelSerializer):
    school_code = serializers.CharField(source="school.code", allow_null=True, read_only=True)
    recipient = serializers.CharField(
        source="recipient_name", read_only=True, help_text="школа, орган или организация"
    )
    answers = AnswerOutputSerializer(many=True, read_only=True)

    class Meta:
        model = SurveyResponse
        fields = ["id", "survey", "school", "school_code", "municipality", "organization", "recipient", "status",
                  "reopened", "submitted_at", "answers"]  # fmt: skip


class SurveyCreateInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    questions = serializers.CharField(
        max_length=services.QUESTIONS_TEXT,
        help_text="Вопросы по одному в строке, как на странице: «# Раздел», тип в скобках — [число], [дата], "
        "[да/нет], [файл], [один: А; Б], [несколько: А; Б]; «(необязательный)».",
    )
    due_date = serializers.DateField()
    meeting = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class SurveySendInputSerializer(serializers.Serializer):
    # plain strings (checked by the service, with Russian messages): named enums here would collide with the
    # schema's other "kind" choice sets
    recipients = serializers.CharField(default=sending.SCHOOLS, max_length=20,
                                       help_text=f"кому: {', '.join(sending.RECIPIENT_KINDS)}")  # fmt: skip
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False,
                                help_text="отмеченные получатели; без них — нужен all")  # fmt: skip
    all = serializers.BooleanField(default=False, help_text="«выбрать всех»: все, кого находит отбор")
    municipality = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    school_kind = serializers.CharField(required=False, allow_blank=True, max_length=20,
                                        help_text=f"тип школы: {', '.join(School.Kind.values)}")  # fmt: skip
    flag = serializers.CharField(required=False, allow_blank=True, max_length=30,
                                 help_text=f"признак школы: {', '.join(sending.FLAGS)}")  # fmt: skip
    dry_run = serializers.BooleanField(default=False, help_text="только посчитать получателей, не отправлять")

    def validate(self, attrs):
        if not attrs.get("all") and not attrs.get("ids"):
            raise serializers.ValidationError({"ids": "Укажите получателей (ids) или «выбрать всех» (all)."})
        return attrs


class SurveySendOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="сколько получателей (при dry_run — получило бы)")
    sent = serializers.BooleanField()
    survey = SurveyOutputSerializer()


class SurveyRemindOutputSerializer(serializers.Serializer):
    reminded = serializers.IntegerField(help_text="скольким отстающим отправлено напоминание")


class SurveyAnswerInputSerializer(serializers.Serializer):
    answers = serializers.DictField(help_text="question id → value (list for multiple choice)")
    submit = serializers.BooleanField(default=False)


class _Answers(dict):
    """JSON answers in the shape the form service reads (``get`` / ``getlist``)."""

    def getlist(self, key):
        value = self.get(key)
        return value if isinstance(value, list) else ([] if value is None else [value])


class SurveyViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Questionnaires with their questions in the user's scope: made from a list of questions, then sent."""

    serializer_class = SurveyOutputSerializer

    def get_queryset(self):
        return (
            Survey.objects.for_user(self.request.user)
            .select_related("questionnaire")
            .prefetch_related("questionnaire__questions")
        )

    @extend_schema(request=SurveyCreateInputSerializer, responses={201: SurveyOutputSerializer, **ERRORS})
    def create(self, request):
        """Make a questionnaire from a list of questions and a survey of it, not sent yet (see ``send``)."""
        data = SurveyCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        meeting = None
        if values.get("meeting"):
            meeting = Meeting.objects.for_user(request.user).filter(pk=values["meeting"]).first()
            if meeting is None:
                raise serializers.ValidationError({"meeting": ["Совещание не найдено."]})
        survey = sending.survey_create(actor=request.user, title=values["title"], text=values["questions"],
                                       due_date=values["due_date"], meeting=meeting)  # fmt: skip
        return Response(
            SurveyOutputSerializer(self.get_queryset().get(pk=survey.pk)).data, status.HTTP_201_CREATED
        )

    @extend_schema(
        request=SurveySendInputSerializer,
        responses={
            200: SurveySendOutputSerializer, **ERRORS,
            409: OpenApiResponse(SurveyErrorSerializer, description="Анкета уже отправлена: получатели не меняются."),
        },
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        """Send to the ticked recipients (``ids``) or to all that the combined filter finds (``all``); with
        ``dry_run`` only count them."""
        survey = self.get_object()
        data = SurveySendInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        found = sending.RecipientFilter(kind=values["recipients"], municipality=values.get("municipality"),
                                        school_kind=values.get("school_kind", ""), flag=values.get("flag", ""))  # fmt: skip
        if not survey.user_is_sender(request.user):
            raise DjangoPermissionDenied("Отправить анкету может только тот, кто её составил.")
        if survey.is_sent:
            raise Conflict("Анкета уже отправлена: получатели не меняются — создайте новую рассылку.")
        chosen = list(
            sending.recipients_chosen(request.user, found, None if values["all"] else values["ids"])
        )
        if not values["dry_run"]:
            field = {sending.SCHOOLS: "schools", sending.AUTHORITIES: "municipalities"}.get(
                found.kind, "organizations"
            )
            try:
                sending.survey_deliver(actor=request.user, survey=survey, **{field: chosen})
            except sending.SurveyAlreadySent as exc:
                raise Conflict(exc.messages[0]) from exc
        answer = {
            "count": len(chosen),
            "sent": not values["dry_run"],
            "survey": self.get_queryset().get(pk=survey.pk),
        }
        return Response(SurveySendOutputSerializer(answer).data)

    @extend_schema(request=None, responses={200: SurveyRemindOutputSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def remind(self, request, pk=None):
        """«Напомнить отстающим»: one notice to each recipient that has not submitted, at most once a day."""
        reminded = sending.survey_remind_lagging(actor=request.user, survey=self.get_object())
        return Response(SurveyRemindOutputSerializer({"reminded": reminded}).data)


class SurveyResponseViewSet(viewsets.ReadOnlyModelViewSet):
    """Schools' answers: a director sees and fills only own school's."""

    serializer_class = SurveyResponseOutputSerializer
    filterset_fields = ["survey", "status", "school"]

    def get_queryset(self):
        return (
            SurveyResponse.objects.for_user(self.request.user)
            .select_related("school", "municipality", "organization")
            .prefetch_related("answers__question")
        )

    @extend_schema(
        request=SurveyAnswerInputSerializer, responses={200: SurveyResponseOutputSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Save answers as a draft, or submit them (required answers are then checked)."""
        data = SurveyAnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answers = _Answers({f"q{key}": value for key, value in data.validated_data["answers"].items()})
        saved = services.response_save(response=self.get_object(), actor=request.user, data=answers, files={},
                              submit=data.validated_data["submit"])  # fmt: skip
        return Response(SurveyResponseOutputSerializer(self.get_queryset().get(pk=saved.pk)).data)
