"""The only code that changes a running fake: per-namespace state (sessions, clock, faults,
journal), the namespaces themselves, and the rate limit. Above it, the control plane and the
test handle call it; below it, the domain holds the rules. Nothing here imports aiohttp."""
