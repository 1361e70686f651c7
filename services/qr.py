"""QR images of what citizens show: invitation links and e-vouchers."""
import base64
import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M


def png(content: str, box_size: int = 10) -> bytes:
    """A PNG of a QR code of `content`, with the standard quiet zone so phone scanners read it."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=4)
    code.add_data(content)
    code.make(fit=True)
    buf = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buf, format="PNG")
    return buf.getvalue()


def data_uri(content: str) -> str:
    return "data:image/png;base64," + base64.b64encode(png(content, box_size=8)).decode()
