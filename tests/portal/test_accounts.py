"""Accounts and tokens (issue #13): demo accounts refused at every door, API tokens seen, revoked and
reissued, the API schema for signed-in people only, password reset throttled."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from municipalities.models import User
from portal.models import PasswordResetRequest


def token_of(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


def api_get(client, token):
    return client.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {token}")


# ---------------------------------------------------------------- demo accounts


@pytest.fixture
def demo_off(people, settings):
    """The observer is a demo account and the portal has left demo mode."""
    User.objects.filter(pk=people.observer.pk).update(is_demo=True, calendar_token="c" * 40)
    settings.DEMO = False
    return User.objects.get(pk=people.observer.pk)


def test_a_demo_accounts_token_stops_working_outside_demo_mode(client, people, settings):
    User.objects.filter(pk=people.observer.pk).update(is_demo=True)
    settings.DEMO = True
    token = token_of(people.observer)
    assert api_get(client, token).status_code == 200
    settings.DEMO = False
    response = api_get(client, token)
    assert response.status_code in (401, 403)
    assert "не может входить" in response.json()["detail"]


def test_a_demo_accounts_session_stops_working_outside_demo_mode(client, people, settings):
    User.objects.filter(pk=people.observer.pk).update(is_demo=True)
    settings.DEMO = True
    response = client.post(reverse("login"), {"username": "observer", "password": people.password})
    assert response.status_code == 302
    assert client.get(reverse("api:me")).status_code == 200
    settings.DEMO = False
    assert client.get(reverse("api:me")).status_code == 403
    assert client.get(reverse("home")).status_code == 302  # to the login page


def test_a_demo_accounts_calendar_feed_is_gone_outside_demo_mode(client, demo_off, settings):
    url = reverse("calendar", args=[demo_off.calendar_token])
    assert client.get(url).status_code == 404
    settings.DEMO = True
    assert client.get(url).status_code == 200


def test_a_demo_account_gets_no_password_reset_email_outside_demo_mode(client, demo_off):
    response = client.post(reverse("password_reset"), {"email": demo_off.email})
    assert response.status_code == 302  # the same answer as for an unknown address
    assert mail.outbox == []


def test_a_demo_account_gets_no_token_outside_demo_mode(client, demo_off, people):
    response = client.post(reverse("api:token"), {"username": "observer", "password": people.password})
    assert response.status_code == 400
    assert not Token.objects.filter(user=demo_off).exists()


# ---------------------------------------------------------------- tokens


def test_the_profile_shows_the_token_and_reissues_and_revokes_it(client_for, people):
    client = client_for(people.head_a)
    page = client.get(reverse("profile"))
    assert "Ключ API" in page.text and "Ключа нет." in page.text
    response = client.post(reverse("profile"), {"action": "token_issue"}, follow=True)
    first = Token.objects.get(user=people.head_a).key
    assert first in response.text
    assert "Выдан новый ключ API" in response.text
    client.post(reverse("profile"), {"action": "token_issue"})
    second = Token.objects.get(user=people.head_a).key
    assert second != first
    assert api_get(Client(), first).status_code in (401, 403)
    assert api_get(Client(), second).status_code == 200
    response = client.post(reverse("profile"), {"action": "token_revoke"}, follow=True)
    assert "Ключ API отозван" in response.text
    assert not Token.objects.filter(user=people.head_a).exists()
    assert api_get(Client(), second).status_code in (401, 403)


def test_token_buttons_need_the_csrf_token(people):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people.head_a)
    token = token_of(people.head_a)
    assert browser.post(reverse("profile"), {"action": "token_revoke"}).status_code == 403
    assert Token.objects.filter(key=token).exists()


def test_a_password_change_revokes_the_token(client_for, people):
    token = token_of(people.head_a)
    client = client_for(people.head_a)
    response = client.post(reverse("password_change"), {
        "old_password": people.password, "new_password1": "Новый-пароль-2026", "new_password2": "Новый-пароль-2026",
    })  # fmt: skip
    assert response.status_code == 302
    assert api_get(Client(), token).status_code in (401, 403)


def test_a_password_reset_revokes_the_token(client, people):
    token = token_of(people.director_a)
    client.post(reverse("password_reset"), {"email": "director_a@example.ru"})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Сбросили-пароль-7", "new_password2": "Сбросили-пароль-7"},
    )
    assert response.status_code == 302
    assert api_get(Client(), token).status_code in (401, 403)


def test_deactivation_revokes_the_token(people):
    token = token_of(people.head_b)
    user = User.objects.get(pk=people.head_b.pk)
    user.is_active = False
    user.save()
    assert not Token.objects.filter(key=token).exists()


def test_other_saves_keep_the_token(people):
    token = token_of(people.head_b)
    user = User.objects.get(pk=people.head_b.pk)
    user.email_mode = "digest"
    user.save()
    assert api_get(Client(), token).status_code == 200


def test_delete_on_the_token_endpoint_revokes_the_callers_token(client, people):
    token = token_of(people.head_a)
    other = token_of(people.head_b)
    response = client.delete(reverse("api:token"), HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert response.json() == {"revoked": True, "detail": "Ключ API отозван."}
    assert api_get(Client(), token).status_code in (401, 403)
    assert api_get(Client(), other).status_code == 200
    assert Client().delete(reverse("api:token")).status_code in (401, 403)


@pytest.mark.parametrize("field", ["username", "password"])
def test_an_overlong_name_or_password_for_a_token_is_a_400_in_russian(client, people, field):
    data = {"username": "head_a", "password": people.password}
    data[field] = "ю" * (300 if field == "username" else 5000)
    response = client.post(reverse("api:token"), data)
    assert response.status_code == 400
    assert "не длиннее" in response.json()[field][0]


# ---------------------------------------------------------------- schema


@pytest.mark.parametrize("name", ["api:schema", "api:docs"])
def test_the_api_schema_and_swagger_ui_are_for_signed_in_people_only(client, people, name):
    refused = client.get(reverse(name))
    if name == "api:docs":  # a person who opens the page is asked to sign in, then comes back
        assert refused.status_code == 302
        assert refused["Location"] == f"{reverse('login')}?next={reverse(name)}"
    else:
        assert refused.status_code in (401, 403)
    token = token_of(people.director_a)
    assert client.get(reverse(name), HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    client.force_login(people.director_a)
    assert client.get(reverse(name)).status_code == 200


# ---------------------------------------------------------------- password reset throttle


def reset(client, email, address):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_password_reset_is_throttled_per_email_address(client, people, settings):
    settings.PASSWORD_RESET_LIMIT = 3
    for n in range(3):
        assert reset(client, "Director_A@example.ru", f"10.1.0.{n}").status_code == 302
    assert len(mail.outbox) == 3
    response = reset(client, "director_a@example.ru", "10.1.0.9")
    assert response.status_code == 429
    assert "запрошено слишком много" in response.text
    assert len(mail.outbox) == 3
    # another person is not held up by it
    assert reset(client, "director_b@example.ru", "10.1.0.9").status_code == 302
    assert len(mail.outbox) == 4


def test_password_reset_is_throttled_per_client_address(client, people, settings):
    settings.PASSWORD_RESET_LIMIT = 3
    for email in ("head_a@example.ru", "head_b@example.ru", "nobody@example.ru"):
        assert reset(client, email, "10.2.0.1").status_code == 302
    response = reset(client, "director_a@example.ru", "10.2.0.1")
    assert response.status_code == 429
    assert len(mail.outbox) == 2  # the unknown address got nothing, and the fourth request nothing either
    assert reset(client, "director_a@example.ru", "10.2.0.2").status_code == 302
    assert len(mail.outbox) == 3


def test_the_reset_window_passes(client, people, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.PASSWORD_RESET_LIMIT = 1
    assert reset(client, "head_a@example.ru", "10.3.0.1").status_code == 302
    assert reset(client, "head_a@example.ru", "10.3.0.1").status_code == 429
    PasswordResetRequest.objects.update(
        created_at=timezone.now() - settings.PASSWORD_RESET_WINDOW - timedelta(seconds=1)
    )
    assert reset(client, "head_a@example.ru", "10.3.0.1").status_code == 302
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_an_overlong_login_name_is_a_message_not_a_500(client, db, url):
    response = client.post(url, {"username": "ю" * 300, "password": "x"})
    assert response.status_code == 200
    assert "Имя входа — не длиннее 150 символов." in response.text
    assert "_auth_user_id" not in client.session
