// Money, moments and relations as people read them (the same forms as static/api.js and static/i18n.js).
const {t} = require('./i18n.js')

const yuan = (fen) => (fen < 0 ? '-' : '') + '¥' + (Math.abs(fen) / 100).toFixed(2)

// A moment in China time, written the same in every language: 2026-03-10 09:05.
function when(iso) {
  if (!iso) return ''
  const d = new Date(new Date(iso).getTime() + 8 * 3600e3).toISOString()
  return d.slice(0, 10) + ' ' + d.slice(11, 16)
}
const chinaMonth = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7)

const RELATIONS = ['spouse', 'parent', 'child', 'sibling', 'grandparent', 'grandchild']
const REVERSE = {spouse: 'spouse', parent: 'child', child: 'parent', sibling: 'sibling', grandparent: 'grandchild',
  grandchild: 'grandparent'}
const relation = (k) => t(`relation.${k}`)
// `relation` is always the beneficiary's relation to the benefactor; the beneficiary sees the reverse.
const helperRelation = (k) => relation(REVERSE[k])
const relationOptions = () => RELATIONS.map((k) => ({key: k, text: relation(k)}))

// Seconds left until `until`, as the countdown reads.
function left(until) {
  const s = Math.max(0, Math.round((new Date(until) - Date.now()) / 1000))
  const text = s > 3600 ? t('time.expires_hours', {h: Math.floor(s / 3600), m: Math.floor(s % 3600 / 60)})
    : t('time.expires_in', {left: `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`})
  return {seconds: s, text}
}

module.exports = {yuan, when, chinaMonth, RELATIONS, relation, helperRelation, relationOptions, left}
