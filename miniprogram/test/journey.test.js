// Two phones, the benefactor tashi and his father (the relative), against the real server: invite -> the shared card
// opened and accepted -> the father moves his son first in his payment order -> his voucher, drawn on the phone, is
// settled at the pharmacy's signed counter -> tashi's phone shows the statement line and the message.
const {signedIn} = require('./phones.js')
const {settle} = require('./counter.js')
const {encode} = require('../lib/qr.js')

test('invite, share-card accept, reorder, voucher, settle; the benefactor sees the statement and the message', async () => {
  // A second helper first: the father's other son (phuntsok) invites him; the father scans that QR from home.
  const phuntsok = await signedIn('phuntsok')
  const invite1 = await phuntsok.open('/pages/invite/invite')
  await invite1.change('relation', 1)   // parent
  await invite1.tap('make')
  const link = invite1.data.inv.qr_content
  expect(link).toMatch(/\/i\/[\w-]+$/)
  const father = await signedIn('father')
  father.scanResult = link
  const home = await father.open('/pages/home/home')
  await home.tap('scan')
  const scanned = father.nav.pop()
  expect(scanned).toMatch(/^\/pages\/open\/open\?code=/)
  let open = await father.open(scanned)
  expect(open.text('#who')).toContain('平* 邀请您（其父母）')
  await open.tap('accept')
  expect(father.toasts.pop()).toBe('已接受，对方的个人账户已加入您的共济顺序。')

  // tashi invites his father and shares the invitation as a card; the father opens the card.
  const tashi = await signedIn('tashi')
  const invite = await tashi.open('/pages/invite/invite')
  await invite.change('relation', 1)
  await invite.tap('make')
  expect(invite.text('#invite-scan')).toBe('请父母用微信扫码')
  expect(invite.text('#invite-left')).toMatch(/后过期$/)
  const qrRows = invite.all('.qr--r')
  expect(qrRows.length).toBe(encode(invite.data.inv.qr_content).length)
  expect(tashi.subscribed.pop()).toEqual(['TPL_INVITATION_ACCEPTED', 'TPL_AID_PAID', 'TPL_BINDING_ENDED'])
  const card = invite.instance.onShareAppMessage()
  expect(card.path).toBe(`/pages/open/open?code=${invite.data.inv.code}`)
  open = await father.open(card.path)
  expect(open.text('#who')).toContain('扎*** 邀请您（其父母）')
  await open.tap('accept')
  expect(father.subscribed.pop()).toEqual(['TPL_BINDING_ENDED', 'TPL_PREMIUM_PAID', 'TPL_VOUCHER_BY_PROXY'])

  // The father's order: phuntsok (first to bind), then tashi; ↑ on tashi puts him first, with If-Match.
  const helpers = await father.open('/pages/helpers/helpers')
  expect(helpers.data.helpers.map((h) => h.benefactor.name_masked)).toEqual(['平*', '扎***'])
  const tashiBinding = helpers.data.helpers[1].binding_id
  await helpers.tap(`up-${tashiBinding}`)
  const put = father.calls.filter((c) => c.method === 'PUT').pop()
  expect(put.header['If-Match']).toMatch(/\S/)
  expect(helpers.data.helpers.map((h) => h.benefactor.name_masked)).toEqual(['扎***', '平*'])
  expect(helpers.text('#helpers')).toBe('☰1扎***· 子女↑↓☰2平*· 子女↑↓')

  // His e-voucher, drawn on his phone from the payload; the pharmacy scans it and settles ¥50.00 of medicine.
  const voucher = await father.open('/pages/voucher/voucher')
  const payload = voucher.text('#voucher-payload')
  expect(payload.length).toBeGreaterThan(10)
  expect(voucher.text('#voucher-left')).toMatch(/^[01]:\d\d 后过期$/)
  const drawn = voucher.all('.qr--r').map((r) => [...r.children].map((c) => c.className.includes('qr--d')))
  expect(drawn).toEqual(encode(payload))
  const settlement = await settle(payload, [{code: 'XA0101', quantity: 2, unit_price_fen: 2500}])
  expect(settlement.mutual_aid).toEqual([expect.objectContaining({amount_fen: 5000, benefactor: {name_masked: '扎***'}})])
  voucher.close()

  // tashi's phone: the unread badge, the statement line, the message.
  const tashiHome = await tashi.open('/pages/home/home')
  expect(Number(tashiHome.text('#unread'))).toBeGreaterThanOrEqual(2)   // accepted, and paid for
  const statements = await tashi.open('/pages/statements/statements')
  expect(statements.text('#entries')).toMatch(/为亲属支付 · 次\*\*\*（父母） · 电子凭证[\d: -]+ · 噶尔县雪域大药房-¥50\.00/)
  const messages = await tashi.open('/pages/messages/messages')
  expect(messages.text('#messages')).toMatch(/¥50\.00/)
  const again = await tashi.open('/pages/home/home')
  expect(again.has('#unread')).toBe(false)   // seen: the badge is gone
})
