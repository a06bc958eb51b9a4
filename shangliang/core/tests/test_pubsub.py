from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction
from django.test import override_settings

from shangliang.core import pubsub


@pytest.fixture
def memory():
    with override_settings(LIVE_BACKEND="memory"):
        pubsub.reset_backend()
        yield pubsub.get_backend()
    pubsub.reset_backend()


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url("redis://127.0.0.1:6379/0").ping())
    except Exception:
        return False


def test_it_sends_after_the_commit_and_never_on_a_rollback(memory, transactional_db):
    sub = pubsub.subscribe("test:1")
    try:
        with transaction.atomic():
            pubsub.publish("test:1", {"n": 1})
            assert sub.get(timeout=0.05) is None  # not before the commit
        assert sub.get(timeout=1) == {"n": 1}
        with pytest.raises(RuntimeError), transaction.atomic():
            pubsub.publish("test:1", {"n": 2})
            raise RuntimeError
        assert sub.get(timeout=0.2) is None
    finally:
        sub.close()


def test_it_delivers_only_to_the_channel_listened_to(memory, transactional_db):
    a, b = pubsub.subscribe("test:a"), pubsub.subscribe("test:b")
    try:
        pubsub.publish("test:a", {"to": "a"})
        assert a.get(timeout=1) == {"to": "a"}
        assert b.get(timeout=0.1) is None
    finally:
        a.close()
        b.close()
    assert not memory.listeners  # closing unsubscribes


def test_it_refuses_data_that_cannot_be_sent(memory):
    with pytest.raises(TypeError):
        pubsub.publish("test:1", {"when": object()})


def test_it_refuses_a_bad_prefix():
    with pytest.raises(ValueError):
        pubsub.register_channel("a:b", lambda user, key: True)


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_it_goes_through_redis_between_connections(transactional_db):
    with override_settings(LIVE_BACKEND="redis", REDIS_URL="redis://127.0.0.1:6379/0"):
        pubsub.reset_backend()
        sub = pubsub.subscribe("test:redis")
        try:
            assert sub.get(timeout=0.2) is None  # subscribes
            pubsub.publish("test:redis", {"k": "红"})
            deadline = time.monotonic() + 3
            got = None
            while got is None and time.monotonic() < deadline:
                got = sub.get(timeout=0.5)
            assert got == {"k": "红"}
        finally:
            sub.close()
            pubsub.reset_backend()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="NOTIFY is PostgreSQL's")
def test_it_goes_through_postgresql_notify(transactional_db):
    with override_settings(LIVE_BACKEND="postgres"):
        pubsub.reset_backend()
        sub = pubsub.subscribe("test:pg")
        other = pubsub.subscribe("test:other")
        try:
            assert sub.get(timeout=0.1) is None  # LISTENs
            assert other.get(timeout=0.1) is None
            got: list[object] = []
            t = threading.Thread(target=lambda: got.append(sub.get(timeout=5)))
            t.start()
            pubsub.publish("test:pg", {"k": 1})
            t.join(10)
            assert got == [{"k": 1}]
            assert other.get(timeout=0.3) is None  # another channel's message is dropped
        finally:
            sub.close()
            other.close()
            pubsub.reset_backend()
