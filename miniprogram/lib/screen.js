// What every page shares (a Behavior): its words, large type, the refusal notice, navigation, inputs, paged lists,
// timers stopped when the page goes away.
const {ApiError, get, post, session} = require('./request.js')
const offline = require('./offline.js')
const {large, t, words} = require('./i18n.js')

const LOGIN = '/pages/login/login'

module.exports = Behavior({
  data: {w: {}, large: false, notice: ''},
  lifetimes: {
    attached() { this.timers = []; this.lists = {}; this.onSwitch() },
    detached() { this.stop() },
  },
  methods: {
    t,
    onSwitch() { this.setData({w: words(), large: large()}) },
    title(key) { wx.setNavigationBarTitle({title: t(key)}) },
    toast(key) { wx.showToast({title: t(key), icon: 'none'}) },
    confirm(key, params) {
      return new Promise((resolve) => wx.showModal({content: t(key, params), success: (r) => resolve(!!r.confirm),
        fail: () => resolve(false)}))
    },
    // Run an action; a refusal is shown in the page's own words, an ended session goes back to login.
    async guard(fn) {
      this.setData({notice: ''})
      try { return await fn() } catch (e) {
        if (!(e instanceof ApiError)) { console.error(e); this.setData({notice: t('error.unknown')}); return undefined }
        if (e.status === 401) { session.clear(); wx.reLaunch({url: LOGIN}); return undefined }
        if (e.code === 'verification_required') { wx.reLaunch({url: '/pages/verify/verify'}); return undefined }
        this.setData({notice: e.message})
        return undefined
      }
    },
    go(e) { wx.navigateTo({url: e.currentTarget.dataset.url}) },
    onInput(e) { this.setData({[e.currentTarget.dataset.field]: e.detail.value}) },
    every(fn, ms) { fn(); this.timers.push(setInterval(fn, ms)) },
    stop() { (this.timers || []).forEach(clearInterval); this.timers = [] },
    // A list that pages on: the first page now, "more" while the API gives a next_cursor.
    async list(name, path, row) {
      this.lists[name] = {path, row}
      this.setData({[name]: {items: [], cursor: null, loaded: false}})
      return this.loadMore(name)
    },
    async loadMore(name) {
      const {path, row} = this.lists[name]
      const cur = this.data[name]
      const page = await get(path + (path.includes('?') ? '&' : '?') +
        (cur.cursor ? 'cursor=' + encodeURIComponent(cur.cursor) : 'limit=20'))
      this.setData({[name]: {items: cur.items.concat(page.items.map(row)), cursor: page.next_cursor, loaded: true}})
      return page.items
    },
    logout() {
      return this.guard(async () => {
        await post('/auth/logout', {refresh_token: session.refresh})
        session.clear(); offline.forget()
        wx.reLaunch({url: LOGIN})
      })
    },
    more(e) { return this.guard(() => this.loadMore(e.currentTarget.dataset.list)) },
  },
})
