"""Background work. With no broker configured these run in-process, right after commit."""

from __future__ import annotations

from celery import shared_task

from mentorship import notifications
from mentorship.services import proposals


@shared_task(ignore_result=True)
def send_notification(kind: str, proposal_id: int) -> bool:
    return notifications.deliver(kind, proposal_id)


@shared_task(ignore_result=True)
def expire_overdue_proposals() -> int:
    return proposals.expire_overdue_proposals()
