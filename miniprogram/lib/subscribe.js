// The subscribe dialog (wx.requestSubscribeMessage) at the moments people expect — inviting, accepting — and what
// the person accepted recorded with POST /notifications/subscriptions (API.md "Told at once"). WeChat shows the
// dialog only from a tap, so a page calls ask() first thing in its tap handler; the answer is recorded in the
// background and a refusal to record it never stops the action it came with.
const settings = require('./settings.js')
const {post} = require('./request.js')

function ask(moment) {
  const s = settings()
  const ids = s.subscribeAfter[moment].map((kind) => s.templates[kind]).filter(Boolean)
  return new Promise((resolve) => wx.requestSubscribeMessage({tmplIds: ids, success: resolve, fail: () => resolve(null)}))
    .then(async (answer) => {
      if (!answer) return null
      const accepted = ids.filter((id) => answer[id] === 'accept')
      try { await post('/notifications/subscriptions', {template_ids: ids, accepted}) } catch (e) { return null }
      return accepted
    })
}

module.exports = {ask}
