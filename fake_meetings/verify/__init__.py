"""``fake-meetings verify``: the same read-only questions asked of a Daily account and of the
fake serving that account's capture, and every difference in the answers classified.

- ``bounds.py``: every limit of a run, in one place (documented in the hardening reference);
- ``query.py``: one question (a GET), written in the capture's names, resolved per side;
- ``view.py``: the capture as the questions need it (sessions in list order, rooms);
- ``mix.py``: the questions derived from the capture;
- ``sides.py``: the account's answers brought into the capture's names (pseudonyms, room ids);
- ``jsondiff.py``: the differences of two JSON answers, by JSON path;
- ``seen.py`` and ``classify.py``: what the account's answers show of its data now, and each
  difference's class (``fake``, ``drift``, ``time``, ``ignored``);
- ``ignores.py``, ``report.py``, ``fixtures.py``: the ``--ignore`` file, the summary and the
  JSON report, the regression tests of ``--fixtures``;
- ``run.py``: the questions asked of both sides and the answers compared.
"""
