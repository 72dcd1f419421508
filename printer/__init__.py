"""Turnero: printer."""
