// Login and home against the real server: wx.login's code, the tokens kept, the name, balance and every flow's button.
const {phone} = require('./phones.js')

test('logging in with wx.login keeps the tokens and opens home with the name and balance', async () => {
  const sonam = phone('sonam')   // nobody else's test moves sonam's money
  const login = await sonam.open('/pages/login/login')
  await login.tap('login')
  expect(sonam.calls.map((c) => c.path)).toEqual(['/api/v1/auth/login'])
  expect(sonam.nav.pop()).toBe('/pages/home/home')
  expect(sonam.storage.get('gj.access')).toBeTruthy()
  expect(sonam.storage.get('gj.refresh')).toBeTruthy()
  const home = await sonam.open('/pages/home/home')
  expect(sonam.calls.pop().header).toEqual(expect.objectContaining({'Accept-Language': 'zh-CN',
    Authorization: `Bearer ${JSON.parse(sonam.storage.get('gj.access'))}`}))
  expect(home.text('.card')).toMatch(/^您好，索朗个人账户余额¥1000\.00$/)
  expect(home.all('[data-url]').map((el) => el.textContent)).toEqual(['邀请亲属', '医保电子凭证', '我的家庭共济',
    '邀请记录', '共济账户管理', '为亲属支付汇总', '代缴居民医保', '亲情账户', '账单明细', '消息'])
  await home.tap('logout')
  expect(sonam.nav.pop()).toBe('/pages/login/login')
  expect(sonam.storage.has('gj.access')).toBe(false)
})
