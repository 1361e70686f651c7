// The e-voucher: a fresh one from POST /vouchers, its QR drawn on the phone from the payload with its countdown
// (renewed before it expires); the offline book kept fresh meanwhile, and shown — the next unspent code, its
// countdown, an offline mark — when the network is gone. A carer (亲情账户) may show a relative's (options.proxy).
const screen = require('../../lib/screen.js')
const {post} = require('../../lib/request.js')
const {left, relation} = require('../../lib/format.js')
const offline = require('../../lib/offline.js')

const LEAD = 5   // seconds before expiry a new voucher is taken

Component({
  behaviors: [screen],
  data: {whose: [], whoseIndex: 0, payload: '', left: '', offline: false, codesLeft: ''},
  lifetimes: {detached() { if (wx.offNetworkStatusChange) wx.offNetworkStatusChange(this.onNetwork) }},
  methods: {
    async onLoad(options) {
      this.title('nav.voucher')
      this.onNetwork = (r) => { if (r.isConnected && this.data.offline) this.refresh() }   // back online: a fresh one
      if (wx.onNetworkStatusChange) wx.onNetworkStatusChange(this.onNetwork)
      await this.guard(async () => {
        const relatives = await offline.activeProxies()
        const whose = [{id: '', text: this.t('voucher.self')}].concat(relatives.map((p) => ({id: String(p.id),
          text: this.t('who.named', {name: p.person.name_masked, relation: relation(p.relation)})})))
        const picked = whose.findIndex((x) => x.id === String(options.proxy || ''))
        this.setData({whose, whoseIndex: Math.max(0, picked)})
      })
      return this.refresh()
    },
    proxy() { const w = this.data.whose[this.data.whoseIndex]; return w ? w.id : '' },
    pick(e) { this.setData({whoseIndex: Number(e.detail.value)}); return this.refresh() },
    countdown(until, onEnd, lead) {
      this.stop()
      this.every(() => {
        const l = left(until)
        this.setData({left: l.text})
        if (l.seconds <= lead) { this.stop(); onEnd() }
      }, 1000)
    },
    refresh() {
      const proxy = this.proxy()
      return this.guard(async () => {
        let v
        try { v = await post('/vouchers', proxy ? {proxy_id: Number(proxy)} : undefined) } catch (e) {
          if (e.code === 'network') return this.showOffline()
          throw e
        }
        this.setData({payload: v.payload, offline: false, codesLeft: ''})
        this.countdown(v.expires_at, () => this.refresh(), LEAD)
        return offline.keepFresh(proxy).catch(() => null)   // the book is a spare: a failure must not hide the voucher
      })
    },
    showOffline() {
      const code = offline.next(this.proxy())
      this.stop()
      this.setData({offline: true, payload: code ? code.payload : '',
        codesLeft: code ? this.t('mini.offline_left', {n: code.left}) : '', left: code ? '' : this.t('voucher.no_offline')})
      if (code) this.countdown(code.expires_at, () => this.showOffline(), 0)
    },
    spend() { offline.spend(this.data.payload, this.proxy()); this.showOffline() },
  },
})
