"""Every kind of notification, one entry each: who gets it, what it says, where the person acts,
and whether it is e-mailed unless the recipient turned that off.

Adding a kind is one entry here (the preferences page, the API, the e-mails and the README table
read this table; the database stores the key without a fixed list). `title` and `body` are Django
template strings rendered with plain text (no HTML) from the context `notify()` is given; the
e-mail wraps them in mentorship/templates/mentorship/email/notification.{txt,html}. `page` is the
URL name of the page where the person acts and `page_arg` the context key of its argument.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    label: str  # the preferences page's name for it
    audience: str  # who gets it, in words
    when: str  # what triggers it, with the programme defaults
    title: str
    body: str
    action: str  # the e-mail's link text
    page: str
    page_arg: str = ""
    email: bool = True  # the default of the recipient's e-mail preference


KINDS: dict[str, Kind] = {
    "request_received": Kind(
        label="A mentee asks you to mentor them",
        audience="mentor",
        when="a mentee sends a request, a published matching run or an expiry cascade asks you",
        title="{{ mentee }} would like you as their mentor",
        body=(
            "{% if from_run %}The coordinators of {{ programme }} matched you with {{ mentee }}"
            " and sent you their request.{% else %}{{ mentee }} asked you to mentor them in"
            " {{ programme }}.{% endif %}{% if message %}\n\n\u201c{{ message }}\u201d{% endif %}"
            "\n\nPlease accept or decline by {{ deadline }}."
        ),
        action="Answer the request",
        page="inbox",
    ),
    "request_reminder": Kind(
        label="Reminders of requests waiting for your answer",
        audience="mentor",
        when="48 h and 24 h before a request's deadline (programme settings)",
        title="Reminder: {{ mentee }} is waiting for your answer",
        body=(
            "{{ mentee }}'s request in {{ programme }} expires in {{ hours }} hours, on"
            " {{ deadline }}. If you cannot take them on, decline with a reason so they can ask"
            " someone else straight away."
        ),
        action="Answer the request",
        page="inbox",
    ),
    "request_accepted": Kind(
        label="Your request is accepted",
        audience="mentee",
        when="the mentor accepts your request",
        title="{{ mentor }} accepted your request",
        body=(
            "Good news: {{ mentor }} accepted to mentor you in {{ programme }}. Plan your first"
            " session soon; you aim to meet every {{ cadence_days }} days."
        ),
        action="Open your mentorship",
        page="mentorship",
        page_arg="mentorship_id",
    ),
    "request_declined": Kind(
        label="Your request is declined",
        audience="mentee",
        when="the mentor declines your request (with their reason)",
        title="{{ mentor }} cannot mentor you right now",
        body=(
            "{{ mentor }} declined your request in {{ programme }}:\n\n\u201c{{ reason }}\u201d"
            "\n\nYour other suggestions are waiting for you."
        ),
        action="See your suggestions",
        page="find-mentor",
    ),
    "request_expired": Kind(
        label="Your request expired",
        audience="mentee",
        when="the mentor did not answer by the deadline (7 days by default)",
        title="Your request to {{ mentor }} expired",
        body=(
            "{{ mentor }} did not answer your request in {{ programme }} in time."
            "{% if next_mentor %} We have asked your next choice, {{ next_mentor }}, for you."
            "{% else %} Ask for new suggestions when you are ready.{% endif %}"
        ),
        action="See your requests",
        page="my-requests",
    ),
    "request_lapsed": Kind(
        label="A request to you expired",
        audience="mentor",
        when="you did not answer a request by its deadline",
        title="The request from {{ mentee }} expired",
        body=(
            "You did not answer {{ mentee }}'s request in {{ programme }} by {{ deadline }}, so"
            " it expired{% if next_mentor %} and they asked someone else{% endif %}."
        ),
        action="Open your inbox",
        page="inbox",
    ),
    "mentor_paused": Kind(
        label="You are paused from new requests",
        audience="mentor",
        when="requests to you expired twice in a row (programme setting)",
        title="You are paused from new requests in {{ programme }}",
        body=(
            "{{ count }} requests to you in a row expired without an answer, so mentees of"
            " {{ programme }} cannot ask you for now. Confirm that you are available again and"
            " they can."
        ),
        action="I am available again",
        page="mentor-availability",
    ),
    "mentor_paused_alert": Kind(
        label="A mentor is paused from new requests",
        audience="coordinators",
        when="a mentor of your programme let requests expire twice in a row",
        title="{{ mentor }} is paused from new requests",
        body=(
            "{{ mentor }} let {{ count }} requests in a row expire in {{ programme }}. Mentees"
            " cannot ask them until they confirm they are available again."
        ),
        action="Open the programme",
        page="programme-dashboard",
        page_arg="programme_slug",
    ),
    "matched_by_run": Kind(
        label="The coordinators matched you with a mentor",
        audience="mentee",
        when="a coordinator publishes a matching run that places you",
        title="You are matched with {{ mentor }}",
        body=(
            "The coordinators of {{ programme }} matched you with {{ mentor }} and sent them your"
            " request. They have until {{ deadline }} to answer."
        ),
        action="See your requests",
        page="my-requests",
    ),
    "cadence_due": Kind(
        label="Your next session is due",
        audience="the pair",
        when="a mentorship's next session falls due (a fifth of its interval before)",
        title="Your next session with {{ other }} is due",
        body=(
            "Your next session with {{ other }} in {{ programme }} is due on {{ due }} (you aim to"
            " meet every {{ cadence_days }} days). Agree a date and log the session afterwards."
        ),
        action="Open your mentorship",
        page="mentorship",
        page_arg="mentorship_id",
    ),
    "cadence_overdue": Kind(
        label="Your next session is overdue",
        audience="the pair",
        when="a mentorship's next session is past its due date",
        title="Your session with {{ other }} is overdue",
        body=(
            "Your session with {{ other }} in {{ programme }} was due on {{ due }}. Pairs who keep"
            " their rhythm get the most out of mentoring: agree a date now."
        ),
        action="Open your mentorship",
        page="mentorship",
        page_arg="mentorship_id",
    ),
    "inactivity_warning": Kind(
        label="No session for a long time",
        audience="the pair",
        when="no session for 60 days (programme setting)",
        title="No session with {{ other }} for {{ days }} days",
        body=(
            "You have not logged a session with {{ other }} in {{ programme }} for {{ days }} days."
            "{% if pause_on %} Unless you meet, the mentorship will be paused on {{ pause_on }}."
            "{% endif %}"
        ),
        action="Open your mentorship",
        page="mentorship",
        page_arg="mentorship_id",
    ),
    "inactivity_paused": Kind(
        label="Your mentorship is paused for inactivity",
        audience="the pair",
        when="no session for 90 days (programme setting)",
        title="Your mentorship with {{ other }} is paused",
        body=(
            "There has been no session with {{ other }} in {{ programme }} for {{ days }} days, so"
            " the mentorship is paused. Resume it whenever you are ready to meet again."
        ),
        action="Open your mentorship",
        page="mentorship",
        page_arg="mentorship_id",
    ),
    "pair_inactive": Kind(
        label="A pair of your programme stopped meeting",
        audience="coordinators",
        when="a pair reaches the 60-day warning or the 90-day pause",
        title="{{ mentor }} and {{ mentee }} have not met for {{ days }} days",
        body=(
            "{{ mentor }} and {{ mentee }} have not logged a session in {{ programme }} for"
            " {{ days }} days.{% if paused %} The mentorship is now paused.{% elif pause_on %}"
            " It will be paused on {{ pause_on }} unless they meet.{% endif %}"
        ),
        action="Open the programme",
        page="programme-dashboard",
        page_arg="programme_slug",
    ),
    "coordinator_nudge": Kind(
        label="A nudge from your coordinator",
        audience="the pair",
        when="a coordinator nudges your pair (at most once a day)",
        title="A nudge from {{ coordinator }}: time to meet {{ other }}",
        body=(
            "{{ coordinator }}, coordinator of {{ programme }}, reminds you to plan your next"
            " session with {{ other }}. Your next session was due on {{ due }}."
        ),
        action="Open your mentorship",
        page="mentorship",
        page_arg="mentorship_id",
    ),
    "follow_up_due": Kind(
        label="Introduction follow-ups",
        audience="mentee",
        when="on an introduction's follow-up date",
        title="How did your introduction to {{ contact }} go?",
        body=(
            "{{ introducer }} introduced you to {{ contact }} ({{ purpose }}). Today is the"
            " follow-up date you set: record what happened."
        ),
        action="Record the outcome",
        page="mentorship",
        page_arg="mentorship_id",
    ),
    "touchpoints_due": Kind(
        label="Weekly digest of your network contacts due a touchpoint",
        audience="mentee",
        when="once a week, when contacts of your network plan are due or overdue (by tier: key "
        "30, regular 90, light 180 days)",
        title=(
            "{{ count }} contact{{ count|pluralize }} in your network"
            " {{ count|pluralize:'is,are' }} due a touchpoint"
        ),
        body=(
            "This week in {{ programme }}:\n\n{{ contacts }}"
            "\n\nA short message keeps a light contact warm; meet your key contacts."
        ),
        action="Open my network",
        page="my-network",
    ),
    "export_ready": Kind(
        label="Your export is ready",
        audience="coordinators",
        when="a CSV export you asked for has been made",
        title="Your export {{ filename }} is ready",
        body="The {{ what }} export of {{ programme }} you asked for is ready to download.",
        action="Download it",
        page="programme-exports",
        page_arg="programme_slug",
    ),
}
