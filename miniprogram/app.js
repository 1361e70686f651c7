// Gongji's citizens' mini-program: every screen is a page under pages/ speaking only the public API (API.md).
const font = require('./lib/font.js')

App({
  onLaunch() { font.ensure() },
})
