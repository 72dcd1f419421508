"""Turnero: the serial-peripherals bridge (LED displays, call buttons). See docs/hardware.md."""
