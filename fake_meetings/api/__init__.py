"""The HTTP layer (aiohttp lives only here): parameters, errors, rendering, routes, the app."""
