from __future__ import annotations

from django_tasks import task


@task()
def deliver_notification(
    user_id: int, kind: str, key: str, title: str, body: str, link: str
) -> bool:
    """One recipient's notification (idempotent: see ``notification_deliver``)."""
    from shangliang.notifications.services import notification_deliver

    return notification_deliver(
        user_id=user_id, kind=kind, key=key, title=title, body=body, link=link
    )
