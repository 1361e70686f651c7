// Verify: the person's name and ID number, WeChat's face check (人脸核身) of that person, then POST /auth/verify
// with the check's verify_result, which the server confirms with WeChat before linking this login.
const screen = require('../../lib/screen.js')
const {post} = require('../../lib/request.js')

const faceCheck = (name, idCardNumber) => new Promise((resolve) => wx.startFacialRecognitionVerify({
  name, idCardNumber, checkAliveType: 2,
  success: (r) => resolve(r.verifyResult), fail: () => resolve(null),
}))

Component({
  behaviors: [screen],
  data: {name: '', idNumber: ''},
  methods: {
    onLoad() { this.title('verify.title') },
    send() {
      return this.guard(async () => {
        const name = this.data.name.trim(); const idNumber = this.data.idNumber.trim().toUpperCase()
        const verifyResult = await faceCheck(name, idNumber)
        if (!verifyResult) return this.setData({notice: this.t('mini.face_failed')})
        await post('/auth/verify', {id_number: idNumber, name, verify_result: verifyResult})
        this.toast('verify.done')
        const next = wx.getStorageSync('gj.next')
        wx.removeStorageSync('gj.next')
        return wx.reLaunch({url: next || '/pages/home/home'})
      })
    },
  },
})
