// Paying a relative's resident premium (代缴): the quote for a binding and year, then the payment with an
// Idempotency-Key kept for that quote (a retry after a lost answer pays once); the history both ways.
const screen = require('../../lib/screen.js')
const {get, post, words} = require('../../lib/request.js')
const {chinaMonth, relation, when, yuan} = require('../../lib/format.js')

const newKey = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`

Component({
  behaviors: [screen],
  data: {binds: [], years: [], whoIndex: 0, yearIndex: 0, quote: null, loaded: false},
  methods: {
    onLoad() { this.title('nav.premium') },
    onShow() { return this.load() },
    load() {
      const row = (whose) => (p) => ({id: p.id, row: this.t('premium.row', {year: p.year, name: p[whose].name_masked}),
        at: when(p.paid_at), amount: yuan(p.amount_fen)})
      return this.guard(async () => {
        const me = await get('/me')
        const binds = me.account ? (await get('/bindings?role=benefactor&limit=100')).items.filter((b) => b.status === 'active') : []
        const year = Number(chinaMonth().slice(0, 4))
        this.setData({loaded: true, years: [year, year + 1].map((y) => ({y, text: this.t('premium.year', {year: y})})),
          binds: binds.map((b) => ({id: b.id, text: this.t('who.named', {name: b.beneficiary.name_masked, relation: relation(b.relation)})}))})
        if (binds.length) await this.ask()
        await this.list('paid', '/premiums?role=payer', row('beneficiary'))
        await this.list('forMe', '/premiums?role=beneficiary', row('payer'))
      })
    },
    pick(e) { this.setData({[e.currentTarget.dataset.field]: Number(e.detail.value)}); return this.guard(() => this.ask()) },
    async ask() {
      const binding = this.data.binds[this.data.whoIndex].id; const year = this.data.years[this.data.yearIndex].y
      const q = await get(`/premiums/quote?binding_id=${binding}&year=${year}`)
      this.key = newKey()
      this.asked = {binding, year, amount: q.amount_fen}
      this.setData({quote: {title: this.t('premium.title', {year: q.year}), payable: q.payable,
        amount: q.amount_fen == null ? '—' : yuan(q.amount_fen),
        window: q.window_opens ? this.t('premium.window', {from: q.window_opens, to: q.window_closes}) : '',
        reason: q.reason ? words(q.reason) : ''}})
    },
    pay() {
      return this.guard(async () => {
        const {binding, year, amount} = this.asked
        if (!(await this.confirm('premium.confirm', {amount: yuan(amount)}))) return
        await post('/premiums', {binding_id: binding, year}, {'Idempotency-Key': this.key})
        this.toast('premium.paid')
        await this.load()
      })
    },
  },
})
