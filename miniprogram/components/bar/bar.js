// The switches every page carries: the other language, in its own script (lang.bo / lang.zh), and large type.
const {lang, large, t} = require('../../lib/i18n.js')
const font = require('../../lib/font.js')

Component({
  data: {other: '', size: '', sizeLabel: ''},
  lifetimes: {attached() { this.draw() }},
  methods: {
    draw() {
      this.setData({other: t(`lang.${lang() === 'bo' ? 'zh' : 'bo'}`), sizeLabel: t('switch.large_type_label'),
        size: t(large() ? 'switch.normal_type' : 'switch.large_type')})
    },
    switchLang() {
      wx.setStorageSync('gj.lang', lang() === 'bo' ? 'zh' : 'bo')
      font.ensure()
      wx.reLaunch({url: '/pages/home/home'})   // every open page speaks the new language
    },
    switchLarge() {
      wx.setStorageSync('gj.large', large() ? '0' : '1')
      this.draw()
      this.triggerEvent('switch')
    },
  },
})
