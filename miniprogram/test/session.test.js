// The session as a phone lives it: a first login verified with the face check, tokens refreshed on token_expired,
// an ended session back at login, an invitation opened before logging in (the ordinary-link QR rule's options.q),
// and every flow within two taps of home.
const crypto = require('crypto')
const {APP} = require('./phone.js')
const {phone, signedIn} = require('./phones.js')
const {flask, state} = require('./server.js')
const {idNumber} = require('./demo.js')

test('a first login goes to verify: the face check, then POST /auth/verify with its verify_result', async () => {
  const id = idNumber('dawa')
  flask('identity', 'unlink', id)   // dawa's demo login lets go of him; a new WeChat login claims him
  const p = phone('dawa-new-phone')
  const login = await p.open('/pages/login/login')
  await login.tap('login')
  expect(p.nav.pop()).toBe('/pages/verify/verify')
  const verify = await p.open('/pages/verify/verify')
  await verify.input('verify-name', '达瓦')
  await verify.input('verify-id-number', id)
  p.faceOk = false
  await verify.tap('verify-send')
  expect(verify.text('#notice')).toBe('人脸核身未完成，请重试。')
  expect(p.calls.filter((c) => c.path === '/api/v1/auth/verify')).toEqual([])
  p.faceOk = true
  await verify.input('verify-name', '达娃')
  await verify.tap('verify-send')
  expect(verify.text('#notice')).toBe('姓名与身份证号不符，请核对。')
  await verify.input('verify-name', '达瓦')
  await verify.tap('verify-send')
  expect(p.faceCheck).toEqual({name: '达瓦', idCardNumber: id})
  expect(p.toasts.pop()).toBe('实名认证成功。')
  expect(p.nav.pop()).toBe('/pages/home/home')
  const home = await p.open('/pages/home/home')
  expect(home.text()).toContain('您好，达瓦')
})

// An access token like the server's, already expired (HS256 with the test server's secret).
function expired(token) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const [head, body] = token.split('.').slice(0, 2).map((x) => JSON.parse(Buffer.from(x, 'base64url')))
  const claims = Object.assign({}, body, {iat: body.iat - 3600, exp: body.exp - 3600, jti: crypto.randomUUID()})
  const unsigned = `${b64(head)}.${b64(claims)}`
  return `${unsigned}.${crypto.createHmac('sha256', state().secret).update(unsigned).digest('base64url')}`
}

test('an expired access token is refreshed once and the call goes through; a spent session goes back to login', async () => {
  const p = await signedIn('gesang')
  const refresh = JSON.parse(p.storage.get('gj.refresh'))
  p.storage.set('gj.access', JSON.stringify(expired(JSON.parse(p.storage.get('gj.access')))))
  const home = await p.open('/pages/home/home')
  expect(home.text()).toContain('您好，格桑拉姆')
  expect(p.calls.map((c) => c.path)).toEqual(expect.arrayContaining(['/api/v1/auth/refresh']))
  expect(JSON.parse(p.storage.get('gj.refresh'))).not.toBe(refresh)

  p.storage.set('gj.access', JSON.stringify('not-a-token'))
  await p.open('/pages/home/home')
  expect(p.nav.pop()).toBe('/pages/login/login')
  expect(p.storage.has('gj.access')).toBe(false)
})

test('an invitation link scanned with WeChat (options.q) before logging in opens after the login', async () => {
  const tashi = await signedIn('tashi')
  const invite = await tashi.open('/pages/invite/invite')
  await invite.tap('make')
  const {code, qr_content: link} = invite.data.inv
  expect(link).toBe(`${state().base}/i/${code}`)
  const p = phone('sonam')
  await p.open(`/pages/open/open?q=${encodeURIComponent(encodeURIComponent(link))}&scancode_time=1733300000`)
  expect(p.nav.pop()).toBe('/pages/login/login')
  const login = await p.open('/pages/login/login')
  await login.tap('login')
  const next = p.nav.pop()
  expect(next).toBe(`/pages/open/open?code=${code}`)
  const open = await p.open(next)
  expect(open.text('#who')).toBe('扎*** 邀请您（其配偶）加入家庭共济：')
  expect(open.text('#status')).toBe('状态：待确认')
})

test('scanning a QR that is not an invitation says so and goes nowhere', async () => {
  const p = await signedIn('gesang')
  p.scanResult = 'https://example.com/not-ours'
  const home = await p.open('/pages/home/home')
  await home.tap('scan')
  expect(home.text('#notice')).toBe('这不是家庭共济邀请二维码。')
  expect(p.nav).toEqual(['/pages/home/home'])
})

test('every page is within two taps of home', async () => {
  const p = await signedIn('tashi')
  const targets = async (url) => {
    const page = await p.open(url)
    const found = page.all('[data-url]').map((el) => el.getAttribute('data-url').split('?')[0])
    if (page.has('#scan')) { p.scanResult = `${state().base}/i/SOMECODE`; await page.tap('scan'); found.push(p.nav.pop().split('?')[0]) }
    page.close()
    return found
  }
  const one = await targets('/pages/home/home')
  const two = []
  for (const u of one) two.push(...await targets(u))
  const reached = new Set(one.concat(two).map((u) => u.replace(/^\//, '')))
  const entry = ['pages/home/home', 'pages/login/login', 'pages/verify/verify']
  expect(APP.pages.filter((pg) => !entry.includes(pg) && !reached.has(pg))).toEqual([])
})
