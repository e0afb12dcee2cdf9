"""The suite's fixtures live in ``tests/helpers/fixtures.py`` and its shared helpers (scenario
builders, clients, constants, subprocess servers) in the other modules of ``tests/helpers/``.
Test modules import helpers from there (``from tests.helpers.scenarios import ...``)."""

import pytest

# Before any helper is imported: their asserts (``ok``, ``error``, ``check_int_times``) report
# values as the asserts of a test module do.
pytest.register_assert_rewrite("tests.helpers")

pytest_plugins = ["tests.helpers.fixtures"]
