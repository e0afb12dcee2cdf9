"""``serve``'s webhook options read from flags and FAKE_MEETINGS_* variables (a flag wins),
checked like a POST /webhooks body, with errors that name the flag and never echo the secret."""

from __future__ import annotations

import base64

import pytest

from fake_meetings.cli import build_parser
from fake_meetings.cli.options import UsageError
from fake_meetings.cli.webhook_options import shown_url, webhook_settings
from fake_meetings.webhooks.settings import Settings

SECRET = base64.b64encode(b"s3cret").decode()


def settings(*argv: str) -> Settings:
    return webhook_settings(build_parser().parse_args(["serve", *argv]))


def test_without_options_there_is_no_start_up_webhook(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "URL",
        "HMAC",
        "EVENTS",
        "RETRY",
        "ENDED_DELAY",
        "TIMEOUT",
        "RETRY_DELAYS",
        "ALLOW",
        "OUTBOX",
    ):
        monkeypatch.delenv(f"FAKE_MEETINGS_WEBHOOK_{name}", raising=False)
    got = settings()
    assert got.startup is None and got.ended_delay == 0 and got.allow is None  # any host
    assert got.timing.timeout == 5.0 and got.timing.retry_delays == (1.0, 2.0, 4.0, 8.0)
    assert got.timing.outbox == 10_000


def test_flags_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_MEETINGS_WEBHOOK_URL", "http://env.example/hooks")
    monkeypatch.setenv("FAKE_MEETINGS_WEBHOOK_HMAC", SECRET)
    monkeypatch.setenv("FAKE_MEETINGS_WEBHOOK_ENDED_DELAY", "20")
    got = settings(
        "--webhook-url",
        "http://flag.example/hooks",
        "--webhook-events",
        "meeting.ended, participant.left",
        "--webhook-retry",
        "exponential",
        "--webhook-timeout",
        "0.5",
        "--webhook-retry-delays",
        "0,0.1,0.2,0.3",
    )
    assert got.startup == {
        "url": "http://flag.example/hooks",
        "hmac": SECRET,
        "retryType": "exponential",
        "eventTypes": ["meeting.ended", "participant.left"],
    }
    assert got.ended_delay == 20
    assert got.timing.timeout == 0.5 and got.timing.retry_delays == (0.0, 0.1, 0.2, 0.3)
    assert SECRET not in repr(got)  # the secret is not in the settings' repr


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["--webhook-url", "ftp://x/"], "--webhook-url"),
        (["--webhook-url", "http://x/", "--webhook-hmac", "not base64!"], "--webhook-hmac"),
        (
            ["--webhook-url", "http://x/", "--webhook-events", "meeting.exploded"],
            "--webhook-events",
        ),
        (["--webhook-hmac", SECRET], "--webhook-url"),
        (["--webhook-timeout", "0"], "--webhook-timeout"),
        (["--webhook-retry-delays", "1,2"], "--webhook-retry-delays"),
        (["--webhook-ended-delay", "-1"], "--webhook-ended-delay"),
        (["--webhook-outbox", "0"], "--webhook-outbox"),
        (["--webhook-outbox", "1000001"], "--webhook-outbox"),
        (["--webhook-allow", "http://receiver/"], "--webhook-allow"),
        (["--webhook-allow", "receiver:8080"], "--webhook-allow"),
        (["--webhook-allow", "receiver,,b"], "--webhook-allow"),
        (["--webhook-allow", "receiver", "--webhook-url", "http://other:8080/"], "--webhook-allow"),
    ],
)
def test_bad_values_name_the_flag(
    argv: list[str], named: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FAKE_MEETINGS_WEBHOOK_URL", raising=False)
    with pytest.raises(UsageError) as caught:
        settings(*argv)
    assert named in str(caught.value)
    assert "not base64!" not in str(caught.value)


def test_a_url_is_shown_without_its_credentials() -> None:
    assert shown_url("https://user:pw@host:8443/a/b?c=d") == "https://host:8443/a/b?c=d"
    assert shown_url("http://host/x") == "http://host/x"


def test_webhook_allow_from_flag_or_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FAKE_MEETINGS_WEBHOOK_URL", raising=False)
    monkeypatch.setenv("FAKE_MEETINGS_WEBHOOK_ALLOW", "Receiver., 127.0.0.1 ,[::1],bücher.example")
    got = settings("--webhook-url", "http://RECEIVER:8080/hooks")
    assert got.allow == {"receiver", "127.0.0.1", "::1", "xn--bcher-kva.example"}
    assert got.allows("http://receiver./x") and got.allows("http://[0::1]:9/")
    assert not got.allows("http://127.0.0.2/") and not got.allows("http://2130706433/")
    assert not got.allows("http://receiver@evil.example/") and not got.allows("not a url")
    assert settings("--webhook-allow", "localhost").allow == {"localhost"}  # the flag wins


def test_webhook_outbox_from_flag_or_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_MEETINGS_WEBHOOK_OUTBOX", "250")
    assert settings().timing.outbox == 250
    assert settings("--webhook-outbox", "7").timing.outbox == 7  # the flag wins
    monkeypatch.setenv("FAKE_MEETINGS_WEBHOOK_OUTBOX", "lots")
    with pytest.raises(UsageError, match="FAKE_MEETINGS_WEBHOOK_OUTBOX"):
        settings()
