"""Errors a request can end in, as Daily names them (contract §5), raised by any layer below the
HTTP one (the state layer, the control plane's input checks) and turned into Daily's envelope
``{"error": ..., "info": ...}`` by ``api/errors.py``. No aiohttp here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

# contract §5: the stable error string of each status this fake answers with
ERROR_NAMES: dict[int, str] = {
    400: "invalid-request-error",
    401: "authentication-error",
    403: "forbidden-error",
    404: "not-found",
    405: "method-not-allowed",
    413: "invalid-request-error",
    429: "rate-limit-error",
    500: "server-error",
}


class ApiError(Exception):
    """Raised anywhere below a handler; the app's pipeline turns it into a response."""

    def __init__(
        self,
        status: int,
        info: str,
        error: str | None = None,
        problems: Sequence[Mapping[str, object]] = (),
    ):
        super().__init__(info)
        self.status = status
        self.error = error or ERROR_NAMES.get(status, "server-error")
        self.info = info
        self.problems = problems  # structured details beside ``info`` (scenario problems)


def invalid(info: str) -> ApiError:
    return ApiError(400, info, "invalid-request-error")


def not_found(info: str) -> ApiError:
    return ApiError(404, info, "not-found")
