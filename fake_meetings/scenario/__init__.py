"""Scenario files in and out: YAML/JSON reading with line numbers (and the fast reader),
validation, the ``generate:`` and ``recordings:`` blocks, dumps, capture's file output,
pseudonyms, the bundled scenarios and loading. The rules it builds from them live in ``domain/``."""
