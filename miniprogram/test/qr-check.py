"""The reference for test/qr.test.js: python-qrcode's modules (byte mode, level M) of argv[1], given version and mask."""
import json
import sys

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from qrcode.util import MODE_8BIT_BYTE, QRData

text, mask = sys.argv[1], int(sys.argv[2])
code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, mask_pattern=mask, border=0)
code.add_data(QRData(text.encode(), mode=MODE_8BIT_BYTE))
code.make(fit=True)
print(json.dumps([[bool(c) for c in row] for row in code.modules]))
