"""Turnero: hardware."""
