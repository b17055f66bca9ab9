"""REST endpoints of questionnaires sent to schools and of the schools' answers; every queryset is ``for_user``."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from surveys import services
from surveys.models import Answer, Question, Survey, SurveyResponse


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
        data = SurveyAnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answers = _Answers({f"q{key}": value for key, value in data.validated_data["answers"].items()})
        saved = services.response_save(response=self.get_object(), actor=request.user, data=answers, files={},
                              submit=data.validated_data["submit"])  # fmt: skip
        return Response(SurveyResponseOutputSerializer(self.get_queryset().get(pk=saved.pk)).data)
