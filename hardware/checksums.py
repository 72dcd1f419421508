"""Checksums LED displays append to a frame. Pure functions of the covered bytes.

Which bytes are covered is decided by the frame (see ``frames.py``): every byte rendered before
``{checksum}``, minus the first ``checksum_skip`` bytes (often the STX a protocol sheet leaves
out). Each function returns the bytes to append:

- ``none``: nothing.
- ``xor``: one byte, the XOR of the covered bytes ("BCC" in many sheets).
- ``sum8``: one byte, the sum of the covered bytes modulo 256.
- ``lrc``: one byte, the two's complement of that sum, so covered bytes + LRC sum to 0 (the LRC
  of Modbus ASCII, computed over raw bytes).
- ``crc16-modbus``: two bytes, CRC-16/MODBUS (poly 0x8005 reflected, init 0xFFFF), low byte
  first as Modbus RTU sends it. Check value: "123456789" → 0x4B37, sent as 37 4B.
"""

from __future__ import annotations

from collections.abc import Callable


def none(data: bytes) -> bytes:
    return b""


def xor(data: bytes) -> bytes:
    value = 0
    for b in data:
        value ^= b
    return bytes([value])


def sum8(data: bytes) -> bytes:
    return bytes([sum(data) & 0xFF])


def lrc(data: bytes) -> bytes:
    return bytes([(-sum(data)) & 0xFF])


def crc16_modbus_value(data: bytes) -> int:
    crc = 0xFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def crc16_modbus(data: bytes) -> bytes:
    return crc16_modbus_value(data).to_bytes(2, "little")


ALGORITHMS: dict[str, Callable[[bytes], bytes]] = {
    "none": none, "xor": xor, "sum8": sum8, "lrc": lrc, "crc16-modbus": crc16_modbus,
}
