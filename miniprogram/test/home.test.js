// Login and home against the real server: wx.login's code, the tokens kept and refreshed, the unread badge.
const {Phone} = require('./phone.js')

afterEach(() => phones.splice(0).forEach((p) => p.close()))
const phones = []
const phone = (...a) => { const p = new Phone(...a); phones.push(p); return p }

test('logging in with wx.login keeps the tokens and opens home with the name and balance', async () => {
  const tashi = phone('tashi')
  const login = await tashi.open('/pages/login/login')
  await login.tap('login')
  expect(tashi.nav.pop()).toBe('/pages/home/home')
  expect(tashi.storage.get('gj.access')).toBeTruthy()
  const home = await tashi.open('/pages/home/home')
  expect(home.text('.card')).toContain('您好，扎西次仁')
  expect(home.text('#balance')).toBe('¥5000.00')
  expect(home.all('[data-url]').length).toBeGreaterThanOrEqual(10)
})
