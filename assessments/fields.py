"""Model fields of the assessments app."""

from django.core.exceptions import ValidationError
from django.db import models


class PointsField(models.TextField):
    """Points per task, e.g. [1, 0, 2, 1], stored as the text "1,0,2,1".

    The points of a result are only ever read whole, in Python; as plain text they cost the million-row
    COPY of an exam nothing to parse, where jsonb nearly doubled it. An empty list is stored as ""."""

    description = "Баллы по заданиям"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    @staticmethod
    def parse(text: str) -> list[int]:
        return [int(part) for part in text.split(",")] if text else []

    @staticmethod
    def text(points) -> str:
        return ",".join(str(int(p)) for p in points)

    def from_db_value(self, value, expression, connection):
        return None if value is None else self.parse(value)

    def to_python(self, value):
        if value is None or isinstance(value, list):
            return value
        try:
            return self.parse(str(value).strip("[] ").replace(" ", ""))
        except ValueError as exc:
            raise ValidationError("Баллы по заданиям — целые числа через запятую.", code="invalid") from exc

    def get_prep_value(self, value):
        if value is None or isinstance(value, str):
            return value
        return self.text(value)

    def value_to_string(self, obj):
        return self.text(self.value_from_object(obj) or [])
