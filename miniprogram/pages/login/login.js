// Login: wx.login's code -> POST /auth/login; the tokens are kept in storage (lib/request.js refreshes them).
const screen = require('../../lib/screen.js')
const {post, session} = require('../../lib/request.js')
const offline = require('../../lib/offline.js')

const wxLogin = () => new Promise((resolve, reject) => wx.login({success: (r) => resolve(r.code), fail: reject}))

Component({
  behaviors: [screen],
  methods: {
    onLoad() { this.title('login.title') },
    login() {
      return this.guard(async () => {
        const code = await wxLogin()
        const pair = await post('/auth/login', {code})
        session.save(pair)
        offline.forget()   // another person may have used this phone: never show his codes
        if (!pair.verified) return wx.reLaunch({url: '/pages/verify/verify'})
        const next = wx.getStorageSync('gj.next')   // an invitation opened before logging in
        wx.removeStorageSync('gj.next')
        return wx.reLaunch({url: next || '/pages/home/home'})
      })
    },
  },
})
