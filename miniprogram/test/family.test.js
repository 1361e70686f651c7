// Invitations, bindings, the helper order and premiums, page by page against the real server: drolma and tashi
// both pay for their daughter gesang.
const {signedIn} = require('./phones.js')
const {idNumber} = require('./demo.js')

let drolma; let gesang; let tashi; let gesangId
beforeAll(async () => {
  gesangId = idNumber('gesang')   // one phone at a time: `wx` is the phone in hand
  drolma = await signedIn('drolma'); gesang = await signedIn('gesang'); tashi = await signedIn('tashi')
})

const CHILD = 2   // the relation picker: spouse, parent, child, …

async function invite(phone, named) {
  const page = await phone.open('/pages/invite/invite')
  await page.change('relation', CHILD)
  if (named) { await page.input('invitee-name', '格桑拉姆'); await page.input('invitee-id-number', gesangId) }
  await page.tap('make')
  return page
}

test('a named invitation is declined, an open one cancelled, a third accepted from the list of received ones', async () => {
  const named = await invite(drolma, true)
  expect(named.text('#invitee')).toBe('仅限 格*** 接受')
  const first = named.data.inv.code
  let received = await gesang.open('/pages/invitations/invitations')
  expect(received.text(`#received-${first}`)).toMatch(/^卓\* · 母亲|^卓\* · 父母/)
  await received.tap(`decline-${first}`)
  expect(gesang.toasts.pop()).toBe('已谢绝。')
  expect(received.text(`#received-${first}`)).toContain('已谢绝')

  const open = (await invite(drolma, false)).data.inv.code
  const sent = await drolma.open('/pages/invitations/invitations')
  expect(sent.text(`#sent-${first}`)).toBe(`格*** · 子女已谢绝 · ${sent.data.sent.items.find((i) => i.code === first).status.split(' · ')[1]}`)
  await sent.tap(`cancel-${open}`)
  expect(drolma.toasts.pop()).toBe('邀请已撤销。')
  expect(sent.text(`#sent-${open}`)).toMatch(/^未指定被邀请人 · 子女已撤销/)

  const third = (await invite(drolma, true)).data.inv.code   // an open one is listed only once answered
  received = await gesang.open('/pages/invitations/invitations')
  await received.tap(`accept-${third}`)
  expect(gesang.toasts.pop()).toBe('已接受，对方的个人账户已加入您的共济顺序。')
  expect(received.text(`#received-${third}`)).toContain('已接受')
})

test('the benefactor sets a monthly limit and turns card payments off; a bad limit changes nothing', async () => {
  const family = await drolma.open('/pages/family/family')
  const b = family.data.mine.items.find((x) => x.active)
  expect(family.text(`#used-${b.id}`)).toBe('本月已支付 ¥0.00 · 无月限额')
  expect(b.allow_card).toBe(true)
  await family.input(`limit-${b.id}`, '-5')
  await family.tap(`save-${b.id}`)
  expect(family.text('#notice')).toBe('填写的内容有误，请检查后重试。')
  expect(drolma.calls.filter((c) => c.method === 'PATCH')).toEqual([])
  await family.input(`limit-${b.id}`, '100.00')
  await family.change(`card-${b.id}`, false)
  await family.tap(`save-${b.id}`)
  expect(drolma.toasts.pop()).toBe('已保存。')
  expect(family.text(`#used-${b.id}`)).toBe('本月已支付 ¥0.00 / 月限额 ¥100.00')
  expect(family.data.mine.items.find((x) => x.id === b.id).allow_card).toBe(false)
})

test('the helper order: dragged in the movable area, and a stale If-Match shows the fresh order', async () => {
  const code = (await invite(tashi, false)).data.inv.code
  await (await gesang.open(`/pages/open/open?code=${code}`)).tap('accept')
  const page = await gesang.open('/pages/helpers/helpers')
  expect(page.data.helpers.map((h) => h.benefactor.name_masked)).toEqual(['卓*', '扎***'])
  const tashiRow = page.data.helpers[1].binding_id
  await page.fire(`helper-${tashiRow}`, 'change', {y: 70, source: 'touch'})   // dropped where it was: no request
  await page.fire(`helper-${tashiRow}`, 'touchend')
  expect(gesang.calls.filter((c) => c.method === 'PUT')).toEqual([])
  await page.fire(`helper-${tashiRow}`, 'change', {y: 2, source: 'touch'})   // dragged to the top
  await page.fire(`helper-${tashiRow}`, 'touchend')
  expect(page.data.helpers.map((h) => h.benefactor.name_masked)).toEqual(['扎***', '卓*'])
  expect(gesang.toasts.pop()).toBe('共济顺序已保存。')

  const other = await gesang.open('/pages/helpers/helpers')   // the same person moves it back elsewhere
  await other.tap(`down-${tashiRow}`)
  await page.tap(`down-${tashiRow}`)                           // from the order this page still shows
  expect(page.text('#notice')).toBe('顺序已在别处被修改，已为您恢复最新顺序。')
  expect(page.data.helpers.map((h) => h.benefactor.name_masked)).toEqual(['卓*', '扎***'])
})

test('premium: the quote, the payment with an Idempotency-Key, the history; a refusal in plain words', async () => {
  const poor = await drolma.open('/pages/premium/premium')
  expect(poor.text('#reason')).toBe('个人账户余额不足。')
  const page = await tashi.open('/pages/premium/premium')
  const who = page.data.binds.findIndex((b) => b.text.startsWith('格***'))
  await page.change('who', who)
  expect(page.text('#amount')).toBe('¥380.00')
  await page.tap('pay')
  expect(tashi.modals.pop()).toBe('确认从您的个人账户支付 ¥380.00？')
  const paid = tashi.calls.filter((c) => c.method === 'POST' && c.path === '/api/v1/premiums')
  expect(paid).toHaveLength(1)
  expect(paid[0].header['Idempotency-Key']).toMatch(/^\S{8,}$/)
  expect(tashi.toasts.pop()).toBe('代缴成功。')
  expect(page.text('#premiums-paid')).toMatch(/\d{4} 年度 · 格\*\*\*.*¥380\.00/)
  await page.change('who', who)
  expect(page.text('#reason')).toBe('该年度保费已缴纳。')
})

test('the monthly summary and the end of a binding, with its reason on both sides', async () => {
  const summary = await tashi.open('/pages/summary/summary')
  expect(summary.text('#summary-total')).toMatch(/^¥\d+\.\d\d$/)
  const theirs = await gesang.open('/pages/family/family')
  const b = theirs.data.theirs.items.find((x) => x.active && x.who.startsWith('卓*'))
  await theirs.tap(`end-${b.id}`)
  expect(gesang.modals.pop()).toBe('确定解除这条家庭共济吗？解除后立即生效。')
  expect(gesang.toasts.pop()).toBe('已解除。')
  const mine = await drolma.open('/pages/family/family')
  expect(mine.text(`#reason-${b.id}`)).toMatch(/^已解除：被共济人解除了绑定 · \d{4}-\d\d-\d\d \d\d:\d\d$/)
  expect(mine.has(`#end-${b.id}`)).toBe(false)
})
