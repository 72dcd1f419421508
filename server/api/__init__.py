"""Turnero: server/api."""
