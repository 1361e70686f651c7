// The invitation code in what a QR or an ordinary-link open gave us: PUBLIC_BASE_URL/i/<code>, or null.
module.exports = function invitationCode(text) {
  const m = /\/i\/([\w-]+)\/?(?:[?#].*)?$/.exec(String(text || ''))
  return m ? m[1] : null
}
