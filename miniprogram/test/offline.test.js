// With no network (wx.request failing) the voucher page shows the next code of the offline book kept in storage,
// its countdown and the offline mark; a code the counter scanned is never shown again; a new login forgets the book.
const {signedIn} = require('./phones.js')
const {settle} = require('./counter.js')
const {encode} = require('../lib/qr.js')

const drawn = (page) => page.all('.qr--r').map((r) => [...r.children].map((c) => c.className.includes('qr--d')))

test('the voucher page shows the next stored code with its countdown and an offline mark when the network is gone', async () => {
  const drolma = await signedIn('drolma')
  const online = await drolma.open('/pages/voucher/voucher')
  expect(online.has('#offline-mark')).toBe(false)
  const book = drolma.storage.get('gj.offline') && JSON.parse(drolma.storage.get('gj.offline'))
  expect(book.codes.length).toBe(15)
  online.close()

  drolma.offline = true
  const page = await drolma.open('/pages/voucher/voucher')
  expect(page.has('#notice')).toBe(false)
  expect(page.text('#offline-mark')).toBe('离线 · 此码只能用一次')
  expect(page.text('#voucher-payload')).toBe(book.codes[0])
  expect(drawn(page)).toEqual(encode(book.codes[0]))
  expect(page.text('#voucher-left')).toMatch(/^(\d+ 小时 \d+ 分|1[0-4]:\d\d )后过期$/)   // the book's own expiry (OFFLINE_VOUCHER_TTL_SECONDS)
  expect(page.text('#offline-left')).toBe('离线码还剩 15 个')

  // The counter (online) scans it; the phone is told by the person's tap and shows the next one.
  const settled = await settle(book.codes[0], [{code: 'XB0202', quantity: 1, unit_price_fen: 1200}])
  expect(settled.channel).toBe('offline_voucher')
  await page.tap('next-code')
  expect(page.text('#voucher-payload')).toBe(book.codes[1])
  expect(page.text('#offline-left')).toBe('离线码还剩 14 个')

  // Back online, the page shows a fresh voucher by itself; the book drops the scanned code (the server says which
  // codes are still live).
  await page.network(true)
  expect(page.has('#offline-mark')).toBe(false)
  expect(book.codes).not.toContain(page.text('#voucher-payload'))
  const kept = JSON.parse(drolma.storage.get('gj.offline')).codes
  expect(kept).toEqual(book.codes.slice(1))   // only the scanned one is gone
})

test('with no network and no book the page says so, and a new login on the phone forgets the previous book', async () => {
  const sonam = await signedIn('sonam')
  await sonam.open('/pages/voucher/voucher')
  expect(sonam.storage.has('gj.offline')).toBe(true)
  const login = await sonam.open('/pages/login/login')
  sonam.login = 'gesang'
  await login.tap('login')
  expect(sonam.storage.has('gj.offline')).toBe(false)
  sonam.offline = true
  const page = await sonam.open('/pages/voucher/voucher')
  expect(page.text('#offline-mark')).toBe('离线 · 此码只能用一次')
  expect(page.text('#voucher-left')).toBe('没有可用的离线码，请联网后刷新。')
  expect(page.text('#voucher-payload')).toBe('')
})
