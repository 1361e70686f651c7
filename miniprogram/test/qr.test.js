// Our QR encoder draws, module for module, what python-qrcode (the server's own QR library) draws for the same text,
// version and mask: byte mode, level M, from a short code through the version-information sizes.
const {execFileSync} = require('child_process')
const path = require('path')
const {BIN} = require('./server.js')
const {encode} = require('../lib/qr.js')

const reference = (text, mask) => JSON.parse(execFileSync(path.join(BIN, 'python'),
  [path.join(__dirname, 'qr-check.py'), text, String(mask)], {encoding: 'utf8'}))

test.each([
  ['A1B2C3D4E5F6G7H8J9K0LMNPQRSTUVWXYZ23456789abcdefgh', 0],   // ≤50 alphanumerics: the voucher's coming form
  ['http://127.0.0.1:8000/i/Z7ZLwwnRhbV7_2KTL2mzbZmCdIQTlFz4', 5],
  ['v1.' + 'x'.repeat(117), 6],                                   // an offline code at its 120-character ceiling
  ['扎西次仁 བཀྲ་ཤིས་ཚེ་རིང', 1],                                   // UTF-8 bytes
  ['q'.repeat(300), 7],                                           // version 13: version information drawn
])('%s with mask %i', (text, mask) => {
  expect(encode(text, mask)).toEqual(reference(text, mask))
})

test('without a mask given, one of the eight is chosen and the size is the smallest that holds the text', () => {
  expect(encode('hello')).toHaveLength(21)
  expect(encode('x'.repeat(120))).toHaveLength(45)
  expect(() => encode('x'.repeat(3000))).toThrow('too long')
})
