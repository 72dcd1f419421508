"""Printer on USB, spoken to directly through libusb (pyusb), by vendor and product id."""

from __future__ import annotations

import usb.core
import usb.util
from escpos.escpos import Escpos
from escpos.printer import Usb

from printer.errors import PrinterUnavailable
from printer.transports.base import LINK_TIMEOUT_S, EscposTransport

_TIMEOUT_MS = int(LINK_TIMEOUT_S * 1000)


class UsbPrinter(EscposTransport):
    """``usb:VID:PID`` (hex).  Needs the system library libusb-1.0 and permission on the device.

    The bulk endpoints are read from the device's descriptor, since they differ between models
    (python-escpos assumes 0x01 out / 0x82 in).
    """

    def __init__(self, vendor_id: int, product_id: int) -> None:
        super().__init__()
        self.vendor_id = vendor_id
        self.product_id = product_id
        self.spec = f"usb:{vendor_id:04x}:{product_id:04x}"

    def _connect(self) -> Escpos:
        printer = Usb(idVendor=self.vendor_id, idProduct=self.product_id, timeout=_TIMEOUT_MS)
        try:
            printer.open()
        except usb.core.NoBackendError as err:
            raise PrinterUnavailable(
                f"No se pudo abrir la impresora {self.spec}: falta la biblioteca libusb "
                "(instale el paquete libusb-1.0-0)"
            ) from err
        _use_bulk_endpoints(printer)
        return printer

    def discard_input(self) -> None:
        while self.read_byte(0.05) is not None:
            pass

    def read_byte(self, timeout: float) -> int | None:
        assert self._printer is not None
        try:
            answer = self._printer.device.read(self._printer.in_ep, 64, max(1, int(timeout * 1000)))
        except usb.core.USBTimeoutError:
            return None
        return answer[0] if len(answer) else None


def _use_bulk_endpoints(printer: Usb) -> None:
    """Point python-escpos at the interface's bulk OUT and IN endpoints, if it has them."""
    try:
        interface = printer.device.get_active_configuration()[(0, 0)]
    except (usb.core.USBError, KeyError, IndexError):
        return
    for endpoint in interface:
        if usb.util.endpoint_type(endpoint.bmAttributes) != usb.util.ENDPOINT_TYPE_BULK:
            continue
        if usb.util.endpoint_direction(endpoint.bEndpointAddress) == usb.util.ENDPOINT_OUT:
            printer.out_ep = endpoint.bEndpointAddress
        else:
            printer.in_ep = endpoint.bEndpointAddress
