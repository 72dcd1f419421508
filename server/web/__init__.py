"""Turnero: server/web (staff pages and static assets)."""
