# syntax=docker/dockerfile:1
# The syntax line above makes `docker build` fetch a current Dockerfile frontend, so the
# HEALTHCHECK --start-interval flag below also builds on Docker Engine < 25 (with BuildKit).
#
# fake-meetings as a container, e.g. a CI service container:
#
#   docker build -t fake-meetings .
#   docker run --rm -p 8080:8080 fake-meetings
#   curl -H 'Authorization: Bearer x' http://localhost:8080/v1/meetings
#
# Your own scenarios: mount a directory on /scenarios and name a file in it (several files are
# separated by ':'); without FAKE_MEETINGS_SCENARIO the bundled `default` scenario is served:
#
#   docker run --rm -p 8080:8080 -v "$PWD/scenarios:/scenarios:ro" \
#     -e FAKE_MEETINGS_SCENARIO=/scenarios/my.yaml fake-meetings
#
# Every other option is a FAKE_MEETINGS_* variable too (docs/reference/cli.md), e.g.
# -e FAKE_MEETINGS_NOW=2024-06-01T12:00:00Z or -e FAKE_MEETINGS_API_KEY=secret. To use another
# port set FAKE_MEETINGS_PORT (not --port): the HEALTHCHECK reads that variable.

# ---- stage 1: build the wheel (the bundled fixtures/ go inside it) ----
FROM python:3.11-slim-bookworm AS build

WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY fake_meetings/ fake_meetings/
COPY fixtures/ fixtures/
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

# ---- stage 2: the runtime image: the wheel and its dependencies, nothing else ----
FROM python:3.11-slim-bookworm

LABEL org.opencontainers.image.title="fake-meetings" \
      org.opencontainers.image.description="A local, deterministic fake of Daily's REST API (meetings, rooms, meeting tokens, presence, webhooks, recordings, transcripts) for integration tests, with a control plane and capture and verify commands." \
      org.opencontainers.image.version="0.1.0" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.base.name="docker.io/library/python:3.11-slim-bookworm"

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    FAKE_MEETINGS_HOST=0.0.0.0 \
    FAKE_MEETINGS_PORT=8080

COPY --from=build /wheels/ /tmp/wheels/
# A non-root user with a fixed numeric uid/gid (for runAsNonRoot-style policies); /scenarios is
# the documented mount point for users' scenario files (readable by that user; mount it :ro).
RUN pip install --no-cache-dir --disable-pip-version-check --root-user-action=ignore \
        /tmp/wheels/*.whl \
    && rm -rf /tmp/wheels \
    && groupadd --gid 10001 fake-meetings \
    && useradd --uid 10001 --gid 10001 --no-log-init --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin fake-meetings \
    && mkdir /scenarios

# No VOLUME instruction on purpose: it would create an anonymous volume on every run. Mount
# your scenarios with -v "$PWD/scenarios:/scenarios:ro" (or a compose/CI volume) instead.
USER 10001:10001
EXPOSE 8080

# Healthy once GET /_fake/health answers 200. No curl in the image, so Python's urllib does it;
# urlopen raises on a refused connection, a timeout or an HTTP error, and Python then exits 1.
# Exec form (no shell): the port is read the way ${FAKE_MEETINGS_PORT:-8080} would expand.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --start-interval=1s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; port = os.environ.get('FAKE_MEETINGS_PORT') or '8080'; sys.exit(urllib.request.urlopen(f'http://127.0.0.1:{port}/_fake/health', timeout=2).status != 200)"]

# `docker run IMAGE` serves; `docker run IMAGE validate /scenarios/my.yaml` checks files instead.
ENTRYPOINT ["fake-meetings"]
CMD ["serve"]
