// The subscribe dialog after inviting and after accepting, and what the person accepted recorded with
// POST /api/v1/notifications/subscriptions {"template_ids": [...], "accepted": [...]} (API.md "Told at once").
// Recording the answer never stops an invitation or an acceptance. The demo server is shared by every test file, so
// a phone may hold answers of earlier moments: each check reads the templates of its own moment.
const {signedIn} = require('./phones.js')

const recorded = async (p) => {
  p.use()
  const {get} = require('../lib/request.js')
  const {items} = await get('/notifications/subscriptions')
  return Object.fromEntries(items.map((i) => [i.template_id, i.accepted]))
}

test('after inviting and after accepting, the dialog asks for the moment\'s templates and the answer is recorded', async () => {
  const tashi = await signedIn('tashi')
  tashi.subscribeAnswer = {TPL_INVITATION_ACCEPTED: 'accept', TPL_AID_PAID: 'accept', TPL_BINDING_ENDED: 'reject'}
  const invite = await tashi.open('/pages/invite/invite')
  await invite.change('relation', 3)   // sibling: phuntsok
  await invite.tap('make')
  expect(tashi.subscribed.pop()).toEqual(['TPL_INVITATION_ACCEPTED', 'TPL_AID_PAID', 'TPL_BINDING_ENDED'])
  const post = tashi.calls.find((c) => c.path === '/api/v1/notifications/subscriptions' && c.method === 'POST')
  expect(post).toBeTruthy()
  expect(await recorded(tashi)).toMatchObject({TPL_INVITATION_ACCEPTED: true, TPL_AID_PAID: true, TPL_BINDING_ENDED: false})

  const phuntsok = await signedIn('phuntsok')
  phuntsok.subscribeAnswer = 'accept'
  const open = await phuntsok.open(invite.instance.onShareAppMessage().path)
  await open.tap('accept')
  expect(phuntsok.subscribed.pop()).toEqual(['TPL_BINDING_ENDED', 'TPL_PREMIUM_PAID', 'TPL_VOUCHER_BY_PROXY'])
  expect(await recorded(phuntsok)).toMatchObject({TPL_BINDING_ENDED: true, TPL_PREMIUM_PAID: true, TPL_VOUCHER_BY_PROXY: true})
})
