"""Every bound of ``fake-meetings verify`` (the hardening reference lists them)."""

MAX_REQUESTS = 3_000  # --max-requests' default: questions asked of each side
MAX_ROOMS_ASKED = 20  # rooms whose own questions (filters, presence, the room) are asked
MAX_SESSIONS_ASKED = 40  # sessions asked for one by one (with their participants)
MAX_STARTS = 6  # start times the timeframe questions are built around
MAX_WALK_PAGES = 50  # pages of 100 of the whole listing (drift is seen in the sessions they hold)
MAX_DIFFS_PER_ANSWER = 50  # differences kept of one answer (the rest are counted)
MAX_DIFFERENCES = 10_000  # differences kept in all (the rest are counted)
MAX_SHOWN = 50  # `fake` differences printed on stdout (the report has all those kept)
MAX_VALUE = 400  # characters of a value printed on stdout
MAX_IGNORE_BYTES = 1024 * 1024  # size of the --ignore file
MAX_IGNORES = 1_000  # entries of the --ignore file
MAX_FIXTURES = 200  # regression tests --fixtures writes
MAX_SLICE = 2_000  # sessions of one regression test's scenario slice
