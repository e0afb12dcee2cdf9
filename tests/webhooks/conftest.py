"""The real JavaScript for the webhook tests: one ``node`` process for the whole session.

``js_stringify(value)`` sends ``value`` to node as one line of ASCII-only JSON (Python's
``json.dumps`` with ``ensure_ascii=True``, so lone surrogates travel as ``\\udxxx`` escapes and
no raw line break can split the line), node answers ``JSON.stringify(JSON.parse(line))`` as
base64 of its UTF-8 bytes on one line, and the fixture returns those bytes. Tests that use it
are skipped, with the reason, where ``node`` is not installed.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from collections.abc import Callable, Iterator

import pytest

JsStringify = Callable[[object], bytes]

# JSON.parse then JSON.stringify each input line; an error is answered as "!<message>"
_SCRIPT = r"""
const rl = require("readline").createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on("line", (line) => {
  let out;
  try {
    out = Buffer.from(JSON.stringify(JSON.parse(line)), "utf8").toString("base64");
  } catch (e) {
    out = "!" + String(e).replace(/\s+/g, " ");
  }
  process.stdout.write(out + "\n");
});
"""


@pytest.fixture(scope="session")
def js_stringify() -> Iterator[JsStringify]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: these tests compare with JavaScript's JSON.stringify")
    proc = subprocess.Popen(
        [node, "-e", _SCRIPT], stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0
    )
    assert proc.stdin is not None and proc.stdout is not None
    stdin, stdout = proc.stdin, proc.stdout

    def stringify(value: object) -> bytes:
        line = json.dumps(value, ensure_ascii=True, allow_nan=False)
        assert "\n" not in line and "\r" not in line
        stdin.write(line.encode("ascii") + b"\n")
        answer = stdout.readline()
        assert answer.endswith(b"\n"), f"node stopped answering (exit {proc.poll()})"
        text = answer.decode("ascii").rstrip("\n")
        assert not text.startswith("!"), f"node could not take {line[:200]}: {text}"
        return base64.b64decode(text, validate=True)

    try:
        yield stringify
    finally:
        stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        stdout.close()
