// The offline book (docs/offline-vouchers.md): one-time codes kept on the phone, shown when it has no network.
import {get, post} from "/static/api.js";

const KEY = "gj.offline";
const LOW = 5;                  // fewer unspent codes than this: take a new book while the network is here
const EARLY_MS = 5 * 60 * 1000; // and take one this long before the book expires

function stored() {
  try { return JSON.parse(localStorage.getItem(KEY)); } catch { return null; }
}
const save = (book) => localStorage.setItem(KEY, JSON.stringify(book));

// Another person may log in on this phone next: his page must never show our codes.
export const forget = () => localStorage.removeItem(KEY);

// While online: drop the codes a counter has scanned, and take a new book before this one runs low or expires.
export async function keepFresh() {
  let book = stored();
  if (book) {
    const live = new Set((await get("/vouchers/offline")).codes);
    book = {...book, codes: book.codes.filter((c) => live.has(c.payload))};
    save(book);
  }
  if (!book || book.codes.length < LOW || new Date(book.expires_at) - Date.now() < EARLY_MS) {
    const fresh = await post("/vouchers/offline");
    book = {expires_at: fresh.expires_at, codes: fresh.codes.map((payload, i) => ({payload, qr_png: fresh.qr_pngs[i]}))};
    save(book);
  }
  return book;
}

// With no network: the next code not known to be spent, with the book's expiry and how many are left.
export function next() {
  const book = stored();
  if (!book || !book.codes.length || new Date(book.expires_at) <= Date.now()) return null;
  return {...book.codes[0], expires_at: book.expires_at, left: book.codes.length};
}

// The counter scanned the code on screen (the phone cannot hear it offline): never show it again.
export function spend(payload) {
  const book = stored();
  if (book) save({...book, codes: book.codes.filter((c) => c.payload !== payload)});
}
