"""Turnero: server/queue."""
