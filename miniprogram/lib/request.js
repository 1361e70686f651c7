// The public API as the mini-program uses it (API.md, citizens): wx.request with the base URL, the Bearer token,
// Accept-Language; one refresh on 401 token_expired; every refusal an ApiError with the contract's code and our words.
const settings = require('./settings.js')
const {apiLang, known, t} = require('./i18n.js')

const ACCESS = 'gj.access'
const REFRESH = 'gj.refresh'

class ApiError extends Error {
  constructor(status, code, serverMessage, details) {
    super(t(known(`error.${code}`) ? `error.${code}` : 'error.unknown'))
    Object.assign(this, {status, code, serverMessage, details: details || {}})
  }
}

const session = {
  get access() { return wx.getStorageSync(ACCESS) || '' },
  get refresh() { return wx.getStorageSync(REFRESH) || '' },
  save(pair) { wx.setStorageSync(ACCESS, pair.access_token); wx.setStorageSync(REFRESH, pair.refresh_token) },
  clear() { wx.removeStorageSync(ACCESS); wx.removeStorageSync(REFRESH) },
}

const header = (res, name) => {
  const h = res.header || {}
  const key = Object.keys(h).find((k) => k.toLowerCase() === name.toLowerCase())
  return key === undefined ? null : h[key]
}

function send(method, path, body, headers) {
  const head = Object.assign({'Accept-Language': apiLang(), 'Content-Type': 'application/json'}, headers)
  if (session.access) head.Authorization = 'Bearer ' + session.access
  return new Promise((resolve, reject) => wx.request({
    url: settings().baseUrl + '/api/v1' + path, method, header: head, data: body === undefined ? '' : body,
    dataType: 'json',
    success: resolve,
    fail: () => reject(new ApiError(0, 'network', '')),
  }))
}

const errorOf = (res) => (res.data && typeof res.data === 'object' && res.data.error) || {}

async function refreshed() {
  const res = await send('POST', '/auth/refresh', {refresh_token: session.refresh})
  if (res.statusCode !== 200) { session.clear(); return false }
  session.save(res.data)
  return true
}

// {data, etag, status} of one call; throws ApiError for anything but 2xx.
async function call(method, path, body, headers) {
  let res = await send(method, path, body, headers)
  if (res.statusCode === 401 && errorOf(res).code === 'token_expired' && session.refresh && await refreshed()) {
    res = await send(method, path, body, headers)
  }
  if (res.statusCode < 200 || res.statusCode >= 300) {
    const e = errorOf(res)
    throw new ApiError(res.statusCode, e.code || 'unknown', e.message, e.details)
  }
  return {data: res.statusCode === 204 ? null : res.data, etag: header(res, 'ETag'), status: res.statusCode}
}

const get = (path) => call('GET', path).then((r) => r.data)
const post = (path, body, headers) => call('POST', path, body, headers).then((r) => r.data)

// A refusal's words when the server answers with a code instead of an error (a premium quote's `reason`).
const words = (code) => new ApiError(422, code).message

module.exports = {ApiError, session, call, get, post, words}
