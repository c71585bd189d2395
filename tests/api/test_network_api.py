"""The network plan over HTTP: the contract's shapes, bad input, and who sees what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mentorship import factories
from mentorship.models import AuditEvent, Contact, Introduction, Touchpoint
from tests.api.conftest import assert_error

TODAY = timezone.localdate()
CONTACT = {
    "name": "Ada Obi",
    "organisation": "Gridline Power",
    "role": "Head of PMO",
    "network_group": "senior_leadership",
    "connection_type": "strategic",
    "tier": "key",
    "why": "Runs the portfolio board.",
}


@pytest.fixture
def pair(programme, mentor, mentee):
    return factories.MentorshipFactory.create(programme=programme, mentor=mentor, mentee=mentee)


def test_a_mentee_adds_a_contact_and_reads_it_back(api, programme, mentee):
    response = api(mentee).post("me/network/contacts/", CONTACT)

    assert response.status_code == 201, response.content
    body = response.json()
    assert {k: body[k] for k in CONTACT} == CONTACT
    assert body["programme"] == programme.slug
    assert body["archived"] is False
    assert body["added_on"] == TODAY.isoformat()
    assert body["cadence"] == {
        "interval_days": 30,
        "touchpoints": 0,
        "last_touchpoint": None,
        "days_since": 0,
        "next_due": (TODAY + dt.timedelta(days=30)).isoformat(),
        "status": "never_met",
    }
    assert isinstance(body["offer_value"], str)
    assert body["introduction"] is None
    listed = api(mentee).get("me/network/contacts/").json()
    assert listed["count"] == 1
    assert listed["results"][0]["id"] == body["id"]
    assert api(mentee).get(f"me/network/contacts/{body['id']}/").json() == body


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"network_group": "golf_club"}, "network_group"),
        ({"connection_type": "romantic"}, "connection_type"),
        ({"tier": "vip"}, "tier"),
        ({"why": "x" * 501}, "why"),
        ({"why": ""}, "why"),  # key contacts need a reason
        ({"name": ""}, "name"),
        ({"name": 5}, "name"),
        ({"programme": "no-such-programme"}, "programme"),
    ],
)
def test_bad_contacts_are_400s_naming_the_field(api, mentee, changes, field):
    response = api(mentee).post("me/network/contacts/", {**CONTACT, **changes})

    body = assert_error(response, 400, "invalid")
    assert field in body["fields"], body
    assert not Contact.objects.exists()


def test_read_only_fields_cannot_be_set_by_sending_them(api, mentee, peer_mentee):
    other = api(peer_mentee).post("me/network/contacts/", CONTACT).json()

    response = api(mentee).post(
        "me/network/contacts/",
        {**CONTACT, "id": other["id"], "added_on": "2001-01-01", "archived": True},
    )

    assert response.status_code == 201
    body = response.json()
    assert body["id"] != other["id"]
    assert body["added_on"] == TODAY.isoformat()
    assert body["archived"] is False


def test_the_eighth_key_contact_is_refused(api, mentee):
    for n in range(7):
        assert (
            api(mentee).post("me/network/contacts/", {**CONTACT, "name": f"K{n}"}).status_code
            == 201
        )

    response = api(mentee).post("me/network/contacts/", {**CONTACT, "name": "K7"})

    assert "tier" in assert_error(response, 400, "invalid")["fields"]


def test_editing_archiving_and_restoring_a_contact(api, mentee):
    contact = api(mentee).post("me/network/contacts/", CONTACT).json()
    url = f"me/network/contacts/{contact['id']}/"
    api(mentee).post(url + "touchpoints/", {"date": TODAY.isoformat(), "vehicle": "call"})

    patched = api(mentee).patch(url, {"tier": "light", "role": "COO"})
    assert patched.status_code == 200
    assert (patched.json()["tier"], patched.json()["role"]) == ("light", "COO")
    assert patched.json()["cadence"]["interval_days"] == 180

    assert api(mentee).delete(url).status_code == 204
    assert api(mentee).delete(url).status_code == 204  # twice is harmless
    assert api(mentee).get("me/network/contacts/").json()["count"] == 0
    archived = api(mentee).get("me/network/contacts/?archived=true").json()["results"]
    assert [c["id"] for c in archived] == [contact["id"]]
    assert archived[0]["archived"] is True
    assert api(mentee).get(url + "touchpoints/").json()["count"] == 1  # archiving keeps them
    assert_error(api(mentee).patch(url, {"role": "CEO"}), 409, "invalid_transition")

    restored = api(mentee).post(url + "restore/")
    assert restored.status_code == 200
    assert restored.json()["archived"] is False


def test_logging_a_touchpoint_moves_the_cadence(api, mentee):
    contact = api(mentee).post("me/network/contacts/", CONTACT).json()
    url = f"me/network/contacts/{contact['id']}/touchpoints/"

    response = api(mentee).post(
        url, {"date": TODAY.isoformat(), "vehicle": "meeting", "note": "Coffee at the summit"}
    )

    assert response.status_code == 201
    assert response.json()["vehicle"] == "meeting"
    after = api(mentee).get(f"me/network/contacts/{contact['id']}/").json()
    assert after["cadence"]["status"] == "on_track"
    assert after["cadence"]["last_touchpoint"] == TODAY.isoformat()
    assert after["offer_value"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"date": (TODAY + dt.timedelta(days=3)).isoformat(), "vehicle": "call"}, "date"),
        ({"date": "2026-02-30", "vehicle": "call"}, "date"),
        ({"date": TODAY.isoformat(), "vehicle": "pigeon"}, "vehicle"),
        ({"vehicle": "call"}, "date"),
        ({"date": TODAY.isoformat(), "vehicle": "call", "note": "n" * 2001}, "note"),
    ],
)
def test_bad_touchpoints_are_400s(api, mentee, body, field):
    contact = api(mentee).post("me/network/contacts/", CONTACT).json()

    response = api(mentee).post(f"me/network/contacts/{contact['id']}/touchpoints/", body)

    assert field in assert_error(response, 400, "invalid")["fields"]
    assert not Touchpoint.objects.exists()


@pytest.mark.parametrize("who", ["peer_mentee", "mentor", "coordinator", "outsider"])
def test_another_persons_contact_is_a_404_for_every_method(api, request, mentee, who):
    contact = api(mentee).post("me/network/contacts/", CONTACT).json()
    url = f"me/network/contacts/{contact['id']}/"
    client = api(request.getfixturevalue(who))
    before = AuditEvent.objects.count()

    for response in (
        client.get(url),
        client.patch(url, {"name": "Hacked"}),
        client.delete(url),
        client.post(url + "restore/"),
        client.get(url + "touchpoints/"),
        client.post(url + "touchpoints/", {"date": TODAY.isoformat(), "vehicle": "call"}),
    ):
        assert_error(response, 404, "not_found")
    assert AuditEvent.objects.count() == before
    assert Contact.objects.get().name == "Ada Obi"


def test_the_summary_shows_coverage_thin_spots_and_due_contacts(api, programme, mentee):
    api(mentee).post("me/network/contacts/", {**CONTACT, "network_group": "delivery_teams"})

    response = api(mentee).get("me/network/summary/")

    assert response.status_code == 200
    body = response.json()
    assert body["programme"] == programme.slug
    assert body["owner"]["username"] == mentee.username
    assert body["shared"] is False
    assert (body["contacts"], body["key_contacts"]) == (1, 1)
    assert body["statuses"] == {"on_track": 0, "due": 0, "overdue": 0, "never_met": 1}
    groups = {g["network_group"]: g for g in body["coverage"]}
    assert (groups["delivery_teams"]["contacts"], groups["delivery_teams"]["healthy"]) == (1, 0)
    assert {
        t["connection_type"]: t["contacts"] for t in groups["delivery_teams"]["by_connection_type"]
    } == {
        "operational": 0,
        "personal": 0,
        "strategic": 1,
    }
    assert {
        "kind": "network_group",
        "key": "senior_leadership",
        "text": "No senior leadership contacts",
    } in body["thin_spots"]
    assert (
        body["suggestion"] == "Ask your mentor for an introduction to someone in senior leadership."
    )
    assert body["summary"].startswith("You keep 1 contact")
    [due] = body["due_contacts"]
    assert (due["name"], due["status"]) == ("Ada Obi", "never_met")
    assert due["offer_value"]


def test_the_mentor_reads_the_summary_only_while_the_mentee_shares_it(
    api, pair, mentee, mentor, coordinator
):
    api(mentee).post("me/network/contacts/", CONTACT)
    url = f"mentorships/{pair.pk}/network/"

    assert_error(api(mentor).get(url), 404, "not_found")
    assert_error(api(coordinator).get(url), 404, "not_found")
    assert api(mentee).get(url).status_code == 200

    shared = api(mentee).patch("me/network/", {"shared": True})
    assert shared.status_code == 200
    assert shared.json()["shared"] is True
    assert shared.json()["shared_at"]
    assert api(mentee).get("me/network/").json()["shared"] is True

    response = api(mentor).get(url)
    assert response.status_code == 200
    assert response.json()["summary"].startswith(f"{mentee.display_name} keeps 1 contact")
    [read] = AuditEvent.objects.filter(action="read", actor=mentor)
    assert (read.object_type, read.object_id) == ("user", mentee.pk)
    assert "network_plan" in read.data["fields"]
    assert_error(api(coordinator).get(url), 404, "not_found")

    api(mentee).patch("me/network/", {"shared": False})
    assert_error(api(mentor).get(url), 404, "not_found")


def test_an_introduction_appears_in_the_mentees_plan_and_its_outcome_shows_on_both(
    api, pair, mentee, mentor
):
    follow_up = (TODAY + dt.timedelta(days=10)).isoformat()
    introduction = (
        api(mentor)
        .post(
            f"mentorships/{pair.pk}/introductions/",
            {
                "contact_name": "Kim Lee",
                "contact_organisation": "Gridline Power",
                "contact_role": "COO",
                "network_group": "senior_leadership",
                "connection_type": "strategic",
                "purpose": "Portfolio boards in energy.",
                "follow_up_on": follow_up,
            },
        )
        .json()
    )

    [contact] = api(mentee).get("me/network/contacts/").json()["results"]
    assert (contact["name"], contact["tier"], contact["why"]) == (
        "Kim Lee",
        "regular",
        "Portfolio boards in energy.",
    )
    assert contact["cadence"]["next_due"] == follow_up
    assert contact["introduction"]["id"] == introduction["id"]
    assert contact["introduction"]["introducer"]["username"] == mentor.username
    assert contact["introduction"]["confirmed"] is False

    api(mentee).post(
        f"me/network/contacts/{contact['id']}/touchpoints/",
        {"date": TODAY.isoformat(), "vehicle": "call"},
    )
    assert api(mentor).get(f"introductions/{introduction['id']}/").json()["confirmed"] is True

    api(mentee).patch(f"introductions/{introduction['id']}/", {"outcome": "opportunity"})
    contact = api(mentee).get(f"me/network/contacts/{contact['id']}/").json()
    assert contact["introduction"]["outcome"] == "opportunity"
    assert Introduction.objects.get().outcome == "opportunity"


def test_non_mentees_have_no_plan(api, mentor, coordinator):
    for user in (mentor, coordinator):
        assert api(user).get("me/network/contacts/").json()["count"] == 0
        assert_error(api(user).get("me/network/summary/"), 403, "permission_denied")
        assert_error(api(user).get("me/network/"), 403, "permission_denied")
        assert_error(api(user).patch("me/network/", {"shared": True}), 403, "permission_denied")
        assert_error(api(user).post("me/network/contacts/", CONTACT), 403, "permission_denied")


@pytest.mark.parametrize(
    "url",
    [
        "me/network/contacts/?archived=maybe",
        *[
            f"{path}?programme={value}"
            for path in ("me/network/contacts/", "me/network/summary/", "me/network/")
            for value in ("", "%C3%97", "two%20words")
        ],
        "me/network/summary/?programme=unknown",
        "me/network/?programme=unknown",
    ],
)
def test_bad_filters_are_400s(api, mentee, url):
    assert_error(api(mentee).get(url), 400, "invalid")


def test_the_contact_list_filters_by_programme(api, programme, mentee):
    api(mentee).post("me/network/contacts/", CONTACT)

    assert api(mentee).get(f"me/network/contacts/?programme={programme.slug}").json()["count"] == 1
    assert api(mentee).get("me/network/contacts/?programme=unknown").json()["count"] == 0


def test_share_needs_a_boolean(api, mentee):
    body = assert_error(api(mentee).patch("me/network/", {"shared": "yes"}), 400, "invalid")

    assert "shared" in body["fields"]


def test_coordinators_edit_the_tier_cadences_and_the_value_ideas(api, programme, coordinator):
    response = api(coordinator).patch(
        f"programmes/{programme.slug}/",
        {"key_contact_cadence_days": 21, "network_value_ideas": ["Send a note"]},
    )

    assert response.status_code == 200, response.content
    assert response.json()["key_contact_cadence_days"] == 21
    assert response.json()["network_value_ideas"] == ["Send a note"]
    bad = api(coordinator).patch(f"programmes/{programme.slug}/", {"key_contact_cadence_days": 200})
    assert "key ≤ regular ≤ light" in assert_error(bad, 400, "invalid")["detail"]
    assert_error(
        api(coordinator).patch(f"programmes/{programme.slug}/", {"network_value_ideas": []}), 400
    )
