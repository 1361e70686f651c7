// The public API as the mini-program uses it: tokens in localStorage, refresh on expiry, errors in plain words.
const BASE = "/api/v1";

const WORDS = {
  invalid_request: "填写的内容有误，请检查后重试。",
  unauthenticated: "登录已失效，请重新登录。",
  token_expired: "登录已过期，请重新登录。",
  verification_required: "请先完成实名认证。",
  forbidden: "您无权进行此操作。",
  not_found: "没有找到该内容，可能已被撤销。",
  already_linked: "该账号或该参保人已绑定过。",
  already_bound: "你们已经绑定了家庭共济。",
  invitation_not_pending: "该邀请已被处理（已接受、谢绝或撤销）。",
  invitation_expired: "该邀请已过期，请让亲属重新生成二维码。",
  self_binding: "不能邀请自己。",
  not_close_relative: "登记的亲属关系与所选关系不符，无法绑定。",
  benefactor_not_eligible: "共济人须为西藏职工医保参保人，且个人账户正常、有余额。",
  beneficiary_not_eligible: "被共济人须为正常参保状态。",
  invitee_mismatch: "该邀请不是发给您的。",
  too_many_beneficiaries: "共济人最多可绑定7位亲属。",
  invalid_order: "排序无效，请刷新后重试。",
  precondition_failed: "顺序已在别处被修改，已为您恢复最新顺序。",
  precondition_required: "请刷新后重试。",
  voucher_used: "该电子凭证已使用，请刷新凭证。",
  voucher_expired: "该电子凭证已过期，请刷新凭证。",
  voucher_invalid: "无法识别的电子凭证。",
  ticket_used: "本次扫码已结算过。", ticket_invalid: "扫码已失效，请重新扫码。",
  idempotency_conflict: "该单号已用于另一笔结算。",
  binding_ended: "该共济关系已解除。",
  not_resident_insured: "仅可为城乡居民医保参保的亲属代缴。",
  no_schedule: "该年度暂无缴费标准。",
  outside_collection_window: "当前不在该年度的集中缴费期内。",
  already_paid: "该年度保费已缴纳。",
  insufficient_balance: "个人账户余额不足。",
  account_not_normal: "个人账户状态异常，暂不能支付。",
  rate_limited: "操作太频繁，请稍后再试。",
  service_unavailable: "服务暂时不可用，请稍后再试。",
  not_insured: "您的医保参保已终止，暂不能在柜台结算。",
  network: "网络不可用。没有网络时，「医保电子凭证」会出示离线码。",
};

export class ApiError extends Error {
  constructor(status, code, message) {
    super(WORDS[code] || "网络或服务异常，请稍后再试。");
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
  const init = {method, headers: {...headers}};
  if (body !== undefined) { init.body = JSON.stringify(body); init.headers["Content-Type"] = "application/json"; }
  if (session.access) init.headers.Authorization = "Bearer " + session.access;
  let resp;
  try { resp = await fetch(BASE + path, init); } catch { throw new ApiError(0, "network", ""); }
  return resp;
}

export async function call(method, path, body, headers) {
  let resp = await raw(method, path, body, headers);
  if (resp.status === 401 && session.refresh && !path.startsWith("/auth/")) {
    const r = await fetch(BASE + "/auth/refresh", {method: "POST", headers: {"Content-Type": "application/json"},
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
export const RELATION = {spouse: "配偶", parent: "父母", child: "子女", sibling: "兄弟姐妹",
  grandparent: "祖父母/外祖父母", grandchild: "孙子女/外孙子女"};
// `relation` is always the beneficiary's relation to the benefactor; the beneficiary sees the reverse.
const REVERSE = {spouse: "spouse", parent: "child", child: "parent", sibling: "sibling", grandparent: "grandchild",
  grandchild: "grandparent"};
export const helperRelation = (relation) => RELATION[REVERSE[relation]];
export const when = (iso) => iso ? new Date(iso).toLocaleString("zh-CN", {timeZone: "Asia/Shanghai", hour12: false}) : "";
