"""The domain layer: sessions, the clock, the store and its query engine. No HTTP here."""
