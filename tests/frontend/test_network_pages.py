"""The network plan pages: behaviour through the test client, with and without htmx."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import timezone

from frontend.views.network import mentorship_network_context, programme_network_context
from mentorship import factories, privacy
from mentorship.models import AuditEvent, Contact, NetworkPlan, Touchpoint
from mentorship.services import mentorships, network

TODAY = timezone.localdate()
HTMX = {"HTTP_HX_REQUEST": "true"}
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
def client() -> Client:
    return Client()


@pytest.fixture
def pair(programme, mentor, mentee):
    return factories.MentorshipFactory.create(programme=programme, mentor=mentor, mentee=mentee)


def add(owner, **changes):
    return network.add_contact(actor=owner, **{**CONTACT, **changes})


def touchpoint_data(contact, **changes):
    data = {"date": TODAY.isoformat(), "vehicle": "call", "note": "Coffee", **changes}
    return {f"c{contact.pk}-{k}": v for k, v in data.items()}


def test_a_mentee_sees_their_contacts_by_group_with_status_and_coverage(client, mentee):
    add(mentee)
    add(mentee, name="Ben Ray", network_group="delivery_teams", tier="light", why="")
    client.force_login(mentee)

    response = client.get("/network/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    page = response.content.decode()
    assert "My network" in page
    assert (
        page.index('id="group-delivery_teams"')
        < page.index("Ben Ray")
        < page.index('id="group-senior_leadership"')
        < page.index("Ada Obi")
    )
    assert "Ada Obi" in page
    assert "never met" in page
    assert 'id="network-coverage-data"' in page  # the chart's numbers
    assert '<th scope="row">Senior leadership</th><td>1</td><td>0</td>' in page
    assert "No strategic ties on track" in page
    assert "Ask your mentor for an introduction to someone in" in page
    assert "Share my plan with my mentor" in page
    assert 'href="/network/"' in page  # the navigation links here for mentees


@pytest.mark.parametrize("who", ["mentor", "coordinator"])
def test_non_mentees_have_no_network_page_and_no_link(client, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)

    assert client.get("/network/").status_code == 403
    assert 'href="/network/"' not in client.get("/").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/network/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_someone_elses_contact_and_nonsense_ids_are_404s(client, mentee, peer_mentee):
    contact = add(peer_mentee)
    client.force_login(mentee)

    assert client.get(f"/network/contacts/{contact.pk}/").status_code == 404
    for path in ("touchpoints", "archive", "restore", "outcome"):
        assert client.post(f"/network/contacts/{contact.pk}/{path}/").status_code == 404
    assert client.get("/network/contacts/9999999999999999999999/").status_code == 404
    assert client.get("/network/?programme=not-mine").status_code == 404
    assert not Touchpoint.objects.exists()
    assert Contact.objects.get().archived_at is None


def test_adding_a_contact_redirects_to_the_plan(client, programme, mentee):
    client.force_login(mentee)

    response = client.post("/network/contacts/new/", {**CONTACT, "programme": programme.slug})

    contact = Contact.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/network/#contact-{contact.pk}"
    assert "Ada Obi is in your plan." in client.get("/network/").content.decode()


def test_a_key_contact_without_a_reason_is_a_form_error_that_keeps_what_was_typed(client, mentee):
    client.force_login(mentee)

    response = client.post("/network/contacts/new/", {**CONTACT, "why": ""})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Say why this key contact matters" in page
    assert 'value="Ada Obi"' in page
    assert 'aria-invalid="true"' in page
    assert not Contact.objects.exists()


def test_the_eighth_key_contact_is_refused_next_to_the_importance(client, mentee):
    for n in range(7):
        add(mentee, name=f"Key {n}")
    client.force_login(mentee)

    response = client.post("/network/contacts/new/", {**CONTACT, "name": "Eighth"})

    assert response.status_code == 400
    assert "already have 7 key contacts" in response.content.decode()


def test_a_long_list_shows_the_gentle_warning(client, mentee):
    for n in range(26):
        add(mentee, name=f"C{n}", tier="light", why="")
    client.force_login(mentee)

    assert "long list to keep warm" in client.get("/network/").content.decode()


def test_logging_a_touchpoint_without_javascript_redirects_back(client, mentee):
    contact = add(mentee)
    client.force_login(mentee)

    response = client.post(f"/network/contacts/{contact.pk}/touchpoints/", touchpoint_data(contact))

    assert response.status_code == 302
    assert response["Location"] == f"/network/#contact-{contact.pk}"
    assert contact.touchpoints.count() == 1
    # A double submit keeps one touchpoint.
    client.post(f"/network/contacts/{contact.pk}/touchpoints/", touchpoint_data(contact))
    assert contact.touchpoints.count() == 1


def test_logging_a_touchpoint_with_htmx_swaps_the_card_the_summary_and_the_coverage(client, mentee):
    contact = add(mentee)
    client.force_login(mentee)

    response = client.post(
        f"/network/contacts/{contact.pk}/touchpoints/", touchpoint_data(contact), **HTMX
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith(f'<article class="contact-card" id="contact-{contact.pk}"')
    assert 'id="network-summary"' in page
    assert 'id="network-coverage"' in page
    assert page.count('hx-swap-oob="true"') == 2
    assert "on track" in page
    assert '"network-coverage"' in response["HX-Trigger-After-Settle"]
    assert '"healthy": [0, 1, 0, 0, 0]' in response["HX-Trigger-After-Settle"]


@pytest.mark.parametrize("htmx", [False, True])
def test_a_touchpoint_in_the_future_is_a_form_error_on_the_card(client, mentee, htmx):
    contact = add(mentee)
    client.force_login(mentee)
    future = (TODAY + dt.timedelta(days=5)).isoformat()

    response = client.post(
        f"/network/contacts/{contact.pk}/touchpoints/",
        touchpoint_data(contact, date=future, note="Kept"),
        **(HTMX if htmx else {}),
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "the date is in the future" in page
    assert 'value="Kept"' in page
    assert f'value="{future}"' in page
    assert not Touchpoint.objects.exists()
    assert ("<html" in page) is not htmx


def test_a_malformed_touchpoint_on_an_archived_contact_is_a_400_not_a_crash(client, mentee):
    contact = add(mentee)
    network.archive_contact(actor=mentee, contact=contact)
    client.force_login(mentee)

    for extra in ({}, HTMX):
        response = client.post(
            f"/network/contacts/{contact.pk}/touchpoints/",
            touchpoint_data(contact, date="not a date"),
            **extra,
        )
        assert response.status_code == 400
    assert not Touchpoint.objects.exists()


def test_a_touchpoint_on_an_archived_contact_says_why_not(client, mentee):
    contact = add(mentee)
    network.archive_contact(actor=mentee, contact=contact)
    client.force_login(mentee)

    response = client.post(
        f"/network/contacts/{contact.pk}/touchpoints/", touchpoint_data(contact), follow=True
    )

    assert "restore it to log a touchpoint" in response.content.decode()
    assert not Touchpoint.objects.exists()


def test_the_share_toggle_with_and_without_htmx(client, mentee):
    client.force_login(mentee)

    response = client.post("/network/share/", {"shared": "on"}, **HTMX)
    assert response.status_code == 200
    assert "Stop sharing with my mentor" in response.content.decode()
    assert NetworkPlan.objects.get(owner=mentee).shared_with_mentor

    response = client.post("/network/share/", {"shared": "off"}, follow=True)
    assert "Your plan is private." in response.content.decode()
    assert not NetworkPlan.objects.get(owner=mentee).shared_with_mentor

    client.post("/network/share/", {"shared": "off"})  # twice: harmless
    assert AuditEvent.objects.filter(object_type="networkplan").count() == 2
    response = client.post("/network/share/", {"shared": "maybe"}, follow=True)
    assert "Choose whether to share the plan." in response.content.decode()


def test_the_contact_page_edits_archives_and_restores(client, mentee):
    contact = add(mentee)
    network.log_touchpoint(actor=mentee, contact=contact, date=TODAY, vehicle="event", note="Met")
    client.force_login(mentee)
    url = f"/network/contacts/{contact.pk}/"

    page = client.get(url).content.decode()
    assert "Met" in page
    assert "Event" in page

    response = client.post(url, {**CONTACT, "role": "COO"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.role == "COO"

    bad = client.post(url, {**CONTACT, "network_group": "golf"})
    assert bad.status_code == 400
    assert "Select a valid choice" in bad.content.decode()

    response = client.post(url + "archive/", follow=True)
    assert "archived; its touchpoints are kept" in response.content.decode()
    response = client.post(url + "archive/", follow=True)
    assert "already archived" in response.content.decode()
    assert "Put back in my plan" in client.get(url).content.decode()

    response = client.post(url, {**CONTACT, "role": "CFO"}, follow=True)  # from a stale tab
    assert "restore it before changing it" in response.content.decode()

    response = client.post(url + "restore/", follow=True)
    assert "back in your plan" in response.content.decode()
    contact.refresh_from_db()
    assert contact.archived_at is None
    assert contact.touchpoints.count() == 1


def test_the_mentee_records_an_introductions_outcome_on_the_contact_page(client, pair, mentee):
    introduction = mentorships.record_introduction(
        actor=pair.mentor,
        mentorship=pair,
        contact_name="Kim Lee",
        network_group="senior_leadership",
        connection_type="strategic",
        purpose="Portfolio boards.",
    )
    client.force_login(mentee)
    url = f"/network/contacts/{introduction.contact.pk}/"

    page = client.get(url).content.decode()
    assert "Portfolio boards." in page
    assert "Your first touchpoint confirms it." in page

    assert client.post(url + "outcome/", {"outcome": "bogus"}).status_code == 400
    response = client.post(url + "outcome/", {"outcome": "opportunity"}, follow=True)
    assert "outcome is recorded" in response.content.decode()
    introduction.refresh_from_db()
    assert introduction.outcome == "opportunity"
    assert "outcome: led to an opportunity" in client.get("/network/").content.decode()


def test_a_contact_without_an_introduction_has_no_outcome(client, mentee):
    contact = add(mentee)
    client.force_login(mentee)

    assert (
        client.post(f"/network/contacts/{contact.pk}/outcome/", {"outcome": "met"}).status_code
        == 404
    )


# The panels other pages include --------------------------------------------------------------


def panel(user, mentorship) -> str:
    request = RequestFactory().get("/")
    request.user = user
    context = mentorship_network_context(user, mentorship)
    return render_to_string("frontend/pairs/_network_coverage.html", context, request=request)


def test_the_mentorship_panel_shows_the_plan_to_the_mentor_only_when_shared(pair, mentee, mentor):
    add(mentee)

    assert "has not shared their network plan" in panel(mentor, pair)
    assert "Ada Obi" not in panel(mentor, pair)
    network.share_plan(actor=mentee, shared=True)

    with privacy.collecting_reads() as reads:
        html = panel(mentor, pair)
    assert f"{mentee.display_name}'s network plan" in html
    assert "Ada Obi" in html  # due for a first touchpoint
    assert "Consider introducing" in html
    assert privacy.Read(mentee.pk, "network_plan", always=True) in reads  # audited on response


def test_a_mentor_opening_the_mentorship_page_of_a_shared_plan_is_audited(
    client, pair, mentee, mentor
):
    add(mentee)
    network.share_plan(actor=mentee, shared=True)
    client.force_login(mentor)

    assert client.get(f"/mentorships/{pair.pk}/").status_code == 200
    [read] = AuditEvent.objects.filter(action="read", actor=mentor)
    assert (read.object_type, read.object_id) == ("user", mentee.pk)
    assert set(read.data["fields"]) == {"career_history", "network_plan"}


def test_the_mentorship_panel_shows_the_mentee_their_own_plan(pair, mentee):
    add(mentee)

    html = panel(mentee, pair)

    assert "Your network plan" in html
    assert "Open my network" in html
    assert "private: your mentor does not see it" in html


def test_the_mentorship_panel_is_empty_for_coordinators(pair, mentee, coordinator):
    network.share_plan(actor=mentee, shared=True)

    assert panel(coordinator, pair).strip() == ""


def test_the_coordinator_panel_shows_counts_and_never_a_contact(
    programme, pair, mentee, coordinator
):
    add(mentee)
    request = RequestFactory().get("/")
    request.user = coordinator

    html = render_to_string(
        "frontend/coordinator/_network_aggregates.html",
        programme_network_context(coordinator, programme.slug),
        request=request,
    )

    assert "Network plans" in html
    assert "<b>1</b> of 1 mentees keep a plan" in html
    assert mentee.display_name in html
    assert "Ada Obi" not in html
