// One source of words: miniprogram/i18n/ must be the copy tools/i18n-copy.js makes of static/i18n/ (run `npm run
// i18n` after changing a catalogue); every key a page or module names exists. (The glossary: glossary.test.js.)
const fs = require('fs')
const path = require('path')
const {SOURCE, LANGS} = require('../tools/i18n-copy.js')

const ROOT = path.join(__dirname, '..')
const sources = (dir, ext) => fs.readdirSync(path.join(ROOT, dir), {recursive: true})
  .filter((f) => f.endsWith(ext)).map((f) => fs.readFileSync(path.join(ROOT, dir, f), 'utf8'))

test.each(LANGS)('miniprogram/i18n/%s.js is exactly static/i18n/%s.json', (lang) => {
  const copy = require(`../i18n/${lang}.js`)
  const source = JSON.parse(fs.readFileSync(path.join(SOURCE, `${lang}.json`), 'utf8'))
  expect(copy).toEqual(source)
})

test('every key the mini-program names is in the catalogues, and no page writes words of its own', () => {
  const zh = require('../i18n/zh.js')
  const code = sources('pages', '.js').concat(sources('pages', '.wxml'), sources('lib', '.js'), sources('components', '.js'))
  const named = new Set()
  for (const text of code) {
    for (const m of text.matchAll(/w\['([a-z0-9_.]+)'\]|\bt\('([a-z0-9_.]+)'|(?:title|toast|confirm)\('([a-z0-9_.]+)'/g)) named.add(m[1] || m[2] || m[3])
    // Chinese or Tibetan in code is only ever in a comment
    const bare = text.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '').replace(/<!--[\s\S]*?-->/g, '')
    expect(bare.match(/[\u4e00-\u9fff\u0f00-\u0fff]+/g)).toBeNull()
  }
  expect(named.size).toBeGreaterThan(80)
  expect([...named].filter((k) => !(k in zh))).toEqual([])
})
