"""The transition table every status model uses: what it allows, the Russian refusal, the claim's condition."""

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from core.status import TransitionError, Transitions


class Colour(models.TextChoices):
    DRAFT = "draft", "черновик"
    SENT = "sent", "отправлено"
    DONE = "done", "исполнено"


TABLE = Transitions(
    Colour, {Colour.DRAFT: {Colour.SENT}, Colour.SENT: {Colour.DONE, Colour.DRAFT}, Colour.DONE: set()},
    what="письмо",
)  # fmt: skip


def test_it_allows_only_what_the_table_lists():
    assert TABLE.can("draft", "sent") and TABLE.can("sent", "draft")
    assert not TABLE.can("draft", "done") and not TABLE.can("done", "draft")
    TABLE.check("sent", "done")  # allowed: nothing raised


def test_a_refusal_names_both_statuses_in_russian():
    with pytest.raises(TransitionError) as refused:
        TABLE.check("done", "draft")
    assert refused.value.messages == ["Нельзя перевести письмо из состояния «исполнено» в «черновик»."]
    assert isinstance(refused.value, ValidationError)  # pages and the API show it like any service error


def test_a_clearer_message_may_replace_the_default():
    with pytest.raises(ValidationError, match="Письмо уже исполнено, было «исполнено»"):
        TABLE.check("done", "sent", "Письмо уже исполнено, было «%(from)s».")


def test_sources_are_the_condition_of_a_claim():
    assert TABLE.sources("draft") == ["sent"]
    assert TABLE.sources("sent") == ["draft"]


def test_a_table_must_name_every_status_once_and_no_other():
    with pytest.raises(ValueError):
        Transitions(Colour, {Colour.DRAFT: {Colour.SENT}}, what="письмо")
    with pytest.raises(ValueError):
        Transitions(Colour, {Colour.DRAFT: {"lost"}, Colour.SENT: set(), Colour.DONE: set()}, what="письмо")
