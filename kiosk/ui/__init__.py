"""Kivy screens of the kiosk (imported only when the kiosk runs)."""
