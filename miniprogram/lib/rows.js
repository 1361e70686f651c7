// Rows several pages show the same way: a settlement as the patient sees it (who paid what, and how).
const {t} = require('./i18n.js')
const {when, yuan} = require('./format.js')

const settlementRow = (s) => ({
  id: s.id,
  institution: s.institution.name,
  parts: [t('settlement.own', {amount: yuan(s.own_account_fen)}),
    ...s.mutual_aid.map((a) => `${a.benefactor.name_masked} ${yuan(a.amount_fen)}`),
    t('settlement.cash', {amount: yuan(s.cash_fen)}), s.channel ? t(`channel.${s.channel}`) : ''].filter(Boolean).join(' · '),
  at: when(s.settled_at),
  total: yuan(s.total_fen) + (s.status === 'reversed' ? ' ' + t('settlement.reversed') : ''),
})

module.exports = {settlementRow}
