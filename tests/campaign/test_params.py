"""campaign.views.params: the one parser of ids and numbers from requests."""

import pytest
from django.http import QueryDict

from campaign.views.params import BIGINT_MAX, param_id, param_ids, param_int, parse_id, parse_int


@pytest.mark.parametrize("text", ["²", "١٢", "1e3", "1.5", "0x10", "-1", "+1", "", " ", "\x00", "1\x00", "x" * 5000,
                                  "9" * 20, str(BIGINT_MAX + 1), "NaN", "[]"])
def test_anything_but_plain_ascii_digits_in_range_is_no_id(text):
    assert parse_id(text) is None


def test_plain_ids_and_numbers_are_read():
    assert parse_id("42") == 42 and parse_id(" 7 ") == 7 and parse_id(str(BIGINT_MAX)) == BIGINT_MAX
    assert parse_id("0") is None  # no row has id 0
    assert parse_int("2147483647") == 2147483647 and parse_int("2147483648") is None
    assert parse_int("-3", minimum=-10) == -3 and parse_int("-3") is None


def test_request_parameters():
    params = QueryDict("unit=12&unit=%C2%B2&size=50&ids=1,2,%C2%B2,,99999999999999999999&ids=3&ids=2&year=1e3")
    assert param_id(params, "unit") is None  # the last value counts, and it is "²"
    assert param_int(params, "size", 0) == 50 and param_int(params, "year", 2026) == 2026
    assert param_ids(params, "ids") == [1, 2, 3]
    assert param_ids(params, "missing") == [] and param_id(params, "missing") is None
