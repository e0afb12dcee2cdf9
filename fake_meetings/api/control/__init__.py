"""The control plane under ``/_fake/``: thin adapters over the state layer's commands."""
