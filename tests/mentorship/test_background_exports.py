"""Coordinators' CSV exports made in the background: queued after commit, built once, notified,
downloaded by coordinators only, deleted after a week."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError

from mentorship import factories
from mentorship.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from mentorship.models import Export, ExportStatus, Membership, Notification, Role
from mentorship.selectors.exports import export_for, exports_of
from mentorship.services import engagement, exports


@pytest.fixture
def pairs(programme) -> None:
    for _ in range(3):
        factories.MentorshipFactory.create(programme=programme)


def test_an_export_is_built_after_commit_and_the_coordinator_notified(
    programme, coordinator, pairs, after_commit, audit_of
):
    with after_commit():
        export = exports.request_export(actor=coordinator, programme=programme)
        assert Export.objects.get(pk=export.pk).status == ExportStatus.PENDING

    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    assert export.filename.startswith("pmo-network-cadence-")
    assert export.rows == 3
    assert export.content.splitlines()[0].startswith("mentorship,mentor,mentee,")
    assert [(e.action, e.to_state) for e in audit_of(export)] == [
        ("request_export", "pending"),
        ("build_export", "ready"),
    ]
    [notification] = Notification.objects.filter(kind="export_ready")
    assert notification.recipient == coordinator
    assert notification.link == f"/programmes/{programme.slug}/exports/"
    assert [m.to for m in mail.outbox] == [[coordinator.email]]


def test_a_members_export_uses_the_members_rows_of_the_pages(
    programme, coordinator, mentor, mentee, after_commit
):
    with after_commit():
        export = exports.request_export(actor=coordinator, programme=programme, kind="members")
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    assert export.filename.startswith("pmo-network-members-")
    assert export.rows == 3  # the coordinator, the mentor and the mentee
    assert "tom" in export.content
    assert "@" not in export.content  # no e-mail addresses


def test_an_unknown_kind_of_export_is_refused(programme, coordinator):
    with pytest.raises(ValidationFailed):
        exports.request_export(actor=coordinator, programme=programme, kind="everything")
    assert not Export.objects.exists()


def test_asking_again_while_one_is_prepared_is_refused(programme, coordinator):
    exports.request_export(actor=coordinator, programme=programme)  # no commit: stays pending

    with pytest.raises(Conflict, match="already being prepared"):
        exports.request_export(actor=coordinator, programme=programme)
    assert Export.objects.count() == 1


def test_building_twice_stores_and_notifies_once_and_a_deleted_export_is_a_no_op(
    programme, coordinator, pairs
):
    export = exports.request_export(actor=coordinator, programme=programme)

    assert exports.build_export(export_id=export.pk) == "ready"
    assert exports.build_export(export_id=export.pk) == "ready"
    assert Notification.objects.filter(kind="export_ready").count() == 1
    export.delete()
    assert exports.build_export(export_id=export.pk) == "gone"


def test_an_export_fails_when_its_coordinator_left_before_it_was_built(
    programme, coordinator, after_commit
):
    export = exports.request_export(actor=coordinator, programme=programme)
    Membership.objects.filter(user=coordinator).delete()

    assert exports.build_export(export_id=export.pk) == "failed"
    export.refresh_from_db()
    assert (export.status, export.content) == (ExportStatus.FAILED, "")
    assert export.error
    assert not Notification.objects.exists()


@pytest.mark.parametrize(("who", "error"), [("mentor", PermissionDenied), ("outsider", NotFound)])
def test_only_coordinators_ask_for_exports(request, programme, who, error):
    with pytest.raises(error):
        exports.request_export(actor=request.getfixturevalue(who), programme=programme)


def test_coordinators_list_and_download_their_programmes_exports(
    programme, coordinator, other_coordinator, mentor, pairs, audit_of
):
    export = exports.request_export(actor=coordinator, programme=programme)
    with pytest.raises(Conflict, match="not ready"):
        exports.download_export(actor=coordinator, export=export)
    exports.build_export(export_id=export.pk)
    colleague = factories.member(programme, Role.COORDINATOR)

    _, listed = exports_of(actor=colleague, slug=programme.slug)
    assert list(listed) == [export]
    taken = exports.download_export(
        actor=colleague, export=export_for(actor=colleague, slug=programme.slug, pk=export.pk)
    )
    assert taken.rows == 3
    assert [e.action for e in audit_of(export)][-1] == "download"
    with pytest.raises(NotFound):
        export_for(actor=other_coordinator, slug=programme.slug, pk=export.pk)
    with pytest.raises(PermissionDenied):
        export_for(actor=mentor, slug=programme.slug, pk=export.pk)


def test_exports_are_deleted_a_week_after_they_were_made(programme, coordinator):
    export = exports.request_export(actor=coordinator, programme=programme)
    exports.build_export(export_id=export.pk)

    assert engagement.purge_old_exports(now=timezone.now() + dt.timedelta(days=6)) == 0
    assert engagement.purge_old_exports(now=timezone.now() + dt.timedelta(days=8)) == 1
    assert not Export.objects.exists()


def test_an_export_whose_task_was_lost_is_built_by_the_next_engagement_run(
    programme, coordinator, pairs, monkeypatch, after_commit, caplog
):
    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("mentorship.tasks.build_export.delay", down)
    with after_commit():
        export = exports.request_export(actor=coordinator, programme=programme)
    assert "the next engagement run builds it" in caplog.text
    assert Export.objects.get(pk=export.pk).status == ExportStatus.PENDING

    soon = timezone.now() + dt.timedelta(minutes=5)
    assert engagement.run_engagement(now=soon)["exports retried"] == 0
    later = timezone.now() + exports.STALE_AFTER + dt.timedelta(seconds=1)
    assert engagement.run_engagement(now=later)["exports retried"] == 1
    assert Export.objects.get(pk=export.pk).status == ExportStatus.READY
    assert engagement.run_engagement(now=later)["exports retried"] == 0
