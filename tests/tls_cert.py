"""A throwaway self-signed certificate for 127.0.0.1, made with the openssl command."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from pathlib import Path

from tests.conftest import need


def self_signed(folder: Path, name: str = "turnero") -> tuple[Path, Path]:
    """``(certificate, key)`` in PEM, valid for 127.0.0.1 and localhost for two days."""
    need(shutil.which("openssl") is not None, "openssl")
    cert, key = folder / f"{name}.crt", folder / f"{name}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
         "-subj", "/CN=Turnero prueba",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True, timeout=30)
    return cert, key


def trusting(cert: Path) -> ssl.SSLContext:
    """A client context that trusts exactly this certificate (and checks the host name)."""
    return ssl.create_default_context(cafile=str(cert))
