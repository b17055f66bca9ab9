"""Signing in and out, passwords, throttling and demo users."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from municipalities.models import User


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7")


def test_login_page_is_in_russian(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Вход в портал" in response.text
    assert 'lang="ru"' in response.text


def test_a_head_signs_in_and_sees_own_municipality_first(client, people):
    response = login(client, "head_a", people.password)
    assert response.status_code == 302
    home = client.get(response.url)
    assert "Комитет по образованию Всеволожского района" in home.text
    assert "Агалатовская СОШ" in home.text
    assert "Гимназия Выборга" not in home.text


def test_wrong_password_gets_a_russian_message_and_no_session(client, people):
    response = login(client, "head_a", "wrong")
    assert response.status_code == 200
    assert "Пожалуйста, введите правильные имя пользователя и пароль" in response.text
    assert "_auth_user_id" not in client.session


def test_logins_are_throttled_after_repeated_failures(client, people, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        login(client, "head_b", "wrong")
    response = login(client, "head_b", people.password)
    assert response.status_code == 429
    assert "Вход временно заблокирован" in response.text
    # another user from the same address is not locked out
    assert login(client, "head_a", people.password).status_code == 302


def test_demo_users_cannot_sign_in_outside_demo_mode(client, people, settings):
    User.objects.filter(username="observer").update(is_demo=True)
    settings.DEMO = False
    assert login(client, "observer", people.password).status_code == 200
    assert "_auth_user_id" not in client.session
    settings.DEMO = True
    assert login(client, "observer", people.password).status_code == 302


def test_logout_is_a_post_and_ends_the_session(client, people):
    client.force_login(people.head_a)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change(client, people):
    client.force_login(people.head_a)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": people.password,
            "new_password1": "Новый-пароль-2026",
            "new_password2": "Новый-пароль-2026",
        },
    )
    assert response.status_code == 302
    assert "Пароль изменён" in client.get(response.url).text
    people.head_a.refresh_from_db()
    assert people.head_a.check_password("Новый-пароль-2026")


def test_password_reset_by_email_end_to_end(client, people):
    response = client.post(reverse("password_reset"), {"email": "director_a@example.ru"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Восстановление пароля на портале"
    assert "director_a" in message.body
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Новый пароль" in form_page.text
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Сбросили-пароль-7", "new_password2": "Сбросили-пароль-7"},
    )
    assert response.status_code == 302
    people.director_a.refresh_from_db()
    assert people.director_a.check_password("Сбросили-пароль-7")


def test_password_reset_for_unknown_address_sends_nothing_and_reveals_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.ru"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_api_token_for_a_user_and_scoped_answers(client, people):
    response = client.post(reverse("api:token"), {"username": "head_b", "password": people.password})
    assert response.status_code == 200
    token = response.json()["token"]
    listing = client.get(reverse("api:school-list"), HTTP_AUTHORIZATION=f"Token {token}")
    assert [row["code"] for row in listing.json()["results"]] == ["05001"]
    me = client.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {token}").json()
    assert me["role"] == "municipality"
    assert me["municipality"] == people.mun_b.pk


@pytest.mark.parametrize("password", ["wrong", ""])
def test_api_token_refused_for_bad_credentials(client, people, password):
    response = client.post(reverse("api:token"), {"username": "head_b", "password": password})
    assert response.status_code == 400
