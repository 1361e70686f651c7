// Invitations I sent (cancel a pending one) and received (accept or decline), newest first, paged.
const screen = require('../../lib/screen.js')
const {post} = require('../../lib/request.js')
const {helperRelation, relation, when} = require('../../lib/format.js')
const subscribe = require('../../lib/subscribe.js')

Component({
  behaviors: [screen],
  methods: {
    onLoad() { this.title('nav.invitations') },
    onShow() { return this.load() },
    load() {
      const status = (inv) => `${this.t(`invitation.status.${inv.status}`)} · ${when(inv.created_at)}`
      return this.guard(async () => {
        await this.list('sent', '/invitations?role=sent', (inv) => ({code: inv.code, rel: relation(inv.relation),
          who: inv.invitee ? inv.invitee.name_masked : this.t('invitations.anyone'), status: status(inv),
          pending: inv.status === 'pending'}))
        await this.list('received', '/invitations?role=received', (inv) => ({code: inv.code,
          who: inv.benefactor.name_masked, rel: helperRelation(inv.relation), status: status(inv),
          pending: inv.status === 'pending'}))
      })
    },
    answer(e) {
      const {code, verb} = e.currentTarget.dataset
      const asked = verb === 'accept' ? subscribe.ask('accepting') : null
      return this.guard(async () => {
        await post(`/invitations/${code}/${verb}`)
        await asked
        this.toast(`invitations.${verb === 'accept' ? 'accepted' : verb === 'cancel' ? 'cancelled' : 'declined'}`)
        await this.load()
      })
    },
  },
})
