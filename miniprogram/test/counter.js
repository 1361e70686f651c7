// The pharmacy's counter, as the test's stand-in terminal: signed requests (API.md "Institutions") over real HTTP.
const crypto = require('crypto')
const http = require('http')
const {state} = require('./server.js')

const INSTITUTION = 'ali-pharmacy'
const SECRET = 'demo-secret-ali-pharmacy'   // services/admin/demo.py: demo-secret-<institution id>

function signed(method, path, body) {
  const raw = body === undefined ? '' : JSON.stringify(body)
  const ts = String(Math.floor(Date.now() / 1000))
  const nonce = crypto.randomBytes(16).toString('hex')
  const digest = crypto.createHash('sha256').update(raw).digest('hex')
  const signature = crypto.createHmac('sha256', SECRET).update([method, path, ts, nonce, digest].join('\n')).digest('hex')
  const headers = {'Content-Type': 'application/json', 'X-Institution-Id': INSTITUTION, 'X-Timestamp': ts,
    'X-Nonce': nonce, 'X-Signature': signature, 'Content-Length': Buffer.byteLength(raw)}
  return new Promise((resolve, reject) => {
    const req = http.request(state().base + path, {method, headers, agent: false}, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString() || 'null')}))
    })
    req.on('error', reject)
    req.end(raw)
  })
}

// Scan the voucher shown on a phone and settle these items; the settlement as the counter received it.
async function settle(voucher, items) {
  const scan = await signed('POST', '/api/v1/counter/scan', {voucher})
  if (scan.status !== 200) throw new Error(`scan: ${JSON.stringify(scan.body)}`)
  const orderNo = `MINI-${Date.now()}-${crypto.randomBytes(3).toString('hex')}`
  const res = await signed('POST', '/api/v1/counter/settlements', {ticket: scan.body.ticket, order_no: orderNo, items})
  if (res.status !== 201) throw new Error(`settle: ${JSON.stringify(res.body)}`)
  return res.body
}

module.exports = {signed, settle}
