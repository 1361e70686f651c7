// The deployment's settings: config.js, overridden by ext.json's extJson where the build sets one.
const config = require('../config.js')

module.exports = function settings() {
  let ext = {}
  try { ext = (wx.getExtConfigSync && wx.getExtConfigSync()) || {} } catch (e) { ext = {} }
  return Object.assign({}, config, ext)
}
