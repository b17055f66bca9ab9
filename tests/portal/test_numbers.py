"""One rule for figures people read: «—» for no data, 0 for zero, one decimal for percentages and means."""

from decimal import Decimal

import pytest

from portal.templatetags.portal_tags import num


@pytest.mark.parametrize(
    ("value", "shown"),
    [(None, "—"), ("", "—"), (0, "0"), (0.0, "0"), (Decimal("0.00"), "0"), (12, "12"), (45.24, "45,2"), (0.04, "0"),
     (45.26, "45,3"), (Decimal("3.456"), "3,5"), (100.0, "100,0"), (-1.04, "-1,0"), (float("nan"), "—")],
)  # fmt: skip
def test_figures_follow_one_rule(value, shown, settings):
    settings.LANGUAGE_CODE = "ru"
    assert num(value) == shown
