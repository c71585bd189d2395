"""The admin for staff and coordinators.

Superusers see everything. Other staff see only the programmes they coordinate. Lifecycle
fields are read-only here: state changes go through admin actions that call the services, so
the admin obeys the same rules and writes the same audit trail as the pages and the API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse

from mentorship.auth_forms import LimitedAdminAuthenticationForm
from mentorship.errors import DomainError
from mentorship.models import (
    AuditEvent,
    Exclusion,
    Introduction,
    MatchingRun,
    MatchRequest,
    Membership,
    Mentorship,
    Position,
    Profile,
    Programme,
    Proposal,
    Role,
    Session,
    User,
)
from mentorship.privacy import note_read
from mentorship.services import matching_runs, mentorships, programmes, proposals
from mentorship.services import privacy as privacy_services
from mentorship.services._common import record
from mentorship.services.mentor_availability import mentor_changed

admin.site.login_form = LimitedAdminAuthenticationForm


class AuditedAdmin(admin.ModelAdmin):
    """Every change made in the admin appends an audit event too (Django's own log, which the
    admin shows, can be rewritten; ours cannot)."""

    def _audit(self, request: HttpRequest, obj: Any, action: str) -> None:
        record(actor=request.user, obj=obj, action=action, via="admin")

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit(request, obj, "admin_add")
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit(request, obj, "admin_change")
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            self._audit(request, obj, "admin_delete")
        return super().log_deletions(request, queryset)


def coordinated_ids(request: HttpRequest) -> list[int]:
    if not request.user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user=request.user, role=Role.COORDINATOR).values_list(
            "programme_id", flat=True
        )
    )


class ProgrammeScopedAdmin(AuditedAdmin):
    """Non-superuser staff see and change only their coordinated programmes' rows."""

    programme_path = "programme"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            **{f"{self.programme_path}__in": coordinated_ids(request)}
        ).distinct()

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """A service refusing the change shows its reason instead of an error page."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            self.message_user(request, error.detail, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def _is_coordinating_staff(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff and coordinated_ids(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or self._is_coordinating_staff(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser or self._is_coordinating_staff(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser or self._is_coordinating_staff(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


def service_action(
    description: str, call: Callable[[User, Any], Any]
) -> Callable[[admin.ModelAdmin, HttpRequest, QuerySet[Any]], None]:
    """An admin action applying one service to each selected row, reporting refusals."""

    def action(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        done, refused = 0, []
        for obj in queryset:
            try:
                call(request.user, obj)  # type: ignore[arg-type]
                done += 1
            except DomainError as error:
                refused.append(f"{obj}: {error.detail}")
        if done:
            modeladmin.message_user(request, f"{description}: {done} done.", messages.SUCCESS)
        for line in refused[:10]:
            modeladmin.message_user(request, line, messages.WARNING)

    action.short_description = description  # type: ignore[attr-defined]
    action.__name__ = description.lower().replace(" ", "_")
    return action


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("programme", "role", "joined_at")
    readonly_fields = ("joined_at",)


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "is_staff",
        "date_joined",
        "erased_at",
    )
    search_fields = ("username", "email", "first_name", "last_name")
    readonly_fields = ("erased_at",)
    actions = ["erase_personal_data"]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # the memberships inline
        _mentors_changed({form.instance.pk})

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Deleting a person would cascade into the other side's mentorships, sessions and
        introductions; erasure removes their data and keeps those records."""
        return False

    @admin.action(description="Erase personal data (keeps the other side's records)")
    def erase_personal_data(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> HttpResponse | None:
        if not request.user.is_superuser:
            self.message_user(request, "Only a superuser erases people.", messages.ERROR)
            return None
        people = list(queryset.filter(erased_at__isnull=True))
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "admin/mentorship/user/erase_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Erase personal data",
                    "people": people,
                    "opts": self.model._meta,
                    "action_checkbox_name": ACTION_CHECKBOX_NAME,
                },
            )
        erased = 0
        for person in people:
            try:
                privacy_services.erase_by_administrator(actor=request.user, person=person)
                erased += 1
            except DomainError as error:
                self.message_user(request, f"{person.pk}: {error.detail}", messages.WARNING)
        self.message_user(request, f"Erased {erased} people.", messages.SUCCESS)
        return None


@admin.register(Programme)
class ProgrammeAdmin(ProgrammeScopedAdmin):
    programme_path = "pk"
    list_display = (
        "name",
        "slug",
        "join_code",
        "is_open",
        "mentors",
        "mentees",
        "default_cadence_days",
        "created_at",
    )
    list_filter = ("is_open",)
    search_fields = ("name", "slug", "join_code")
    readonly_fields = ("join_code", "created_at")
    prepopulated_fields = {"slug": ("name",)}
    actions = [
        service_action(
            "Regenerate join code",
            lambda user, p: programmes.regenerate_join_code(actor=user, programme=p),
        )
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_mentors=Count("memberships", filter=Q(memberships__role=Role.MENTOR)),
                n_mentees=Count("memberships", filter=Q(memberships__role=Role.MENTEE)),
            )
        )

    @admin.display(ordering="n_mentors")
    def mentors(self, obj: Any) -> int:
        return obj.n_mentors

    @admin.display(ordering="n_mentees")
    def mentees(self, obj: Any) -> int:
        return obj.n_mentees

    def save_model(self, request: HttpRequest, obj: Programme, form: Any, change: bool) -> None:
        fields = {
            f: form.cleaned_data[f] for f in form.changed_data if f in programmes.SETTINGS_FIELDS
        }
        if change:
            programmes.update_programme(actor=request.user, programme=obj, **fields)  # type: ignore[arg-type]
        else:
            created = programmes.create_programme(
                actor=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                slug=form.cleaned_data["slug"],
                **{k: v for k, v in fields.items() if k != "name"},
            )
            obj.pk = created.pk


@admin.register(Membership)
class MembershipAdmin(ProgrammeScopedAdmin):
    list_display = ("user", "programme", "role", "joined_at")
    # A mentor's pause from new requests changes through services/availability.py only.
    readonly_fields = ("requests_paused_at", "available_since")
    list_filter = ("role", "programme")
    search_fields = ("user__username", "user__email", "user__first_name", "user__last_name")
    autocomplete_fields = ("user",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    # A mentor's membership is part of their availability and of the programme's mentor index:
    # every write here tells the availability service (the person before and after an edit).
    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        before = form.initial.get("user") if change else None
        super().save_model(request, obj, form, change)
        _mentors_changed({obj.user_id, before})

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        super().delete_model(request, obj)
        _mentors_changed({obj.user_id})

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            user_ids = set(queryset.values_list("user_id", flat=True))
            super().delete_queryset(request, queryset)
            _mentors_changed(user_ids)


def _mentors_changed(user_ids: set[int | None]) -> None:
    """Availability and index rows of these people in every programme they mentor in or had a
    row for (a membership the admin removed or moved leaves them unavailable there)."""
    for user_id in sorted(pk for pk in user_ids if pk is not None):
        mentor_changed(user_id=int(user_id), profile=True)


@admin.register(Exclusion)
class ExclusionAdmin(ProgrammeScopedAdmin):
    list_display = ("mentee", "mentor", "programme", "reason", "created_by", "created_at")
    list_filter = ("reason", "programme")
    search_fields = ("mentee__username", "mentor__username")
    readonly_fields = ("created_by", "created_at")
    autocomplete_fields = ("mentee", "mentor")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or self._is_coordinating_staff(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and self.has_add_permission(request)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "programme" and not request.user.is_superuser:
            kwargs["queryset"] = Programme.objects.filter(pk__in=coordinated_ids(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Exclusion, form: Any, change: bool) -> None:
        created = programmes.add_exclusion(
            actor=request.user,  # type: ignore[arg-type]
            programme=obj.programme,
            mentee=obj.mentee,
            mentor=obj.mentor,
            reason=obj.reason,
            note=obj.note,
        )
        obj.pk = created.pk


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0


@admin.register(Profile)
class ProfileAdmin(ProgrammeScopedAdmin):
    programme_path = "user__memberships__programme"
    list_display = (
        "user",
        "headline",
        "seniority",
        "capacity",
        "accepting_mentees",
        "timezone",
        "personality_on_file",
    )
    list_filter = ("seniority", "accepting_mentees", "user__memberships__role")
    search_fields = ("user__username", "user__email", "headline", "about")
    # Profiles belong to their people (changed through their own pages); personality answers
    # are private to their owner, so the admin shows only whether they exist.
    inlines = [PositionInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(boolean=True, description="Personality on file")
    def personality_on_file(self, obj: Profile) -> bool:
        return hasattr(obj, "personality")

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """Showing a profile shows its career history: an audited read."""
        response = super().change_view(request, object_id, form_url, extra_context)
        profile = self.get_object(request, object_id)
        if profile is not None and response.status_code == 200:
            note_read(subject_id=profile.user_id, field="career_history")
        return response


@admin.register(MatchRequest)
class MatchRequestAdmin(ProgrammeScopedAdmin):
    list_display = ("pk", "mentee", "programme", "created_at", "proposal_count")
    list_filter = ("programme",)
    search_fields = ("mentee__username",)
    readonly_fields = ("programme", "mentee", "created_at")

    @admin.display(description="Proposals")
    def proposal_count(self, obj: MatchRequest) -> int:
        return obj.proposals.count()


@admin.register(Proposal)
class ProposalAdmin(ProgrammeScopedAdmin):
    list_display = (
        "mentee",
        "mentor",
        "programme",
        "status",
        "rank",
        "score",
        "requested_at",
        "expires_at",
    )
    list_filter = ("status", "programme")
    search_fields = ("mentee__username", "mentor__username", "message", "decline_reason")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Proposal._meta.fields]
    actions = [
        service_action(
            "Expire if past deadline", lambda user, p: proposals.expire_proposal(proposal=p)
        )
    ]


@admin.register(MatchingRun)
class MatchingRunAdmin(ProgrammeScopedAdmin):
    list_display = ("pk", "programme", "mode", "status", "created_by", "created_at", "published_at")
    list_filter = ("status", "mode", "programme")
    readonly_fields = [f.name for f in MatchingRun._meta.fields]
    actions = [
        service_action(
            "Publish", lambda user, r: matching_runs.publish_matching_run(actor=user, run=r)
        ),
        service_action(
            "Discard", lambda user, r: matching_runs.discard_matching_run(actor=user, run=r)
        ),
    ]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    # Private notes never appear in the admin.
    fields = ("date", "duration_minutes", "format", "topics", "mentor_rating", "mentee_rating")
    readonly_fields = fields
    can_delete = False


@admin.register(Mentorship)
class MentorshipAdmin(ProgrammeScopedAdmin):
    list_display = (
        "mentor",
        "mentee",
        "programme",
        "status",
        "cadence_days",
        "started_on",
        "ended_on",
    )
    list_filter = ("status", "programme")
    search_fields = ("mentor__username", "mentee__username", "goals")
    date_hierarchy = "started_on"
    readonly_fields = (
        "programme",
        "mentor",
        "mentee",
        "proposal",
        "status",
        "started_on",
        "ended_on",
        "end_reason",
    )
    inlines = [SessionInline]
    actions = [
        service_action(
            "Pause", lambda user, m: mentorships.pause_mentorship(actor=user, mentorship=m)
        ),
        service_action(
            "Resume", lambda user, m: mentorships.resume_mentorship(actor=user, mentorship=m)
        ),
        service_action(
            "Complete", lambda user, m: mentorships.complete_mentorship(actor=user, mentorship=m)
        ),
    ]

    def save_model(self, request: HttpRequest, obj: Mentorship, form: Any, change: bool) -> None:
        mentorships.update_mentorship(
            actor=request.user,  # type: ignore[arg-type]
            mentorship=obj,
            cadence_days=form.cleaned_data.get("cadence_days"),
            goals=form.cleaned_data.get("goals"),
        )


@admin.register(Session)
class SessionAdmin(ProgrammeScopedAdmin):
    programme_path = "mentorship__programme"
    list_display = (
        "date",
        "mentorship",
        "duration_minutes",
        "format",
        "mentor_rating",
        "mentee_rating",
    )
    list_filter = ("format", "mentorship__programme")
    date_hierarchy = "date"
    fields = (
        "mentorship",
        "date",
        "duration_minutes",
        "format",
        "topics",
        "mentor_rating",
        "mentee_rating",
        "logged_by",
    )
    readonly_fields = fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Introduction)
class IntroductionAdmin(ProgrammeScopedAdmin):
    programme_path = "mentorship__programme"
    list_display = (
        "contact_display",
        "mentorship",
        "network_group",
        "connection_type",
        "outcome",
        "follow_up_on",
        "confirmed_at",
    )
    list_filter = ("network_group", "connection_type", "outcome", "mentorship__programme")
    search_fields = ("contact_name", "contact_organisation", "purpose")
    readonly_fields = [f.name for f in Introduction._meta.fields]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ProgrammeScopedAdmin):
    programme_path = "programme_id"
    list_display = (
        "created_at",
        "actor",
        "object_type",
        "object_id",
        "action",
        "from_state",
        "to_state",
    )
    list_filter = ("object_type", "action")
    search_fields = ("actor__username", "action", "object_type")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
