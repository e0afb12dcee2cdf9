"""JSON bytes exactly as JavaScript's ``JSON.stringify(value)`` writes them.

Receivers verify a webhook's signature over the body; some hash the raw bytes, others parse the
body and hash ``JSON.stringify`` of the result. Both verify only if the bytes sent are what
``JSON.stringify`` makes of the event, so the fake writes them that way:

- compact (no spaces); object keys in JavaScript's property order: the array-index keys
  (``"0"`` to ``"4294967294"``, without leading zeros) first, ascending, then the others in
  insertion order;
- strings: ``"`` and ``\\`` escaped, the controls below U+0020 as ``\\b \\t \\n \\f \\r`` or
  ``\\u00xx``, lone surrogates as ``\\udxxx`` (ES2019 well-formed stringify), everything else
  (non-ASCII, U+2028, ``/``) written as is;
- numbers: integers as digits; a float as JavaScript's ``Number.prototype.toString``: an
  integral value without ``.0``, the shortest digits that round-trip, exponent form only below
  1e-6 or from 1e21 (``1e+21``, ``1.5e-7``); NaN and infinities as ``null``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}
_NEEDS_ESCAPE = re.compile('["\\\\\x00-\x1f\ud800-\udfff]')
_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def stringify(value: object) -> bytes:
    """The UTF-8 bytes of ``JSON.stringify(value)`` for JSON-shaped Python values (dict with
    str keys, list/tuple, str, int, float, bool, None)."""
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts).encode("utf-8")


def _write(value: object, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(js_string(value))
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, float):
        out.append(js_number(value))
    elif isinstance(value, Mapping):
        out.append("{")
        for i, (key, item) in enumerate(_js_order(value)):
            if i:
                out.append(",")
            out.append(js_string(str(key)))
            out.append(":")
            _write(item, out)
        out.append("}")
    elif isinstance(value, Sequence):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _write(item, out)
        out.append("]")
    else:
        raise TypeError(f"not a JSON value: {type(value).__name__}")


def _js_order(value: Mapping[object, object]) -> list[tuple[str, object]]:
    items = [(str(k), v) for k, v in value.items()]
    indexes = sorted((int(k), k, v) for k, v in items if _is_index(k))
    if not indexes:
        return items
    return [(k, v) for _, k, v in indexes] + [(k, v) for k, v in items if not _is_index(k)]


def _is_index(key: str) -> bool:
    """Whether JavaScript treats ``key`` as an array index (ordered first, numerically)."""
    return (
        key.isascii() and key.isdigit() and (key == "0" or key[0] != "0") and int(key) <= 4294967294
    )


def js_string(text: str) -> str:
    if not _NEEDS_ESCAPE.search(text):
        return f'"{text}"'
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch < " ":
            out.append(f"\\u{ord(ch):04x}")
        elif "\ud800" <= ch <= "\udfff":
            if _PAIR.match(text, i):  # a well-formed pair (only from surrogate-passing input)
                out.append(text[i : i + 2].encode("utf-16", "surrogatepass").decode("utf-16"))
                i += 2
                continue
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
        i += 1
    return '"' + "".join(out) + '"'


def js_number(x: float) -> str:
    """``String(x)`` in JavaScript for a double."""
    if math.isnan(x) or math.isinf(x):
        return "null"
    if x == 0:
        return "0"  # -0 too: JSON.stringify(-0) is "0"
    sign = "-" if x < 0 else ""
    # Python's repr is the shortest round-tripping digits too; only the layout differs.
    mantissa, _, exp_text = repr(abs(x)).partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = (whole + frac).lstrip("0") or "0"
    # the decimal exponent n such that value = 0.d1d2... x 10^n
    n = len(whole) + (int(exp_text) if exp_text else 0)
    if whole == "0":  # 0.000ddd: leading zeros of the fraction shift n down
        n = -(len(frac) - len(frac.lstrip("0")))
    digits = digits.rstrip("0") or "0"
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    exponent = n - 1
    mark = "+" if exponent > 0 else "-"
    body = digits[0] + ("." + digits[1:] if k > 1 else "")
    return f"{sign}{body}e{mark}{abs(exponent)}"
