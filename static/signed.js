// Signed counter requests (API.md, "Institutions"), computed in the page with Web Crypto.
import {notice} from "/static/dom.js";

const $ = (id) => document.getElementById(id);
const enc = new TextEncoder();
const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");

const WORDS = {voucher_used: "该凭证已使用，请患者刷新凭证。", voucher_expired: "凭证已过期，请患者刷新凭证。",
  voucher_invalid: "无法识别的凭证。", ticket_invalid: "扫码已失效，请重新扫码。", ticket_used: "本次扫码已结算过。",
  idempotency_conflict: "该单号已用于另一笔结算。", bad_signature: "机构密钥不正确。", unknown_institution: "机构编号不存在。",
  stale_timestamp: "本机时间不准确，请校准。", nonce_reused: "请求重复，请重试。", invalid_request: "录入内容有误。",
  not_found: "找不到该结算。", rate_limited: "操作太频繁，请稍后再试。",
  service_unavailable: "服务暂时不可用，请稍后再试。"};

export async function signed(method, path, body) {
  const raw = body === undefined ? "" : JSON.stringify(body);
  const ts = String(Math.floor(Date.now() / 1000));
  const nonce = hex(crypto.getRandomValues(new Uint8Array(16)));
  const bodyHash = hex(await crypto.subtle.digest("SHA-256", enc.encode(raw)));
  const key = await crypto.subtle.importKey("raw", enc.encode($("secret").value), {name: "HMAC", hash: "SHA-256"}, false, ["sign"]);
  const full = "/api/v1" + path;
  const sig = hex(await crypto.subtle.sign("HMAC", key, enc.encode([method, full, ts, nonce, bodyHash].join("\n"))));
  const resp = await fetch(full, {method, body: raw || undefined, headers: {"Content-Type": "application/json",
    "X-Institution-Id": $("inst").value, "X-Timestamp": ts, "X-Nonce": nonce, "X-Signature": sig}});
  const data = await resp.json();
  if (!resp.ok) throw new Error(WORDS[data?.error?.code] || "服务异常，请稍后再试。");
  return data;
}

// A button's handler that shows a refusal in plain words instead of failing silently.
export const safely = (fn) => async () => { try { notice(""); await fn(); } catch (e) { notice(e.message); } };
