// Family proxy (亲情账户): the carer adds a relative, shows his voucher (the voucher page with proxy_id) and sees
// his settlements; the relative approves, declines or ends it.
const screen = require('../../lib/screen.js')
const {call, get, post} = require('../../lib/request.js')
const {helperRelation, relation, relationOptions} = require('../../lib/format.js')
const {settlementRow} = require('../../lib/rows.js')

const DONE = {approve: 'proxy.approved', decline: 'proxy.declined', end: 'proxy.ended'}

Component({
  behaviors: [screen],
  data: {relations: [], relIndex: 0, idNumber: '', name: '', asCarer: [], asPerson: [], recordsOf: ''},
  methods: {
    onLoad() { this.title('nav.proxies'); this.setData({relations: relationOptions()}) },
    onShow() { return this.load() },
    load() {
      return this.guard(async () => {
        const asCarer = (await get('/proxies?role=carer&limit=100')).items
        const asPerson = (await get('/proxies?role=person&limit=100')).items
        this.setData({
          asCarer: asCarer.map((p) => ({id: p.id, name: p.person.name_masked, active: p.status === 'active',
            open: ['pending', 'active'].includes(p.status),
            status: `${relation(p.relation)} · ${this.t(`proxy.carer_status.${p.status}`)}`})),
          asPerson: asPerson.map((p) => ({id: p.id, name: p.carer.name_masked, active: p.status === 'active',
            pending: p.status === 'pending',
            status: `${helperRelation(p.relation)} · ${this.t(`proxy.person_status.${p.status}`)}`})),
        })
      })
    },
    add() {
      return this.guard(async () => {
        const p = await post('/proxies', {relation: this.data.relations[this.data.relIndex].key,
          id_number: this.data.idNumber.trim().toUpperCase(), name: this.data.name.trim()})
        this.toast(p.status === 'active' ? 'proxy.added_active' : 'proxy.added_pending')
        this.setData({idNumber: '', name: ''})
        await this.load()
      })
    },
    act(e) {
      const {id, verb} = e.currentTarget.dataset
      return this.guard(async () => {
        if (verb === 'end') {
          if (!(await this.confirm('proxy.end_confirm'))) return
          await call('DELETE', `/proxies/${id}`)
        } else await post(`/proxies/${id}/${verb}`)
        this.toast(DONE[verb])
        await this.load()
      })
    },
    records(e) {
      const id = e.currentTarget.dataset.id
      const p = this.data.asCarer.find((x) => String(x.id) === String(id))
      return this.guard(async () => {
        this.setData({recordsOf: this.t('proxy.records_of', {name: p.name})})
        await this.list('settlements', `/settlements?proxy_id=${id}`, settlementRow)
      })
    },
  },
})
