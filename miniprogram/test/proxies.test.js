// Family proxy (亲情账户) on the phones: the carer adds a relative, the relative approves (or declines), and the
// carer shows the relative's voucher (POST /vouchers with proxy_id), which the counter settles as the relative's.
const {signedIn} = require('./phones.js')
const {settle} = require('./counter.js')
const {idNumber} = require('./demo.js')

const PARENT = 1; const SPOUSE = 0

async function add(phone, relation, openid, name) {
  const page = await phone.open('/pages/proxies/proxies')
  await page.change('proxy-relation', relation)
  await page.input('proxy-id-number', idNumber(openid))
  await page.input('proxy-name', name)
  await page.tap('proxy-add')
  return page
}

test('added, approved by the relative, then the carer shows his voucher and sees his settlement', async () => {
  const phuntsok = await signedIn('phuntsok')
  let page = await add(phuntsok, PARENT, 'father', '次仁多吉')
  expect(phuntsok.toasts.pop()).toBe('已发出申请，等待其本人同意。')
  const mine = page.data.asCarer.find((p) => p.name === '次***')
  expect(page.text(`#carer-${mine.id}`)).toBe('次***父母 · 等待其本人同意解除')

  const father = await signedIn('father')
  const his = await father.open('/pages/proxies/proxies')
  expect(his.text(`#person-${mine.id}`)).toMatch(/^平\*子女 · 等待您同意/)
  await his.tap(`approve-${mine.id}`)
  expect(father.toasts.pop()).toBe('已同意。')

  page = await phuntsok.open('/pages/proxies/proxies')
  await page.tap(`show-${mine.id}`)
  const url = phuntsok.nav.pop()
  expect(url).toBe(`/pages/voucher/voucher?proxy=${mine.id}`)
  const voucher = await phuntsok.open(url)
  expect(phuntsok.calls.find((c) => c.method === 'POST' && c.path === '/api/v1/vouchers')).toBeTruthy()
  expect(voucher.data.whose[voucher.data.whoseIndex].text).toBe('次***（父母）')
  const s = await settle(voucher.text('#voucher-payload'), [{code: 'JC0404', quantity: 1, unit_price_fen: 3000}])
  expect(s.total_fen).toBe(3000)
  voucher.close()
  page = await phuntsok.open('/pages/proxies/proxies')
  await page.tap(`records-${mine.id}`)
  // newest first (the father's journey settlement, if that test ran first, follows); his helpers or cash paid
  expect(page.text('#proxy-records')).toMatch(/^次\*\*\* 的就医结算噶尔县雪域大药房本人 ¥0\.00 · [^¥]*(¥30\.00 · )?现金 ¥\d+\.00 · 电子凭证¥30\.00/)
})

test('declined by the relative: the carer sees it, and can no longer show anything', async () => {
  const drolma = await signedIn('drolma')
  await add(drolma, SPOUSE, 'tashi', '扎西次仁')
  const tashi = await signedIn('tashi')
  const his = await tashi.open('/pages/proxies/proxies')
  const p = his.data.asPerson.find((x) => x.pending)
  await his.tap(`decline-${p.id}`)
  expect(tashi.toasts.pop()).toBe('已谢绝。')
  const hers = await drolma.open('/pages/proxies/proxies')
  expect(hers.text(`#carer-${p.id}`)).toBe('扎***配偶 · 对方已谢绝')
  expect(hers.has(`#show-${p.id}`)).toBe(false)
})
