// The words of every screen: miniprogram/i18n/ is a copy of static/i18n/ (tools/i18n-copy.js), one source for
// the web pages and the mini-program. A key is never shown as text.
const CATALOGUES = {zh: require('../i18n/zh.js'), bo: require('../i18n/bo.js')}

const lang = () => (wx.getStorageSync('gj.lang') === 'bo' ? 'bo' : 'zh')
const apiLang = () => (lang() === 'bo' ? 'bo' : 'zh-CN')   // what the server's texts come back in
const words = () => CATALOGUES[lang()]
const known = (key) => Object.prototype.hasOwnProperty.call(words(), key)

function t(key, params) {
  const text = words()[key]
  if (text === undefined) { console.error('no text for', key); return '?' }
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params && params[name] !== undefined ? params[name] : ''))
}

const large = () => wx.getStorageSync('gj.large') === '1'

module.exports = {lang, apiLang, words, known, t, large}
