"""serve --public-url (FAKE_MEETINGS_PUBLIC_URL): the base of recordings' download links."""

from __future__ import annotations

import pytest

from fake_meetings.cli import build_parser
from fake_meetings.cli.options import ENV_PREFIX, UsageError, server_config


def _config(monkeypatch: pytest.MonkeyPatch, argv: list[str], env: str | None = None) -> object:
    monkeypatch.delenv(ENV_PREFIX + "PUBLIC_URL", raising=False)
    if env is not None:
        monkeypatch.setenv(ENV_PREFIX + "PUBLIC_URL", env)
    return server_config(build_parser().parse_args(["serve", *argv])).public_url


def test_public_url_from_the_flag_else_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _config(monkeypatch, []) is None
    assert _config(monkeypatch, [], "http://fake:8080/") == "http://fake:8080"
    flag = ["--public-url", "https://files.test/base"]
    assert _config(monkeypatch, flag, "http://fake:8080") == "https://files.test/base"


@pytest.mark.parametrize("url", ["fake:8080", "ftp://fake", "http://", "http://fake/?a=1"])
def test_a_bad_public_url_is_a_usage_error(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    with pytest.raises(UsageError, match="expected an http or https URL"):
        _config(monkeypatch, ["--public-url", url])
    with pytest.raises(UsageError, match=f"{ENV_PREFIX}PUBLIC_URL"):
        _config(monkeypatch, [], url)
