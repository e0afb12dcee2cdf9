"""Constants shared by the tests."""

NOW = 1_717_243_200  # 2024-06-01T12:00:00Z, the frozen clock of every test world
DAY = 86_400
AUTH = {"Authorization": "Bearer test-key"}
TIMEOUT = 10  # seconds, for every HTTP request
MIN_STAY = 10  # Daily's ten-second rule: /meetings shows a stay once it has lasted this long
