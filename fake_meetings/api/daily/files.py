"""Files that download: a recording's access link (``GET /recordings/:id/access-link``) and a
transcript's (``GET /transcript/:id/access-link``) point at the fake itself, signed, expiring
URLs like S3's presigned ones::

    {base}/_fake/files/recordings/<id>.mp4?expires=<unix s>&signature=<HMAC>
    {base}/_fake/files/transcripts/<id>.vtt?expires=<unix s>&signature=<HMAC>

(``&ns=<tag>`` too with ``--namespaces``: which namespace's recording and clock). ``base`` is
``--public-url`` (FAKE_MEETINGS_PUBLIC_URL), else the scheme and host the access-link request
was sent to. The signature is HMAC-SHA256 with a secret derived from the server's (per server,
never shown) over the id, the expiry and the namespace tag.

The file is ``domain/mp4.py``'s MP4 of the recording's duration, ``Content-Disposition:
attachment`` (``inline`` when the domain's ``recordings_bucket`` allows streaming from it);
a transcript's is ``domain/vtt.py``'s WebVTT (``text/vtt``), when its file is
stored (``isVttAvailable``). As S3 refuses a presigned URL, a tampered link is a 403
``SignatureDoesNotMatch`` and an expired one (the namespace's server clock past ``expires``) a
403 ``AccessDenied`` ("Request has expired"); a recording or transcript that is gone (deleted,
not finished at the clock's instant, or a transcript whose file was not stored) is a 404
``NoSuchKey``: S3's XML error body, ``application/xml``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from urllib.parse import quote, urlencode

from aiohttp import web
from aiohttp.typedefs import Handler

from ...domain import transcripts as tr
from ...domain.domainconfig import bucket_flag
from ...domain.mp4 import mp4_file
from ...domain.recordings import FINISHED, Recording, s3_key, seen_at
from ...domain.vtt import webvtt
from ...state.namespaces import Namespace
from ..keys import CONFIG, NAMESPACES

PREFIX = "/_fake/files/recordings/"
SUFFIX = ".mp4"
VTT_PREFIX = "/_fake/files/transcripts/"
VTT_SUFFIX = ".vtt"
_VTT_SIGNED = "transcript/"  # signed as this + the id: a recording's signature opens no transcript
NS_TAG_LENGTH = 16  # hex characters of a namespace's tag


class Signer:
    """Signs and checks download links with a per-server secret."""

    def __init__(self, server_secret: str):
        self._key = hmac.new(
            server_secret.encode("utf-8", "surrogateescape"), b"files", hashlib.sha256
        ).digest()

    def tag(self, api_key: str) -> str:
        """The opaque name of ``api_key``'s namespace in a link (never the key itself)."""
        mac = hmac.new(self._key, b"ns|" + api_key.encode("utf-8", "surrogateescape"), "sha256")
        return mac.hexdigest()[:NS_TAG_LENGTH]

    def signature(self, rec_id: str, expires: int, ns: str) -> str:
        message = f"{rec_id}|{expires}|{ns}".encode("utf-8", "surrogateescape")
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def valid(self, rec_id: str, expires: str, ns: str, signature: str) -> bool:
        if not (expires.isascii() and expires.isdigit()) or len(expires) > 20:
            return False
        expected = self.signature(rec_id, int(expires), ns)
        return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))


SIGNER = web.AppKey("files_signer", Signer)


def _link(request: web.Request, space_key: str | None, path: str, signed: str, expires: int) -> str:
    signer = request.app[SIGNER]
    config = request.app[CONFIG]
    ns = signer.tag(space_key) if space_key is not None else ""
    base = config.public_url or f"{request.scheme}://{request.host}"
    query = {"expires": str(expires)}
    if ns:
        query["ns"] = ns
    query["signature"] = signer.signature(signed, expires, ns)
    return f"{base.rstrip('/')}{path}?{urlencode(query)}"


def download_link(
    request: web.Request, space_key: str | None, recording: Recording, expires: int
) -> str:
    """The signed link to ``recording``'s file, valid until ``expires`` (server clock)."""
    path = PREFIX + quote(recording.id, safe="") + SUFFIX
    return _link(request, space_key, path, recording.id, expires)


def transcript_link(
    request: web.Request, space_key: str | None, transcript: tr.Transcript, expires: int
) -> str:
    """The signed link to ``transcript``'s WebVTT file, valid until ``expires``."""
    path = VTT_PREFIX + quote(transcript.id, safe="") + VTT_SUFFIX
    return _link(request, space_key, path, _VTT_SIGNED + transcript.id, expires)


def _s3_error(status: int, code: str, message: str) -> web.Response:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    )
    return web.Response(status=status, text=body, content_type="application/xml")


def _namespace(request: web.Request, ns: str) -> Namespace | None:
    spaces = request.app[NAMESPACES]
    if not ns:
        return spaces.default
    signer = request.app[SIGNER]
    keys = spaces.keys()  # at most --max-namespaces of them
    for key in keys:
        if hmac.compare_digest(signer.tag(key), ns):
            return spaces.get(key)
    return None


STREAMING = "allow_streaming_from_bucket"  # read when the file is served: no per-file record
_NO_KEY = (404, "NoSuchKey", "The specified key does not exist.")


def _opened(request: web.Request, suffix: str, signed: str) -> tuple[str, Namespace] | web.Response:
    """The id and namespace a signed link names, or S3's refusal: a bad signature, an
    unknown namespace, an expired link (by that namespace's clock)."""
    name = request.match_info["file"]
    query = request.query
    the_id = name[: -len(suffix)] if name.endswith(suffix) else None
    expires, ns = query.get("expires", ""), query.get("ns", "")
    signature = query.get("signature", "")
    if the_id is None or not request.app[SIGNER].valid(signed + the_id, expires, ns, signature):
        return _s3_error(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
        )
    space = _namespace(request, ns)
    if space is None:
        return _s3_error(*_NO_KEY)
    if space.world.clock.now() > int(expires):
        return _s3_error(403, "AccessDenied", "Request has expired")
    return the_id, space


async def recording_file(request: web.Request) -> web.StreamResponse:
    opened = _opened(request, SUFFIX, "")
    if isinstance(opened, web.Response):
        return opened
    rec_id, space = opened
    world = space.world
    now = world.clock.now()
    recording = world.recordings.visible(rec_id, now)
    seen = None
    if recording is not None:
        seen = seen_at(recording, world.store.get(recording.mtg_session_id), now)
    if seen is None or seen.status != FINISHED or seen.duration is None:
        return _s3_error(*_NO_KEY)
    filename = s3_key(seen.recording, request.app[CONFIG].domain).rsplit("/", 1)[-1] + SUFFIX
    # Daily's own bucket: an attachment; a custom one: inline if it allows streaming from it
    streamed = bucket_flag(world.domain.properties, "recordings_bucket", STREAMING)
    how = "inline" if streamed else "attachment"
    return web.Response(
        body=mp4_file(seen.duration),
        content_type="video/mp4",
        headers={"Content-Disposition": f'{how}; filename="{filename}"'},
    )


async def transcript_file(request: web.Request) -> web.StreamResponse:
    opened = _opened(request, VTT_SUFFIX, _VTT_SIGNED)
    if isinstance(opened, web.Response):
        return opened
    tr_id, space = opened
    world = space.world
    now = world.clock.now()
    transcript = world.transcripts.visible(tr_id, now)
    if transcript is None:
        return _s3_error(*_NO_KEY)
    session = world.store.get(transcript.mtg_session_id)
    seen = tr.seen_at(transcript, session, now)
    if not seen.vtt_available or seen.stop is None:
        return _s3_error(*_NO_KEY)
    stays = session.participants if session is not None else ()
    text = webvtt(transcript.id, stays, transcript.start_ts, seen.stop)
    place = tr.place_of(world.domain.properties, request.app[CONFIG].domain)
    filename = tr.vtt_key(transcript, place.domain, place.template).rsplit("/", 1)[-1]
    return web.Response(
        body=text.encode(),
        content_type="text/vtt",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def add_routes(app: web.Application, wrap: Callable[[Handler], Handler], secret: str) -> None:
    app[SIGNER] = Signer(secret)
    app.router.add_get(PREFIX + "{file}", wrap(recording_file))
    app.router.add_get(VTT_PREFIX + "{file}", wrap(transcript_file))
