// Invite: a relation, optionally the invitee's name and ID number; the QR drawn on the phone from qr_content, its
// countdown, and the invitation shared as a card into the family chat (the card's path carries the code).
const screen = require('../../lib/screen.js')
const {post} = require('../../lib/request.js')
const {left, relation, relationOptions} = require('../../lib/format.js')
const subscribe = require('../../lib/subscribe.js')

Component({
  behaviors: [screen],
  data: {relations: [], relIndex: 0, name: '', idNumber: '', inv: null, left: ''},
  methods: {
    onLoad() {
      this.title('nav.invite')
      this.setData({relations: relationOptions()})
      if (wx.showShareMenu) wx.showShareMenu({menus: ['shareAppMessage']})
    },
    make() {
      const asked = subscribe.ask('inviting')   // from the tap itself, as WeChat requires
      return this.guard(async () => {
        const name = this.data.name.trim()
        const named = name ? {invitee_name: name, invitee_id_number: this.data.idNumber.trim().toUpperCase()} : {}
        const inv = await post('/invitations', Object.assign({relation: this.data.relations[this.data.relIndex].key}, named))
        this.stop()
        this.setData({inv, scan: this.t('invite.scan', {relation: relation(inv.relation)}),
          forWhom: inv.invitee ? this.t('invite.for', {name: inv.invitee.name_masked}) : ''})
        this.every(() => {
          const l = left(inv.expires_at)
          this.setData({left: l.seconds ? l.text : this.t('invite.expired')})
        }, 1000)
        await asked
      })
    },
    onShareAppMessage() {
      const inv = this.data.inv
      return {title: this.t('open.title'), path: inv ? `/pages/open/open?code=${inv.code}` : '/pages/home/home'}
    },
  },
})
