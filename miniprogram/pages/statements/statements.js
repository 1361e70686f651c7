// Statements: every ledger line of my account (kind, who it was for, channel, where, signed amount) and my own
// settlements as the patient.
const screen = require('../../lib/screen.js')
const {get} = require('../../lib/request.js')
const {relation, when, yuan} = require('../../lib/format.js')
const {settlementRow} = require('../../lib/rows.js')

Component({
  behaviors: [screen],
  data: {hasAccount: false},
  methods: {
    onLoad() { this.title('nav.statements') },
    onShow() { return this.load() },
    entry(e) {
      const who = e.counterparty ? ' · ' + this.t('who.named', {name: e.counterparty.name_masked,
        relation: e.counterparty.relation ? relation(e.counterparty.relation) : ''}) : ''
      return {id: e.id, what: this.t(`entry.${e.kind}`) + who + (e.channel ? ' · ' + this.t(`channel.${e.channel}`) : ''),
        at: when(e.at) + (e.institution ? ' · ' + e.institution.name : ''), amount: yuan(e.amount_fen), neg: e.amount_fen < 0}
    },
    load() {
      return this.guard(async () => {
        const me = await get('/me')
        this.setData({hasAccount: !!me.account})
        if (me.account) await this.list('entries', '/account/entries', (e) => this.entry(e))
        await this.list('mine', '/settlements', settlementRow)
      })
    },
  },
})
