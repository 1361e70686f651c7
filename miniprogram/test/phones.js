// Phones a test uses, closed (their pages' timers stopped) after each test; signing in as WeChat does.
const {Phone} = require('./phone.js')

const open = []
afterEach(() => open.splice(0).forEach((p) => p.close()))

function phone(login, options) {
  const p = new Phone(login, options)
  open.push(p)
  return p
}

// Log in on the login page (wx.login -> POST /auth/login); the phone then holds its tokens.
async function signedIn(login, options) {
  const p = phone(login, options)
  const page = await p.open('/pages/login/login')
  await page.tap('login')
  if (!p.storage.get('gj.access')) throw new Error(`${login} could not log in: ${page.text()}`)
  page.close()
  return p
}

module.exports = {phone, signedIn}
