// Home: who I am, my balance, every flow one tap away, the unread badge, and the scanner for an invitation's QR.
const screen = require('../../lib/screen.js')
const {get, session} = require('../../lib/request.js')
const {yuan} = require('../../lib/format.js')
const invitationCode = require('../../lib/invitation-code.js')

const page = (name) => `/pages/${name}/${name}`

Component({
  behaviors: [screen],
  data: {me: null, links: []},
  methods: {
    onLoad() { this.title('app.name') },
    onShow() { return this.load() },
    load() {
      return this.guard(async () => {
        if (!session.access) return wx.reLaunch({url: page('login')})
        const me = await get('/me')
        const link = (name, key, ghost = true, extra = {}) => Object.assign({url: page(name), key, ghost, id: `go-${name}`}, extra)
        const links = [
          me.account && link('invite', 'nav.invite', false),
          link('voucher', 'nav.voucher', false),
          link('family', 'nav.family'), link('invitations', 'nav.invitations'), link('helpers', 'nav.helpers'),
          me.account && link('summary', 'nav.summary'),
          link('premium', 'nav.premium'), link('proxies', 'nav.proxies'), link('statements', 'nav.statements'),
          link('messages', 'nav.messages', true, {badge: me.unread_messages || 0}),
        ].filter(Boolean)
        this.setData({me, links, hello: this.t('home.hello', {name: me.person.name}),
          balance: me.account ? yuan(me.account.balance_fen) : ''})
        return me
      })
    },
    // The QR of an invitation holds PUBLIC_BASE_URL/i/<code>: open its page.
    scan() {
      return new Promise((resolve) => wx.scanCode({
        onlyFromCamera: false,
        success: (r) => {
          const code = invitationCode(r.result)
          if (code) wx.navigateTo({url: `${page('open')}?code=${code}`})
          else this.setData({notice: this.t('mini.not_invitation')})
          resolve(code)
        },
        fail: () => resolve(null),
      }))
    },
  },
})
