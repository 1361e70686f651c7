// Two screenshots for the README (`npm run screens`, not part of the suite): pages rendered by miniprogram-simulate
// against the test server, their DOM and compiled WXSS written to an HTML file, photographed by headless Chromium.
const {execFileSync} = require('child_process')
const fs = require('fs')
const os = require('os')
const path = require('path')
const {signedIn} = require('./phones.js')

const OUT = path.join(__dirname, '..', '..', 'docs', 'screens')
const FONT = path.join(__dirname, '..', '..', 'static', 'fonts', 'TibetanMachineUni-gongji.woff2')
// What WeChat's own components look like, roughly: the simulator renders them as wx-* elements.
const BASE = `body { margin: 0; width: 750px; background: #f4f6f5; }
@font-face { font-family: "Gongji Tibetan"; src: url("file://${FONT}"); unicode-range: U+0F00-0FFF; }
wx-view, wx-button, wx-input, wx-picker, wx-movable-area { display: block; }
wx-button { border: none; font: inherit; cursor: pointer; }
wx-button.bar--switch { display: inline-block; background: #fff; border: 2px solid #0b6e4f; color: #0b6e4f;
  border-radius: 8px; padding: 4px 16px; }
.nav { background: #0b6e4f; color: #fff; text-align: center; font: 600 34px sans-serif; padding: 28px 0; }`

async function shot(login, lang, url, file, prepare) {
  const phone = await signedIn(login, {lang})
  const page = await phone.open(url)
  if (prepare) await prepare(page)
  const styles = [...document.querySelectorAll('style')].map((s) => s.textContent).join('\n')
    .replace(/(\d+(\.\d+)?)px/g, (m, n) => `${n}px`)
  const app = fs.readFileSync(path.join(__dirname, '..', 'app.wxss'), 'utf8').replace(/page \{/, 'body {')
    .replace(/\.(\w[\w-]*)/g, (m, c) => (c.includes('--') ? m : `.main--${c}`)).replace(/(\d+)rpx/g, '$1px')
  const html = `<!doctype html><meta charset="utf-8"><style>${BASE}\n${app}\n${styles}</style>
<div class="nav">${phone.titles[phone.titles.length - 1]}</div>${page.dom.outerHTML}`
  const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mini-shot-')), 'page.html')
  fs.writeFileSync(tmp, html)
  execFileSync('/usr/bin/chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars',
    '--force-device-scale-factor=0.5', '--window-size=750,1400', `--screenshot=${path.join(OUT, file)}`, `file://${tmp}`],
  {stdio: 'ignore'})
  phone.close()
}

test('screenshots', async () => {
  await shot('tashi', 'zh', '/pages/home/home', 'mini-home.png')
  await shot('tashi', 'bo', '/pages/voucher/voucher', 'mini-voucher.png')
  expect(fs.statSync(path.join(OUT, 'mini-home.png')).size).toBeGreaterThan(10000)
})
