"""Turnero: display."""
