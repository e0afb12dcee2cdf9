"""The OpenAPI document of the Daily routes (``document.py``), with one module of paths and
schemas per family."""
