// The benefactor's month: what his account paid for each relative (reversals deducted), month by month.
const screen = require('../../lib/screen.js')
const {get} = require('../../lib/request.js')
const {chinaMonth, relation, yuan} = require('../../lib/format.js')

Component({
  behaviors: [screen],
  data: {month: '', total: '', items: [], loaded: false},
  methods: {
    onLoad() { this.title('nav.summary'); this.setData({month: chinaMonth()}) },
    onShow() { return this.load() },
    pick(e) { this.setData({month: String(e.detail.value).slice(0, 7)}); return this.load() },
    load() {
      return this.guard(async () => {
        const s = await get(`/account/summary?month=${this.data.month}`)
        this.setData({loaded: true, total: yuan(s.total_fen), items: s.items.map((i) => ({binding_id: i.binding_id,
          who: this.t('who.named', {name: i.beneficiary.name_masked, relation: relation(i.relation)}),
          count: this.t('summary.count', {n: i.settlements}), paid: yuan(i.paid_fen)}))})
      })
    },
  },
})
