// An invitation opened from its shared card (options.code), from wx.scanCode on home, or from WeChat's ordinary-link
// QR rule for PUBLIC_BASE_URL/i/<code> (options.q, the URL-encoded link): who invites, accept or decline.
const screen = require('../../lib/screen.js')
const {get, post, session} = require('../../lib/request.js')
const {relation} = require('../../lib/format.js')
const invitationCode = require('../../lib/invitation-code.js')
const subscribe = require('../../lib/subscribe.js')

Component({
  behaviors: [screen],
  data: {inv: null, code: ''},
  methods: {
    onLoad(options) {
      this.title('open.title')
      const code = options.code || invitationCode(decodeURIComponent(options.q || ''))
      if (!code) return this.setData({notice: this.t('error.not_found')})
      if (!session.access) {   // log in first, then come back here
        wx.setStorageSync('gj.next', `/pages/open/open?code=${code}`)
        return wx.reLaunch({url: '/pages/login/login'})
      }
      this.setData({code})
      return this.load()
    },
    load() {
      return this.guard(async () => {
        const inv = await get(`/invitations/${this.data.code}`)
        this.setData({inv, who: this.t('open.who', {name: inv.benefactor.name_masked, relation: relation(inv.relation)}),
          status: this.t('open.status', {status: this.t(`invitation.status.${inv.status}`)})})
      })
    },
    accept() {
      const asked = subscribe.ask('accepting')   // from the tap itself, as WeChat requires
      return this.guard(async () => {
        await post(`/invitations/${this.data.code}/accept`)
        await asked
        this.toast('open.accepted')
        wx.reLaunch({url: '/pages/home/home'})
      })
    },
    decline() {
      return this.guard(async () => {
        await post(`/invitations/${this.data.code}/decline`)
        this.toast('open.declined')
        wx.reLaunch({url: '/pages/home/home'})
      })
    },
  },
})
