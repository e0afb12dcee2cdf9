"""What start-up imports, checked in fresh processes: heavy modules wait for first use.

The pytest plugin is imported by every pytest session of every project that installs
fake-meetings; a test's server should not pay for Faker (generated data only), PyYAML (YAML
scenarios only) or ``importlib.metadata`` (the version is a constant)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("faker", "yaml", "importlib.metadata", "importlib.resources")


def imported(code: str, watched: tuple[str, ...] = HEAVY) -> set[str]:
    """Which of ``watched`` a fresh interpreter has imported after running ``code``."""
    probe = f"import json, sys\n{textwrap.dedent(code)}\n" + (
        f"print(json.dumps([m for m in {list(watched)!r} if m in sys.modules]))"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    env.pop("PYTHONSTARTUP", None)
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_the_package_imports_nothing_heavy() -> None:
    assert imported("import fake_meetings; fake_meetings.__version__") == set()


def test_the_plugin_entry_point_imports_no_server_code() -> None:
    # pytest itself imports importlib.metadata: only what the plugin could add is watched
    watched = ("faker", "yaml", "aiohttp", "fake_meetings.api", "fake_meetings.domain")
    assert imported("import fake_meetings.pytest_plugin", watched) == set()


def test_the_cli_imports_neither_faker_nor_metadata() -> None:
    assert not imported("import fake_meetings.cli") & {"faker", "importlib.metadata"}


def test_the_default_scenario_loads_without_faker() -> None:
    code = """
        from fake_meetings.scenario.loading import load
        load(["default"]).world()
    """
    assert not imported(code) & {"faker", "importlib.metadata", "importlib.resources"}


def test_the_version_constant_is_pyproject_s() -> None:
    import tomllib

    import fake_meetings

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert fake_meetings.__version__ == project["version"]


def test_serving_the_default_scenario_imports_only_what_it_uses() -> None:
    """What ``bench/startup_bench.py`` measures: the shipped sessions, no scenario reader."""
    code = """
        import http.client
        from fake_meetings.config import ServerConfig
        from fake_meetings.scenario.loading import load
        from fake_meetings.testing import ServerThread

        with ServerThread(load(["default"]).world(), ServerConfig(port=0)) as server:
            conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
            conn.request("GET", "/v1/meetings", headers={"Authorization": "Bearer x"})
            assert conn.getresponse().status == 200
    """
    lazy = ("scenario", "generate", "live", "presence")  # first load, generation, join, query
    watched = (
        *HEAVY,
        "zoneinfo",
        "fake_meetings.api.control.scenario",
        *(f"fake_meetings.domain.{name}" for name in lazy),
    )
    assert imported(code, watched) == set()
