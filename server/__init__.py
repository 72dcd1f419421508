"""Turnero: server."""
