from __future__ import annotations

import pytest
from django.test import override_settings

from shangliang.core import pubsub


@pytest.fixture
def memory():
    with override_settings(LIVE_BACKEND="memory", LIVE_MAX_SECONDS=2, LIVE_HEARTBEAT_SECONDS=1):
        pubsub.reset_backend()
        yield
    pubsub.reset_backend()


def _login(client, user) -> None:
    client.force_login(user)


def test_it_hides_streams_from_strangers(client, world, memory):
    own = f"/live/notifications/{world.member.pk}/"
    assert client.get(own).status_code == 404  # anonymous
    _login(client, world.county_a_member)
    assert client.get(own).status_code == 404  # someone else's
    assert client.get("/live/nosuch/1/").status_code == 404


def test_it_streams_published_messages_with_heartbeats(client, world, memory):
    _login(client, world.member)
    response = client.get(f"/live/notifications/{world.member.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/event-stream")
    assert response["Cache-Control"].startswith("no-cache")
    chunks = iter(response.streaming_content)
    assert next(chunks).startswith(b"retry: 3000")  # subscribed from here on
    pubsub.get_backend().send(f"notifications:{world.member.pk}", {"unread": 3})
    assert next(chunks) == b'data: {"unread": 3}\n\n'
    rest = list(chunks)  # the stream ends by itself (LIVE_MAX_SECONDS)
    assert rest and all(c == b": ping\n\n" for c in rest)
    assert not pubsub.get_backend().listeners  # type: ignore[attr-defined]


def test_a_live_stream_does_not_keep_an_idle_session_alive(client, world, memory, settings):
    from shangliang.accounts import clock
    from shangliang.accounts.signals import SESSION_SEEN_KEY

    settings.SESSION_IDLE_MINUTES = 60
    client.force_login(world.member)
    session = client.session
    session[SESSION_SEEN_KEY] = seen = 1
    session.save()
    response = client.get(f"/live/notifications/{world.member.pk}/")
    assert response.status_code == 302  # idle for ages: logged out, not streamed
    client.force_login(world.member)
    session = client.session
    session[SESSION_SEEN_KEY] = seen = clock.now_ts() - 600  # ten minutes ago: still valid
    session.save()
    response = client.get(f"/live/notifications/{world.member.pk}/")
    assert response.status_code == 200
    list(response.streaming_content)  # to its end (LIVE_MAX_SECONDS)
    assert client.session[SESSION_SEEN_KEY] == seen  # the stream did not count as activity
    client.get("/notifications/")
    assert client.session[SESSION_SEEN_KEY] > seen  # a page view does
