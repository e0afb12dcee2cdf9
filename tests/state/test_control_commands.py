"""The fault, journal and min_stay commands of a namespace (``state/controls.py``), and the
webhook configuration commands (``state/hooks.py``), called directly."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from yarl import URL

from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.errors import ApiError
from fake_meetings.state.faults import MAX_FAULTS, Fault
from fake_meetings.state.journal import Journal
from fake_meetings.state.namespaces import Namespace
from fake_meetings.webhooks.delivery import Attempt
from fake_meetings.webhooks.settings import Settings

T0 = 1_717_243_200
HOOK = {"url": "http://127.0.0.1:9/hooks"}


def space(settings: Settings | None = None) -> Namespace:
    return Namespace(World((), Clock(T0)), Journal(), settings)


def refused(status: int, call: Any, *args: Any) -> str:
    with pytest.raises(ApiError) as caught:
        call(*args)
    assert caught.value.status == status, caught.value.info
    return caught.value.info


# -- faults


def test_faults_are_armed_listed_removed_and_cleared() -> None:
    s = space()
    first, second = s.arm_fault(Fault(500)), s.arm_fault(Fault(429, path="/meetings"))
    assert s.armed_faults() == [first, second]
    s.remove_fault(first.id)
    assert s.armed_faults() == [second]
    assert "no fault with id 'fault-none'" in refused(404, s.remove_fault, "fault-none")
    assert s.clear_faults() == 1
    assert s.armed_faults() == [] and s.clear_faults() == 0


def test_one_fault_more_than_the_bound_is_a_400() -> None:
    s = space()
    for _ in range(MAX_FAULTS):
        s.arm_fault(Fault(500))
    assert f"at most {MAX_FAULTS} faults" in refused(400, s.arm_fault, Fault(500))
    assert len(s.armed_faults()) == MAX_FAULTS


# -- the journal


def record(s: Namespace, method: str, path: str) -> None:
    s.journal.record(method, path, URL(path), ((b"Host", b"x"),), 200)  # the pipeline's write


def test_the_journal_is_read_by_path_method_and_limit_and_cleared() -> None:
    s = space()
    record(s, "GET", "/v1/meetings")
    record(s, "POST", "/v1/rooms")
    record(s, "GET", "/v1/rooms")
    assert [e.path for e in s.requests()] == ["/v1/meetings", "/v1/rooms", "/v1/rooms"]
    assert [e.method for e in s.requests(path="/v1/rooms")] == ["POST", "GET"]
    assert [e.path for e in s.requests(method="GET", limit=1)] == ["/v1/rooms"]
    assert s.clear_requests() == 3
    assert s.requests() == [] and s.clear_requests() == 0


# -- min_stay, and what a reset restores


def test_min_stay_holds_until_a_reset_which_also_drops_faults_and_requests() -> None:
    s = space()
    start = s.world.min_stay
    s.set_min_stay(0)
    s.arm_fault(Fault(500))
    record(s, "GET", "/v1/meetings")
    s.reset()
    assert s.world.min_stay == start
    assert s.armed_faults() == [] and s.requests() == []


# -- the webhook configuration


def accepting(s: Namespace, gate: asyncio.Event | None = None) -> list[str]:
    """The desk's test request answered 200 (after ``gate`` is set, when given); the URLs
    probed."""
    probed: list[str] = []

    async def probe(url: str, key: bytes, basic_auth: str | None) -> Attempt:
        probed.append(url)
        if gate is not None:
            await gate.wait()
        return Attempt(0.0, 200, None, 1.0)

    s.webhooks.sender.probe = probe  # type: ignore[method-assign]
    return probed


async def test_a_webhook_is_created_read_updated_and_deleted() -> None:
    s = space()
    probed = accepting(s)
    hook = await s.create_webhook(HOOK)
    assert probed == [HOOK["url"]] and s.current_webhook() is hook
    assert s.webhook(hook.uuid) is hook
    again = await s.update_webhook(hook.uuid, {"url": "http://127.0.0.1:9/other"})
    assert again.uuid == hook.uuid and again.url.endswith("/other")
    assert s.delete_webhook(hook.uuid) is again
    assert s.current_webhook() is None
    refused(404, s.delete_webhook, hook.uuid)
    refused(404, s.webhook, hook.uuid)


async def test_a_second_webhook_an_unknown_uuid_and_a_bad_field_are_refused() -> None:
    s = space()
    accepting(s)
    hook = await s.create_webhook(HOOK)
    with pytest.raises(ApiError, match="has a webhook already"):
        await s.create_webhook(HOOK)
    with pytest.raises(ApiError, match="not found"):
        await s.update_webhook("0000", HOOK)
    with pytest.raises(ApiError, match="retryType"):
        await s.update_webhook(hook.uuid, {**HOOK, "retryType": "sometimes"})
    assert s.current_webhook() is hook


async def test_a_host_not_allowed_is_refused_without_a_test_request() -> None:
    s = space(Settings(allow=frozenset({"example.org"})))
    probed = accepting(s)
    with pytest.raises(ApiError, match="not one this server sends webhooks to"):
        await s.create_webhook(HOOK)
    assert probed == [] and s.current_webhook() is None


async def test_a_create_holds_the_lock_while_it_probes() -> None:
    s = space()
    gate = asyncio.Event()
    accepting(s, gate)
    creating = asyncio.create_task(s.create_webhook(HOOK))
    await asyncio.sleep(0)
    moved = asyncio.create_task(s.in_turn(lambda: s.advance_clock(5)))
    await asyncio.sleep(0.01)
    assert not moved.done() and s.world.clock.now() == T0  # waits for the probe
    gate.set()
    await creating
    await moved
    assert s.world.clock.now() == T0 + 5


def test_the_timestamp_mode_is_checked_and_the_log_cleared() -> None:
    s = space()
    assert s.set_webhook_timestamp("clock") == "clock"
    assert s.webhooks.timestamp == "clock"
    assert "timestamp: must be wall" in refused(400, s.set_webhook_timestamp, "sometimes")
    assert s.clear_webhook_log() == 0
