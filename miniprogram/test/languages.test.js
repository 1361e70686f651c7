// Every page rendered in Chinese and in Tibetan against the real server: no catalogue key shown as text, nothing
// left untranslated, no text of the other language (names aside: they stay as the registry writes them); large type.
const {APP} = require('./phone.js')
const {phone, signedIn} = require('./phones.js')
const zh = require('../i18n/zh.js')
const bo = require('../i18n/bo.js')

// Names the registry writes in Chinese (demo persons, masked or whole; institutions): not words of ours.
const NAMES = ['扎西次仁', '卓玛', '次仁多吉', '格桑拉姆', '平措', '索朗', '达瓦', '阿里地区人民医院', '噶尔县雪域大药房']
const HAN = /[\u4e00-\u9fff]/
const TIBETAN = /[\u0f00-\u0fff]/
const KEY = /\b[a-z_]+(\.[a-z0-9_]+)+\b/g

let code
beforeAll(async () => {   // an invitation for the page that opens one
  const tashi = await signedIn('tashi')
  const invite = await tashi.open('/pages/invite/invite')
  await invite.tap('make')
  code = invite.data.inv.code
  tashi.close()
})

function problems(text, lang) {
  const words = lang === 'bo' ? bo : zh
  const found = []
  for (const m of text.match(KEY) || []) if (m in zh) found.push(`raw key ${m}`)
  if (/\bundefined\b|\bnull\b|\bNaN\b|\{\w+\}|(^|\s)\?(\s|$)/.test(text)) found.push('a hole or a missing word')
  // the switch offers the other language in its own script; names stay as written
  const own = NAMES.concat(words[`lang.${lang === 'bo' ? 'zh' : 'bo'}`]).reduce((s, n) => s.split(n).join(''), text)
    .replace(/[\u4e00-\u9fff]\*+/g, '')
  if (lang === 'bo' && HAN.test(own)) found.push(`Chinese: ${own.match(/[\u4e00-\u9fff]+/g).join(' ')}`)
  if (lang === 'zh' && TIBETAN.test(own)) found.push(`Tibetan: ${own.match(/[\u0f00-\u0fff]+/g).join(' ')}`)
  return found
}

const routes = APP.pages.map((p) => `/${p}`)

describe.each(['zh', 'bo'])('in %s', (lang) => {
  test.each(routes)('%s shows only words of its language', async (route) => {
    const p = await signedIn('tashi', {lang})
    const url = route === '/pages/open/open' ? `${route}?code=${code}` : route
    if (route === '/pages/login/login' || route === '/pages/verify/verify') p.storage.delete('gj.access')
    const page = await p.open(url)
    if (route === '/pages/invite/invite') await page.tap('make')
    const text = page.text()
    expect(text.length).toBeGreaterThan(10)
    expect(problems(text, lang)).toEqual([])
    expect(p.titles.length).toBeGreaterThan(0)
    expect(problems(p.titles.join(' '), lang)).toEqual([])
    expect(lang === 'bo' ? TIBETAN.test(text) : HAN.test(text)).toBe(true)
    expect(page.has('#notice')).toBe(false)   // nothing was refused
  })
})

test('large type is a class on every page, remembered on the phone, switched from the bar', async () => {
  const p = await signedIn('gesang', {large: true})
  const home = await p.open('/pages/home/home')
  expect(home.has('.page.large')).toBe(true)
  await home.tap('large-switch')
  expect(home.has('.page.large')).toBe(false)
  expect(JSON.parse(p.storage.get('gj.large'))).toBe('0')
})

test('the language switch names the other language in its own script and loads the Tibetan font on Android', async () => {
  const p = phone('gesang')
  const login = await p.open('/pages/login/login')
  expect(login.text()).toContain('བོད་ཡིག')
  await login.tap('lang-switch')
  expect(JSON.parse(p.storage.get('gj.lang'))).toBe('bo')
  expect(p.nav.pop()).toBe('/pages/home/home')
  expect(p.fonts).toEqual([expect.objectContaining({family: 'Gongji Tibetan',
    source: expect.stringMatching(/^url\("http:\/\/127\.0\.0\.1:\d+\/static\/fonts\/TibetanMachineUni-gongji\.woff2"\)$/)})])
  const again = await p.open('/pages/login/login')
  expect(again.text()).toContain('中文')
  expect(again.text()).toContain(bo['mini.login_wechat'])
})
