"""The REST API under /api/v1/: every app registers its viewsets here."""

from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotAuthenticated, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.throttling import AnonRateThrottle

from assessments import api as assessments_api
from mechanisms import api as mechanisms_api
from meetings import api as meetings_api
from meetings import calendar_api
from municipalities import api as municipalities_api
from portal.search import SearchError
from portal.search import search as portal_search
from roadmaps import api as roadmaps_api
from surveys import api as surveys_api


class TokenThrottle(AnonRateThrottle):
    scope = "login"


class TokenInputSerializer(AuthTokenSerializer):
    """Name and password, bounded before anyone looks them up (a 300-character name is a 400, not a 500)."""

    username = serializers.CharField(
        label="Имя входа", max_length=150, write_only=True,
        error_messages={"max_length": "Имя входа — не длиннее 150 символов."},
    )  # fmt: skip
    password = serializers.CharField(
        label="Пароль", max_length=4096, style={"input_type": "password"}, trim_whitespace=False, write_only=True,
        error_messages={"max_length": "Пароль — не длиннее 4096 символов."},
    )  # fmt: skip


class TokenRevokedSerializer(serializers.Serializer):
    revoked = serializers.BooleanField()
    detail = serializers.CharField()


class ObtainToken(ObtainAuthToken):
    """POST: exchange a username and password for an API token. DELETE: revoke the caller's token."""

    throttle_classes = [TokenThrottle]
    permission_classes = []
    serializer_class = TokenInputSerializer

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "DELETE" else []

    def get_throttles(self):
        return [] if self.request.method == "DELETE" else super().get_throttles()

    @extend_schema(request=None, responses={200: TokenRevokedSerializer})
    def delete(self, request, *args, **kwargs):
        revoked, _ = Token.objects.filter(user=request.user).delete()
        return Response(
            {"revoked": bool(revoked), "detail": "Ключ API отозван." if revoked else "Ключа не было."}
        )


class SearchHitOutputSerializer(serializers.Serializer):
    title = serializers.CharField()
    subtitle = serializers.CharField()
    url = serializers.CharField()
    id = serializers.IntegerField(source="pk")


class SearchGroupOutputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["meetings", "decisions", "obligations", "reports", "questionnaires", "roadmaps", "schools"]
    )
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="Сколько найдено всего (в results — первые 20).")
    results = SearchHitOutputSerializer(many=True, source="hits")


class SearchOutputSerializer(serializers.Serializer):
    query = serializers.CharField()
    total = serializers.IntegerField()
    groups = SearchGroupOutputSerializer(many=True)


@extend_schema(
    parameters=[OpenApiParameter("q", OpenApiTypes.STR, required=True, description="Слова для поиска")],
    responses={
        200: SearchOutputSerializer,
        400: inline_serializer("SearchError", {"q": serializers.ListField(child=serializers.CharField())}),
    },
)
@api_view(["GET"])
def search(request):
    """Search protocols, decisions, obligations, reports, questionnaires, roadmaps and schools in the user's scope."""
    query = request.query_params.get("q", "")
    try:
        groups = portal_search(request.user, query)
    except SearchError as exc:
        raise ValidationError({"q": [str(exc)]}) from exc
    data = {"query": query.strip(), "total": sum(g.count for g in groups), "groups": groups}
    return Response(SearchOutputSerializer(data).data)


router = DefaultRouter()
router.register("municipalities", municipalities_api.MunicipalityViewSet, basename="municipality")
router.register("schools", municipalities_api.SchoolViewSet, basename="school")
router.register("organizations", municipalities_api.OrganizationViewSet, basename="organization")
router.register("meetings", meetings_api.MeetingViewSet, basename="meeting")
router.register("planned-meetings", calendar_api.PlannedMeetingViewSet, basename="planned-meeting")
router.register("decisions", meetings_api.DecisionViewSet, basename="decision")
router.register("obligations", meetings_api.ObligationViewSet, basename="obligation")
router.register("documents", meetings_api.DocumentViewSet, basename="document")
router.register("extension-requests", meetings_api.ExtensionRequestViewSet, basename="extension-request")
router.register("reports", meetings_api.ReportViewSet, basename="report")
router.register("surveys", surveys_api.SurveyViewSet, basename="survey")
router.register("survey-responses", surveys_api.SurveyResponseViewSet, basename="survey-response")
router.register("campaigns", assessments_api.CampaignViewSet, basename="campaign")
router.register("flags", assessments_api.FlagViewSet, basename="flag")
router.register("roadmaps", roadmaps_api.RoadmapViewSet, basename="roadmap")
router.register("mechanisms", mechanisms_api.DirectionViewSet, basename="mechanism")
router.register("mechanism-documents", mechanisms_api.MechanismDocumentViewSet, basename="mechanism-document")


class SwaggerPage(SpectacularSwaggerSplitView):
    """Swagger UI for signed-in people; a visitor who is not signed in is sent to the sign-in page first."""

    def handle_exception(self, exc):
        opened = self.request.method in ("GET", "HEAD") and "script" not in self.request.GET
        signed_out = not getattr(self.request.user, "is_authenticated", False)
        if opened and signed_out and isinstance(exc, NotAuthenticated | PermissionDenied):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)


@csrf_exempt  # it changes nothing: a POST gets the same JSON 404, not the CSRF page
def not_found(request, *args, **kwargs):
    """An address under /api/v1/ that names no operation (``meetings/1.5/``): a JSON 404, not the site's page."""
    return JsonResponse({"detail": "Такого адреса в API нет."}, status=404)


urlpatterns = [
    path("", include(router.urls)),
    path("me/", municipalities_api.me, name="me"),
    path("search/", search, name="search"),
    path("auth/token/", ObtainToken.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file, so the page needs no inline script (CSP).
    path("docs/", SwaggerPage.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^", not_found, name="not-found"),
]
