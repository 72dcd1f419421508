"""Turnero: kiosk."""
