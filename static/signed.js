// Signed counter requests (API.md, "Institutions"), computed in the page with Web Crypto.
import {notice} from "/static/dom.js";
import {apiLang, known, t} from "/static/i18n.js";

const $ = (id) => document.getElementById(id);
const enc = new TextEncoder();
const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");

export async function signed(method, path, body) {
  const raw = body === undefined ? "" : JSON.stringify(body);
  const ts = String(Math.floor(Date.now() / 1000));
  const nonce = hex(crypto.getRandomValues(new Uint8Array(16)));
  const bodyHash = hex(await crypto.subtle.digest("SHA-256", enc.encode(raw)));
  const key = await crypto.subtle.importKey("raw", enc.encode($("secret").value), {name: "HMAC", hash: "SHA-256"}, false, ["sign"]);
  const full = "/api/v1" + path;
  const sig = hex(await crypto.subtle.sign("HMAC", key, enc.encode([method, full, ts, nonce, bodyHash].join("\n"))));
  const resp = await fetch(full, {method, body: raw || undefined, headers: {"Content-Type": "application/json", "Accept-Language": apiLang,
    "X-Institution-Id": $("inst").value, "X-Timestamp": ts, "X-Nonce": nonce, "X-Signature": sig}});
  const data = await resp.json();
  const code = `error.${data?.error?.code}`;
  if (!resp.ok) throw new Error(t(known(code) ? code : "error.unknown"));
  return data;
}

// A button's handler that shows a refusal in plain words instead of failing silently.
export const safely = (fn) => async () => { try { notice(""); await fn(); } catch (e) { notice(e.message); } };
