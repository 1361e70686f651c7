// The offline book (docs/offline-vouchers.md): one-time codes kept on the phone, shown when it has no network.
import {get, post} from "/static/api.js";

// One book per person shown: mine ("") or a relative's I care for (亲情账户), by proxy id.
const KEY = "gj.offline";
const keyOf = (proxy) => proxy ? `${KEY}.${proxy}` : KEY;
const query = (proxy) => proxy ? `?proxy_id=${proxy}` : "";
const LOW = 5;                  // fewer unspent codes than this: take a new book while the network is here
const EARLY_MS = 5 * 60 * 1000; // and take one this long before the book expires

function stored(proxy) {
  try { return JSON.parse(localStorage.getItem(keyOf(proxy))); } catch { return null; }
}
const save = (proxy, book) => localStorage.setItem(keyOf(proxy), JSON.stringify(book));

// Another person may log in on this phone next: his page must never show our codes (nor our relatives').
export const forget = () => Object.keys(localStorage).filter((k) => k === KEY || k.startsWith(`${KEY}.`))
  .forEach((k) => localStorage.removeItem(k));

// While online: drop the codes a counter has scanned, and take a new book before this one runs low or expires.
export async function keepFresh(proxy = "") {
  let book = stored(proxy);
  if (book) {
    const live = new Set((await get(`/vouchers/offline${query(proxy)}`)).codes);
    book = {...book, codes: book.codes.filter((c) => live.has(c.payload))};
    save(proxy, book);
  }
  if (!book || book.codes.length < LOW || new Date(book.expires_at) - Date.now() < EARLY_MS) {
    const fresh = await post("/vouchers/offline", proxy ? {proxy_id: Number(proxy)} : undefined);
    book = {expires_at: fresh.expires_at, codes: fresh.codes.map((payload, i) => ({payload, qr_png: fresh.qr_pngs[i]}))};
    save(proxy, book);
  }
  return book;
}

// With no network: the next code not known to be spent, with the book's expiry and how many are left.
export function next(proxy = "") {
  const book = stored(proxy);
  if (!book || !book.codes.length || new Date(book.expires_at) <= Date.now()) return null;
  return {...book.codes[0], expires_at: book.expires_at, left: book.codes.length};
}

// The counter scanned the code on screen (the phone cannot hear it offline): never show it again.
export function spend(payload, proxy = "") {
  const book = stored(proxy);
  if (book) save(proxy, {...book, codes: book.codes.filter((c) => c.payload !== payload)});
}
