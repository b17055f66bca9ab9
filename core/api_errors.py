"""API errors: service errors become 400s with their Russian messages; the error shape every operation documents.

Every operation's schema lists the error statuses it can answer (``PortalAutoSchema``): 400 for a body or a
query that can be wrong, 401/403 for a caller without the right, 404 for an id outside the caller's scope;
an action adds its own (409 for a state conflict) with ``extend_schema(responses=…)``.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.views import exception_handler


def portal_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = ValidationError(detail)
    return exception_handler(exc, context)


class Conflict(APIException):
    """The object is not in a state that allows the action (a protocol already signed…)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "Действие невозможно в текущем состоянии."
    default_code = "conflict"


def error_lines(detail, where: str = "") -> list[str]:
    """DRF's nested errors as lines that name the field's path: «items[2].decisions[0].text: Обязательное поле.»"""
    if isinstance(detail, dict):
        return [line for key, value in detail.items()
                for line in error_lines(value, f"{where}.{key}" if where else str(key))]  # fmt: skip
    if isinstance(detail, list):
        if all(not isinstance(value, dict | list) for value in detail):
            return [f"{where}: {value}" if where else str(value) for value in detail]
        return [line for n, value in enumerate(detail) for line in error_lines(value, f"{where}[{n}]")]
    return [f"{where}: {detail}" if where else str(detail)]


_MESSAGES = {"oneOf": [{"type": "string"}, {"type": "array", "items": {}}, {"type": "object"}]}


@extend_schema_field(_MESSAGES)
class _MessagesField(serializers.Field):
    pass


class ErrorSerializer(serializers.Serializer):
    """An error answer: ``detail`` (a message or a list of them) and, for invalid input, messages per field."""

    detail = _MessagesField(required=False, help_text="«Протокол уже подписан.» или список сообщений")


ERROR = OpenApiResponse(ErrorSerializer, description="Ошибка: сообщения по-русски")


def error_schema_postprocess(result, generator, request, public):
    """Besides ``detail``, an invalid input answers messages under its field names."""
    error = result.get("components", {}).get("schemas", {}).get("Error")
    if error is not None:
        error["additionalProperties"] = _MESSAGES
    return result


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's schema with the error statuses each operation can answer."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        codes = []
        paged = bool(self._get_pagination_parameters())  # a page past the end is a 404
        has_query = paged or bool(self._get_filter_parameters() or self.get_override_parameters())
        if self.method not in ("GET", "HEAD", "OPTIONS", "DELETE") or has_query:
            codes.append("400")
        if self.view.get_permissions():
            codes += ["401", "403"]
        if "{" in self.path or paged:
            codes.append("404")
        for code in codes:
            responses.setdefault(code, self._get_response_for_code(ERROR, code, direction=direction))
        return responses
