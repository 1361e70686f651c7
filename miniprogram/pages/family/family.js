// My family mutual aid: whom I pay for (monthly limit, card payments, what was used this month, end) and who pays
// for me; ended bindings stay listed with the reason.
const screen = require('../../lib/screen.js')
const {call} = require('../../lib/request.js')
const {helperRelation, relation, when, yuan} = require('../../lib/format.js')

Component({
  behaviors: [screen],
  methods: {
    onLoad() { this.title('nav.family'); this.edits = {} },
    onShow() { return this.load() },
    row(b, iPay) {
      const active = b.status === 'active'
      const used = iPay && active && (b.monthly_limit_fen == null ? this.t('family.used', {used: yuan(b.used_this_month_fen)})
        : this.t('family.used_of', {used: yuan(b.used_this_month_fen), limit: yuan(b.monthly_limit_fen)}))
      return {id: b.id, active, allow_card: b.allow_card, used: used || '',
        who: this.t(iPay ? 'family.i_pay' : 'family.pays_me', {name: iPay ? b.beneficiary.name_masked : b.benefactor.name_masked}),
        rel: iPay ? relation(b.relation) : helperRelation(b.relation),
        limit: b.monthly_limit_fen == null ? '' : (b.monthly_limit_fen / 100).toFixed(2),
        reason: active ? '' : this.t('family.ended', {reason: this.t(`end_reason.${b.end_reason}`), at: when(b.ended_at)})}
    },
    load() {
      this.edits = {}
      return this.guard(async () => {
        await this.list('mine', '/bindings?role=benefactor', (b) => this.row(b, true))
        await this.list('theirs', '/bindings?role=beneficiary', (b) => this.row(b, false))
      })
    },
    edit(id) {
      const b = this.data.mine.items.find((x) => String(x.id) === String(id))
      this.edits[id] = this.edits[id] || {limit: b.limit, allow_card: b.allow_card}
      return this.edits[id]
    },
    onLimit(e) { this.edit(e.currentTarget.dataset.id).limit = e.detail.value },
    onCard(e) { this.edit(e.currentTarget.dataset.id).allow_card = !!e.detail.value },
    save(e) {
      const id = e.currentTarget.dataset.id
      const {limit, allow_card} = this.edit(id)
      const fen = String(limit).trim() === '' ? null : Math.round(Number(limit) * 100)
      if (fen !== null && !(fen >= 0)) return this.setData({notice: this.t('error.invalid_request')})
      return this.guard(async () => {
        await call('PATCH', `/bindings/${id}`, {monthly_limit_fen: fen, allow_card})
        this.toast('family.saved')
        await this.load()
      })
    },
    end(e) {
      const id = e.currentTarget.dataset.id
      return this.guard(async () => {
        if (!(await this.confirm('family.end_confirm'))) return
        await call('DELETE', `/bindings/${id}`)
        this.toast('family.ended_now')
        await this.load()
      })
    },
  },
})
