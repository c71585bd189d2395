from django.urls import path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView

from api.errors import not_found
from api.views import auth, engagement, me, mentorships, network, privacy, programmes, proposals
from api.views.docs import RedocView, SwaggerView
from api.views.health import HealthView


class IdConverter:
    """Object ids: at most 18 digits, so no id overflows a 64-bit database integer."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

urlpatterns = [
    path("auth/token/", auth.TokenView.as_view(), name="api-token"),
    path("auth/signup/", auth.SignupView.as_view(), name="api-signup"),
    path("auth/logout/", auth.LogoutView.as_view(), name="api-logout"),
    path("auth/password-reset/", auth.PasswordResetView.as_view(), name="api-password-reset"),
    path("me/profile/", me.ProfileView.as_view(), name="api-profile"),
    path("me/personality/", me.PersonalityView.as_view(), name="api-personality"),
    path("me/export/", privacy.ExportView.as_view(), name="api-export"),
    path("me/erase/", privacy.EraseView.as_view(), name="api-erase"),
    path("programmes/", programmes.ProgrammeListView.as_view(), name="api-programmes"),
    path("programmes/<slug:slug>/", programmes.ProgrammeDetailView.as_view(), name="api-programme"),
    path("programmes/<slug:slug>/cadence/", programmes.CadenceView.as_view(), name="api-cadence"),
    path(
        "programmes/<slug:slug>/cadence/export/",
        programmes.CadenceExportView.as_view(),
        name="api-cadence-export",
    ),
    path("programmes/<slug:slug>/stats/", programmes.StatsView.as_view(), name="api-stats"),
    path(
        "programmes/<slug:slug>/members/<id:pk>/erase/",
        privacy.MemberEraseView.as_view(),
        name="api-member-erase",
    ),
    path(
        "programmes/<slug:slug>/matching-runs/",
        programmes.MatchingRunListView.as_view(),
        name="api-matching-runs",
    ),
    path(
        "programmes/<slug:slug>/matching-runs/<id:pk>/",
        programmes.MatchingRunDetailView.as_view(),
        name="api-matching-run",
    ),
    path(
        "programmes/<slug:slug>/matching-runs/<id:pk>/pairs/",
        programmes.MatchingRunPairsView.as_view(),
        name="api-matching-run-pairs",
    ),
    path(
        "programmes/<slug:slug>/matching-runs/<id:pk>/publish/",
        programmes.MatchingRunPublishView.as_view(),
        name="api-matching-run-publish",
    ),
    path(
        "programmes/<slug:slug>/matching-runs/<id:pk>/discard/",
        programmes.MatchingRunDiscardView.as_view(),
        name="api-matching-run-discard",
    ),
    path("match-requests/", proposals.MatchRequestListView.as_view(), name="api-match-requests"),
    path(
        "match-requests/<id:pk>/",
        proposals.MatchRequestDetailView.as_view(),
        name="api-match-request",
    ),
    path("proposals/", proposals.ProposalListView.as_view(), name="api-proposals"),
    path("proposals/<id:pk>/", proposals.ProposalDetailView.as_view(), name="api-proposal"),
    path(
        "proposals/<id:pk>/request/", proposals.RequestView.as_view(), name="api-proposal-request"
    ),
    path(
        "proposals/<id:pk>/dismiss/", proposals.DismissView.as_view(), name="api-proposal-dismiss"
    ),
    path(
        "proposals/<id:pk>/withdraw/",
        proposals.WithdrawView.as_view(),
        name="api-proposal-withdraw",
    ),
    path("proposals/<id:pk>/accept/", proposals.AcceptView.as_view(), name="api-proposal-accept"),
    path(
        "proposals/<id:pk>/decline/", proposals.DeclineView.as_view(), name="api-proposal-decline"
    ),
    path("mentorships/", mentorships.MentorshipListView.as_view(), name="api-mentorships"),
    path("mentorships/<id:pk>/", mentorships.MentorshipDetailView.as_view(), name="api-mentorship"),
    path(
        "mentorships/<id:pk>/pause/", mentorships.PauseView.as_view(), name="api-mentorship-pause"
    ),
    path(
        "mentorships/<id:pk>/resume/",
        mentorships.ResumeView.as_view(),
        name="api-mentorship-resume",
    ),
    path(
        "mentorships/<id:pk>/complete/",
        mentorships.CompleteView.as_view(),
        name="api-mentorship-complete",
    ),
    path("mentorships/<id:pk>/end/", mentorships.EndView.as_view(), name="api-mentorship-end"),
    path(
        "mentorships/<id:pk>/sessions/",
        mentorships.SessionListView.as_view(),
        name="api-mentorship-sessions",
    ),
    path("sessions/<id:pk>/", mentorships.SessionDetailView.as_view(), name="api-session"),
    path(
        "mentorships/<id:pk>/introductions/",
        mentorships.IntroductionListView.as_view(),
        name="api-mentorship-introductions",
    ),
    path(
        "introductions/<id:pk>/",
        mentorships.IntroductionDetailView.as_view(),
        name="api-introduction",
    ),
    # Engagement: notifications, e-mail preferences, the calendar feed, nudges (issue 9).
    path("notifications/", engagement.NotificationListView.as_view(), name="api-notifications"),
    path(
        "notifications/<id:pk>/read/",
        engagement.NotificationReadView.as_view(),
        name="api-notification-read",
    ),
    path(
        "me/notification-preferences/",
        engagement.EmailPreferencesView.as_view(),
        name="api-notification-preferences",
    ),
    path("me/sessions.ics", engagement.SessionsFeedView.as_view(), name="api-sessions-feed"),
    path("mentorships/<id:pk>/nudge/", engagement.NudgeView.as_view(), name="api-mentorship-nudge"),
    # The network plan
    path("me/network/", network.PlanView.as_view(), name="api-network-plan"),
    path("me/network/summary/", network.SummaryView.as_view(), name="api-network-summary"),
    path("me/network/contacts/", network.ContactListView.as_view(), name="api-network-contacts"),
    path(
        "me/network/contacts/<id:pk>/",
        network.ContactDetailView.as_view(),
        name="api-network-contact",
    ),
    path(
        "me/network/contacts/<id:pk>/restore/",
        network.ContactRestoreView.as_view(),
        name="api-network-contact-restore",
    ),
    path(
        "me/network/contacts/<id:pk>/touchpoints/",
        network.TouchpointListView.as_view(),
        name="api-network-touchpoints",
    ),
    path(
        "mentorships/<id:pk>/network/",
        network.MentorshipNetworkView.as_view(),
        name="api-mentorship-network",
    ),
    path("health/", HealthView.as_view(), name="api-health"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", RedocView.as_view(url_name="api-schema"), name="api-redoc"),
    re_path(r"", not_found),  # an empty pattern matches every path, newlines included
]
