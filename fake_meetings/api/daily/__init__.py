"""Daily's routes under ``/v1``, one module per family: each parses the request, asks the
domain or the state layer, and renders."""
