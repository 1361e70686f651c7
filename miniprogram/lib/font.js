// Tibetan script needs a font many Android phones lack (iOS has one): load the server's subset of Tibetan Machine
// Uni (docs/fonts) when the language is Tibetan; every page's style names the family "Gongji Tibetan" first.
const settings = require('./settings.js')
const {lang} = require('./i18n.js')

let asked = false
function ensure() {
  if (asked || lang() !== 'bo') return
  const info = wx.getSystemInfoSync ? wx.getSystemInfoSync() : {}
  if (info.platform === 'ios') return   // Kailasa and Tibetan Machine Uni ship with iOS
  asked = true
  wx.loadFontFace({
    global: true,
    family: 'Gongji Tibetan',
    source: `url("${settings().baseUrl}${settings().tibetanFont}")`,
    fail: () => { asked = false },   // try again at the next switch or launch
  })
}

module.exports = {ensure}
