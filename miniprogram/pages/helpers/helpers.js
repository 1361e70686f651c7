// The beneficiary's payment order: drag a row (movable-area / movable-view) or use ↑ ↓; every change is the whole
// new order with If-Match of the version it was made from (412: someone else moved it, the fresh order is shown).
const screen = require('../../lib/screen.js')
const {call} = require('../../lib/request.js')
const {helperRelation} = require('../../lib/format.js')

const ROW = 64   // px, the height of one row: a drop's y divided by it is the new position

Component({
  behaviors: [screen],
  data: {helpers: [], row: ROW, nudge: 0},
  methods: {
    onLoad() { this.title('nav.helpers') },
    onShow() { return this.guard(() => this.fetch()) },
    async fetch() { this.show(await call('GET', '/helpers')) },
    show(res) {
      this.etag = res.etag
      const helpers = res.data.helpers.map((x) => Object.assign({}, x, {rel: helperRelation(x.relation),
        up: this.t('helpers.up', {name: x.benefactor.name_masked}), down: this.t('helpers.down', {name: x.benefactor.name_masked})}))
      this.setData({nudge: this.data.nudge ? 0 : 0.01, helpers})
    },
    save(from, to) {
      const order = this.data.helpers.map((x) => x.binding_id)
      // no move: put the dragged row back (a changed y, or movable-view stays where it was dropped)
      if (to < 0 || to >= order.length || to === from) return this.setData({nudge: this.data.nudge ? 0 : 0.01})
      order.splice(to, 0, order.splice(from, 1)[0])
      return this.guard(async () => {
        try {
          this.show(await call('PUT', '/helpers/order', {binding_ids: order}, {'If-Match': this.etag}))
          this.toast('helpers.saved')
        } catch (e) {
          if (e.status === 412) await this.fetch()
          throw e
        }
      })
    },
    step(e) { return this.save(Number(e.currentTarget.dataset.index), Number(e.currentTarget.dataset.to)) },
    onDrag(e) { if (e.detail.source === 'touch') this.dragY = e.detail.y },
    onDrop(e) {
      if (this.dragY === undefined) return undefined
      const to = Math.max(0, Math.min(this.data.helpers.length - 1, Math.round(this.dragY / ROW)))
      this.dragY = undefined
      return this.save(Number(e.currentTarget.dataset.index), to)
    },
  },
})
