// The public API as the mini-program uses it: tokens in localStorage, refresh on expiry, errors in plain words
// (the catalogue's error.<code>), and the chosen language on every call so the server's texts come back in it.
import {apiLang, known, t, when} from "/static/i18n.js";

const BASE = "/api/v1";
export {when};

export class ApiError extends Error {
  constructor(status, code, message) {
    super(t(known(`error.${code}`) ? `error.${code}` : "error.unknown"));
    this.status = status; this.code = code; this.serverMessage = message;
  }
}

export const session = {
  get access() { return localStorage.getItem("gj.access"); },
  get refresh() { return localStorage.getItem("gj.refresh"); },
  save(pair) { localStorage.setItem("gj.access", pair.access_token); localStorage.setItem("gj.refresh", pair.refresh_token); },
  clear() { localStorage.removeItem("gj.access"); localStorage.removeItem("gj.refresh"); },
};

async function raw(method, path, body, headers = {}) {
  const init = {method, headers: {"Accept-Language": apiLang, ...headers}};
  if (body !== undefined) { init.body = JSON.stringify(body); init.headers["Content-Type"] = "application/json"; }
  if (session.access) init.headers.Authorization = "Bearer " + session.access;
  let resp;
  try { resp = await fetch(BASE + path, init); } catch { throw new ApiError(0, "network", ""); }
  return resp;
}

export async function call(method, path, body, headers) {
  let resp = await raw(method, path, body, headers);
  if (resp.status === 401 && session.refresh && !path.startsWith("/auth/")) {
    const r = await fetch(BASE + "/auth/refresh", {method: "POST", headers: {"Content-Type": "application/json", "Accept-Language": apiLang},
      body: JSON.stringify({refresh_token: session.refresh})});
    if (r.ok) { session.save(await r.json()); resp = await raw(method, path, body, headers); }
    else session.clear();
  }
  if (resp.status === 204) return {data: null, headers: resp.headers};
  const ctype = resp.headers.get("Content-Type") || "";
  const data = ctype.includes("json") ? await resp.json() : await resp.blob();
  if (!resp.ok) throw new ApiError(resp.status, data?.error?.code, data?.error?.message);
  return {data, headers: resp.headers};
}

export const get = (p) => call("GET", p).then((r) => r.data);
export const post = (p, b, h) => call("POST", p, b, h).then((r) => r.data);

export const yuan = (fen) => (fen < 0 ? "-" : "") + "¥" + (Math.abs(fen) / 100).toFixed(2);
const RELATIONS = ["spouse", "parent", "child", "sibling", "grandparent", "grandchild"];
export const relation = (k) => t(`relation.${k}`);
export const relationOptions = () => RELATIONS.map((k) => [k, relation(k)]);
// `relation` is always the beneficiary's relation to the benefactor; the beneficiary sees the reverse.
const REVERSE = {spouse: "spouse", parent: "child", child: "parent", sibling: "sibling", grandparent: "grandchild",
  grandchild: "grandparent"};
export const helperRelation = (k) => relation(REVERSE[k]);
