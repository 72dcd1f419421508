"""Turnero: display — the TV board (/display) with offline spoken announcements.

See docs/display.md. ``routes.install(app, cache_dir)`` registers it on the server.
"""
