// A phone for the tests: the mini-program's pages rendered by miniprogram-simulate, with a `wx` whose request goes
// over real HTTP to the test's gunicorn. Only WeChat's own APIs are stand-ins: wx.login (a `dev:<login>` code), the
// face check, wx.scanCode, storage, the subscribe dialog, wx.loadFontFace, navigation, toasts and modals.
const http = require('http')
const path = require('path')
const simulate = require('miniprogram-simulate')
const {state} = require('./server.js')

const ROOT = path.join(__dirname, '..')
const APP = require('../app.json')
// miniprogram-simulate runs a component's js with require() and deletes it from require.cache to run it again at the
// next load; jest's module registry ignores that, so each load runs the page's modules afresh in an isolated registry.
require('miniprogram-simulate/src/utils').runJs = (file) => jest.isolateModules(() => require(file))

class Phone {
  constructor(login, {lang = 'zh', large = false} = {}) {
    Object.assign(this, {login, storage: new Map(), offline: false, calls: [], nav: [], toasts: [], modals: [],
      titles: [], fonts: [], subscribed: [], watchers: new Set(), pending: 0, scanResult: null, subscribeAnswer: 'accept', pages: []})
    if (lang === 'bo') this.storage.set('gj.lang', '"bo"')
    if (large) this.storage.set('gj.large', '"1"')
  }

  use() { global.wx = this.wx(); return this }

  wx() {
    const phone = this
    const answer = (opts, ok, value) => setTimeout(() => {
      if (ok) opts.success && opts.success(value); else opts.fail && opts.fail(value)
      opts.complete && opts.complete(value)
    }, 0)
    const keep = (v) => JSON.stringify(v === undefined ? '' : v)
    return {
      request: (opts) => phone.request(opts),
      getStorageSync: (k) => (phone.storage.has(k) ? JSON.parse(phone.storage.get(k)) : ''),
      setStorageSync: (k, v) => { phone.storage.set(k, keep(v)) },
      removeStorageSync: (k) => { phone.storage.delete(k) },
      getStorageInfoSync: () => ({keys: [...phone.storage.keys()]}),
      getExtConfigSync: () => ({baseUrl: state().base}),
      getSystemInfoSync: () => ({platform: 'android'}),
      login: (opts) => answer(opts, true, {code: `dev:${phone.login}`}),
      startFacialRecognitionVerify: (opts) => {
        phone.faceCheck = {name: opts.name, idCardNumber: opts.idCardNumber}
        answer(opts, phone.faceOk !== false, {errCode: 0, verifyResult: `face-${phone.login}`})
      },
      scanCode: (opts) => answer(opts, phone.scanResult !== null, {result: phone.scanResult, scanType: 'QR_CODE'}),
      requestSubscribeMessage: (opts) => {
        phone.subscribed.push(opts.tmplIds)
        const said = (id) => (typeof phone.subscribeAnswer === 'object' ? phone.subscribeAnswer[id] || 'reject' : phone.subscribeAnswer)
        answer(opts, true, Object.assign({errMsg: 'requestSubscribeMessage:ok'}, ...opts.tmplIds.map((id) => ({[id]: said(id)}))))
      },
      loadFontFace: (opts) => { phone.fonts.push(opts); answer(opts, true, {status: 'loaded'}) },
      navigateTo: (opts) => { phone.nav.push(opts.url); answer(opts, true, {}) },
      redirectTo: (opts) => { phone.nav.push(opts.url); answer(opts, true, {}) },
      reLaunch: (opts) => { phone.nav.push(opts.url); answer(opts, true, {}) },
      navigateBack: (opts = {}) => { phone.nav.push('back'); answer(opts, true, {}) },
      setNavigationBarTitle: (opts) => { phone.titles.push(opts.title) },
      showToast: (opts) => { phone.toasts.push(opts.title) },
      showModal: (opts) => { phone.modals.push(opts.content); answer(opts, true, {confirm: true, cancel: false}) },
      showShareMenu: () => {},
      onNetworkStatusChange: (fn) => { phone.watchers.add(fn) },
      offNetworkStatusChange: (fn) => { phone.watchers.delete(fn) },
    }
  }

  // wx.request over real HTTP (JSON in and out, as WeChat does with dataType json), or failing with no network.
  request(opts) {
    this.pending += 1
    const done = (fn, value) => { this.pending -= 1; fn && fn(value); opts.complete && opts.complete(value) }
    const url = new URL(opts.url)
    const method = opts.method || 'GET'
    this.calls.push({method, path: url.pathname + url.search, header: opts.header || {}})
    if (this.offline) return setTimeout(() => done(opts.fail, {errMsg: 'request:fail'}), 0)
    const body = method === 'GET' || opts.data === '' || opts.data === undefined ? null : JSON.stringify(opts.data)
    const header = Object.assign({'content-type': 'application/json'}, opts.header)
    if (body !== null) header['Content-Length'] = Buffer.byteLength(body)
    const req = http.request(url, {method, headers: header, agent: false}, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let data = text
        try { data = JSON.parse(text) } catch (e) { /* not JSON: WeChat hands the text over */ }
        done(opts.success, {statusCode: res.statusCode, data, header: res.headers})
      })
    })
    req.on('error', (e) => done(opts.fail, {errMsg: `request:fail ${e.message}`}))
    if (body !== null) req.write(body)
    req.end()
    return {abort() {}}
  }

  // The network comes and goes: wx.request fails while it is gone, and pages that watch it are told.
  async network(connected) {
    this.offline = !connected
    this.use()
    this.watchers.forEach((fn) => fn({isConnected: connected, networkType: connected ? '4g' : 'none'}))
    await this.idle()
  }

  // Wait until no request is in flight and the page's continuations have run.
  async idle() {
    for (let quiet = 0; quiet < 3;) {
      await new Promise((r) => setTimeout(r, 15))
      quiet = this.pending === 0 ? quiet + 1 : 0
    }
  }

  // Open a page by its URL ("/pages/open/open?code=…"), as WeChat does: render, attach, onLoad(options), onShow.
  async open(url) {
    this.use()
    const [route, query] = url.replace(/^\//, '').split('?')
    const options = Object.fromEntries(new URLSearchParams(query || ''))
    const id = simulate.load(path.join(ROOT, route), {compiler: 'simulate', rootPath: ROOT,
      usingComponents: Object.assign({}, APP.usingComponents)})
    const comp = simulate.render(id)
    const parent = document.createElement('div')
    document.body.appendChild(parent)
    comp.attach(parent)
    const page = new Page(this, comp, route)
    this.pages.push(page)
    if (comp.instance.onLoad) await comp.instance.onLoad(options)
    if (comp.instance.onShow) await comp.instance.onShow()
    await this.idle()
    return page
  }

  // Where the last navigation went: open it.
  follow() { return this.open(this.nav[this.nav.length - 1]) }

  close() { this.pages.forEach((p) => p.close()); this.pages = [] }
}

// A page's own classes come out prefixed `main--`; a component's (`qr--d`) are written with their prefix.
const css = (selector) => selector.replace(/\.([\w-]+)/g, (_, c) => (c.includes('--') ? `.${c}` : `.main--${c}`))

class Page {
  constructor(phone, comp, route) { Object.assign(this, {phone, comp, route}) }

  get instance() { return this.comp.instance }
  get data() { return this.comp.instance.data }
  get dom() { return this.comp.dom }
  // The DOM element of a selector: `#id` as the WXML names it, `.class` as the WXSS does (the simulator prefixes it).
  el(selector) {
    if (!selector) return this.dom
    if (selector.startsWith('#')) { const c = this.comp.querySelector(selector); return c ? c.dom : null }
    return this.dom.querySelector(css(selector))
  }
  text(selector) {
    const el = this.el(selector)
    return el ? el.textContent.replace(/\s+/g, ' ').trim() : null
  }
  has(selector) { return !!this.el(selector) }
  all(selector) { return [...this.dom.querySelectorAll(css(selector))] }
  // Fire an event on the element with this id (wx:for rows carry ids); wait for what it set going.
  async fire(id, event = 'tap', detail = {}) {
    this.phone.use()
    const el = this.comp.querySelector(`#${id}`) || this.barSwitch(id)
    if (!el) throw new Error(`no #${id} on ${this.route}: ${this.text()}`)
    el.dispatchEvent(event, {detail})
    await this.phone.idle()
  }
  barSwitch(id) { const bar = this.comp.querySelector('#bar'); return bar && bar.querySelector(`#${id}`) }
  tap(id) { return this.fire(id) }
  input(id, value) { return this.fire(id, 'input', {value}) }
  change(id, value) { return this.fire(id, 'change', {value}) }
  network(connected) { return this.phone.network(connected) }
  close() { try { this.comp.detach() } catch (e) { /* already detached */ } }
}

module.exports = {Phone, ROOT, APP}
