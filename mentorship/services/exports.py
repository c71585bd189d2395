"""Coordinators' CSV exports made in the background: asked for on a page, built by a worker
(in-process without a broker), downloaded when ready. The coordinator is notified."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from mentorship.access import require_role
from mentorship.errors import Conflict, DomainError
from mentorship.models import Export, ExportKind, ExportStatus, Programme, Role, User
from mentorship.notifications import notify
from mentorship.selectors.exports import cadence_export, csv_lines, members_export
from mentorship.services._common import record, validated_save

logger = logging.getLogger(__name__)
ALREADY = "This export is already being prepared; you will be notified when it is ready."
STALE_AFTER = dt.timedelta(minutes=10)  # a pending export this old lost its task
# The selector that yields each kind's rows: the same rows the pages and the API stream.
MAKERS = {ExportKind.CADENCE: cadence_export, ExportKind.MEMBERS: members_export}


def queue_build(export_id: int) -> None:
    """After commit: hand the export to a worker (or build it now, without a broker). A broker
    that is down loses nothing: the export stays pending and the next engagement run builds it."""
    from mentorship.tasks import build_export

    try:
        build_export.delay(export_id)
    except OperationalError:
        logger.exception("Could not queue export %s; the next engagement run builds it.", export_id)


@transaction.atomic
def request_export(*, actor: User, programme: Programme, kind: str = ExportKind.CADENCE) -> Export:
    """Queue an export of the programme for the coordinator (one of a kind at a time)."""
    require_role(actor, programme, Role.COORDINATOR)
    pending = Export.objects.filter(
        programme=programme, requested_by=actor, kind=kind, status=ExportStatus.PENDING
    )
    if pending.exists():
        raise Conflict(ALREADY)
    export = Export(programme=programme, requested_by=actor, kind=kind)
    try:
        with transaction.atomic():
            validated_save(export, exclude=["content", "filename", "error"])
    except IntegrityError as error:  # a double submit raced this one
        raise Conflict(ALREADY) from error
    record(actor=actor, obj=export, action="request_export", to_state=export.status, kind=kind)
    transaction.on_commit(lambda: queue_build(export.pk))
    return export


def build_export(*, export_id: int) -> str:
    """Make the file (outside any lock: it may take a while), then store it once: a second
    worker, or a second run, finds it no longer pending. Returns the export's state."""
    export = Export.objects.select_related("programme", "requested_by").filter(pk=export_id).first()
    if export is None:
        return "gone"
    if export.status != ExportStatus.PENDING:
        return str(export.status)
    error = ""
    content = filename = ""
    try:
        if export.requested_by is None:
            raise DomainError("The coordinator who asked for it has left.")
        made = MAKERS[ExportKind(export.kind)](
            actor=export.requested_by, slug=export.programme.slug
        )
        content, filename = "".join(csv_lines(made.rows)), made.filename
    except DomainError as refused:  # no longer a coordinator of the programme
        error = refused.detail
    with transaction.atomic():
        export = (
            Export.objects.select_for_update(of=("self",))
            .select_related("programme", "requested_by")
            .filter(pk=export_id)
            .first()
        )
        if export is None or export.status != ExportStatus.PENDING:
            return "gone" if export is None else str(export.status)
        export.status = ExportStatus.FAILED if error else ExportStatus.READY
        export.error = error[:300]
        export.content, export.filename = content, filename
        export.rows = max(content.count("\n") - 1, 0)
        export.finished_at = timezone.now()
        export.save()
        record(
            actor=None,
            obj=export,
            action="build_export",
            from_state=ExportStatus.PENDING,
            to_state=export.status,
            rows=export.rows,
        )
        if export.status == ExportStatus.READY and export.requested_by is not None:
            notify(
                "export_ready",
                recipients=[export.requested_by],
                about=export,
                filename=export.filename,
                what=export.get_kind_display().lower(),
                programme=export.programme.name,
                programme_slug=export.programme.slug,
            )
        return str(export.status)


@transaction.atomic
def download_export(*, actor: User, export: Export) -> Export:
    """A coordinator of the programme takes the file; every download is in the audit trail."""
    require_role(actor, export.programme, Role.COORDINATOR)
    if export.status != ExportStatus.READY:
        raise Conflict(
            "This export is not ready yet."
            if export.status == ExportStatus.PENDING
            else "This export failed; ask for a new one."
        )
    record(actor=actor, obj=export, action="download", rows=export.rows)
    return export


def build_stale_exports(*, now: dt.datetime | None = None) -> int:
    """Build the exports still pending a while after they were asked for (their task was lost).
    Returns how many were made (ready or failed)."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    stale = Export.objects.filter(status=ExportStatus.PENDING, created_at__lte=cutoff)
    return sum(build_export(export_id=pk) != "gone" for pk in stale.values_list("pk", flat=True))
