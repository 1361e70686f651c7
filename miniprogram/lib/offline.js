// The offline book (docs/offline-vouchers.md), kept in the phone's storage: one-time codes shown with no network.
// One book per person shown: mine ('') or a relative's I care for (亲情账户), by proxy id.
const {get, post} = require('./request.js')

const KEY = 'gj.offline'
const keyOf = (proxy) => (proxy ? `${KEY}.${proxy}` : KEY)
const query = (proxy) => (proxy ? `?proxy_id=${proxy}` : '')
const LOW = 5                   // fewer unspent codes than this: take a new book while the network is here
const EARLY_MS = 5 * 60 * 1000  // and take one this long before the book expires

const stored = (proxy) => wx.getStorageSync(keyOf(proxy)) || null
const save = (proxy, book) => wx.setStorageSync(keyOf(proxy), book)

// Another person may log in on this phone next: his pages must never show our codes (nor our relatives').
function forget() {
  wx.getStorageInfoSync().keys.filter((k) => k === KEY || k.startsWith(`${KEY}.`)).forEach((k) => wx.removeStorageSync(k))
}

// While online: drop the codes a counter has scanned, and take a new book before this one runs low or expires.
async function keepFresh(proxy = '') {
  let book = stored(proxy)
  if (book) {
    const live = new Set((await get(`/vouchers/offline${query(proxy)}`)).codes)
    book = {expires_at: book.expires_at, codes: book.codes.filter((c) => live.has(c))}
    save(proxy, book)
  }
  if (!book || book.codes.length < LOW || new Date(book.expires_at) - Date.now() < EARLY_MS) {
    const fresh = await post('/vouchers/offline', proxy ? {proxy_id: Number(proxy)} : undefined)
    book = {expires_at: fresh.expires_at, codes: fresh.codes}
    save(proxy, book)
  }
  return book
}

// With no network: the next code not known to be spent, with the book's expiry and how many are left.
function next(proxy = '') {
  const book = stored(proxy)
  if (!book || !book.codes.length || new Date(book.expires_at) <= Date.now()) return null
  return {payload: book.codes[0], expires_at: book.expires_at, left: book.codes.length}
}

// The counter scanned the code on screen (the phone cannot hear it offline): never show it again.
function spend(payload, proxy = '') {
  const book = stored(proxy)
  if (book) save(proxy, {expires_at: book.expires_at, codes: book.codes.filter((c) => c !== payload)})
}

// The relatives whose voucher I may show, kept too so that with no network the carer can pick his relative's book.
const CARER_OF = `${KEY}.carer-of`
async function activeProxies() {
  try {
    const active = (await get('/proxies?role=carer&limit=100')).items.filter((p) => p.status === 'active')
    wx.setStorageSync(CARER_OF, active)
    return active
  } catch (e) {
    if (e.code !== 'network') throw e
    return wx.getStorageSync(CARER_OF) || []
  }
}

module.exports = {forget, keepFresh, next, spend, activeProxies}
