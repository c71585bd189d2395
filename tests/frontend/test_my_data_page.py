"""My data: what is kept, a download of all of it, and erasing one's account."""

from __future__ import annotations

import json

from django.test import Client

from mentorship import factories
from mentorship.models import AuditEvent, User


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_account_menu_leads_to_my_data(mentee: User) -> None:
    home = signed_in(mentee).get("/").content.decode()
    assert 'href="/my-data/"' in home


def test_the_page_says_what_is_kept_and_offers_the_download(mentee: User) -> None:
    factories.PersonalityFactory.create(profile=mentee.profile)
    page = signed_in(mentee).get("/my-data/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Profile and career history" in text
    assert "Personality questionnaire (kept only with your consent)" in text
    assert 'href="/my-data/export.json"' in text
    assert "Erase my account" in text
    assert "no-store" in page["Cache-Control"]
    assert not AuditEvent.objects.filter(action="export").exists()  # looking is not exporting


def test_the_download_is_all_my_data_as_a_json_file(mentee: User) -> None:
    response = signed_in(mentee).get("/my-data/export.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="my-mentorship-data-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["username"] == "tom"
    assert AuditEvent.objects.filter(action="export", actor=mentee).count() == 1


def test_a_wrong_password_is_shown_next_to_its_field_and_erases_nothing(mentee: User) -> None:
    response = signed_in(mentee).post("/my-data/erase/", {"password": "not mine", "confirm": "on"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "That is not your password." in text
    assert 'aria-invalid="true"' in text
    assert User.objects.get(pk=mentee.pk).erased_at is None


def test_erasing_needs_the_box_ticked(mentee: User) -> None:
    response = signed_in(mentee).post("/my-data/erase/", {"password": factories.DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert "Tick this box to confirm." in response.content.decode()
    assert User.objects.get(pk=mentee.pk).erased_at is None


def test_erasing_signs_out_and_says_goodbye(mentee: User) -> None:
    client = signed_in(mentee)
    response = client.post(
        "/my-data/erase/", {"password": factories.DEFAULT_PASSWORD, "confirm": "on"}
    )
    assert response.status_code == 302
    landing = client.get("/").content.decode()
    assert "Your account and your data are erased." in landing
    assert "Sign in" in landing
    person = User.objects.get(pk=mentee.pk)
    assert person.erased_at is not None
    assert person.display_name == "Former participant"


def test_opening_the_erase_address_goes_back_to_the_page(mentee: User) -> None:
    response = signed_in(mentee).get("/my-data/erase/")
    assert (response.status_code, response["Location"]) == (302, "/my-data/")


def test_my_data_is_for_signed_in_people(db: None) -> None:
    for path in ("/my-data/", "/my-data/export.json"):
        response = Client().get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
