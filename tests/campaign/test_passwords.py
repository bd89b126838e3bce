"""New passwords built from common words or the campaign's and city's own words are refused,
in Chinese, whatever year or digits are added to them."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db

WEAK = ["Demo@2026", "cwt12345", "wenming2026", "Chuangwen@2026", "Wenming@Jc2026", "P@ssw0rd2026",
        "Jiangcheng2026!", "江城市创文2026", "Abcd@1234", "1qaz2wsx!", "Cwt#Admin2025"]
STRONG = ["Lotus-Ferry-Quiet9", "k8#Tz!q2Lm", "港口灯塔与晚风吹过"]


@pytest.mark.parametrize("password", WEAK)
def test_campaign_city_and_common_words_are_refused_in_chinese(password, liaison_a):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=liaison_a)
    assert any("太容易被猜到" in m for m in refused.value.messages)


@pytest.mark.parametrize("password", STRONG)
def test_passwords_without_those_words_pass(password, liaison_a):
    validate_password(password, user=liaison_a)


def test_the_city_name_from_settings_is_a_weak_word(settings, liaison_a):
    settings.CITY_NAME = "滨海市"
    settings.PASSWORD_CONTEXT_WORDS = ["binhai"]
    for password in ("Binhai@2026", "滨海创城2026!"):
        with pytest.raises(ValidationError):
            validate_password(password, user=liaison_a)


@pytest.mark.parametrize("password", ["Demo@2026", "cwt12345", "wenming2026"])
def test_the_password_page_refuses_them_and_keeps_the_old_password(password, client_for, liaison_a):
    client = client_for(liaison_a)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert "密码太容易被猜到" in response.content.decode()
    liaison_a.refresh_from_db()
    assert liaison_a.check_password(PASSWORD) and not liaison_a.check_password(password)
