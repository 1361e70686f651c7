// Family proxy (亲情账户): the carer adds a relative and shows his voucher; the relative consents or ends it.
import {RELATION, call, get, helperRelation, post, yuan} from "/static/api.js";
import {h} from "/static/dom.js";

const AS_CARER = {pending: "等待其本人同意", active: "已生效", declined: "对方已谢绝", ended: "已解除"};
const AS_PERSON = {pending: "等待您同意", active: "已生效", declined: "您已谢绝", ended: "已解除"};
const PICKED = "gj.proxy";  // whose voucher the voucher page shows (a proxy id; absent: my own)

export const pickedProxy = () => sessionStorage.getItem(PICKED) || "";
export const pickProxy = (id) => (id ? sessionStorage.setItem(PICKED, String(id)) : sessionStorage.removeItem(PICKED));

// The relatives whose voucher I may show now.
// Kept on the phone too, so that with no network the carer can still pick his relative's offline book
// (static/offline.js forgets it at login and logout with the books).
const KEPT = "gj.offline.carer-of";
export async function activeProxies() {
  try {
    const active = (await get("/proxies?role=carer&limit=100")).items.filter((p) => p.status === "active");
    localStorage.setItem(KEPT, JSON.stringify(active));
    return active;
  } catch (e) {
    if (e.code !== "network") throw e;
    try { return JSON.parse(localStorage.getItem(KEPT)) || []; } catch { return []; }
  }
}

// Settlements as the patient sees them: who paid what.
export const settlementList = (items, id) => items.length ? h("ul", {class: "rows", id}, items.map((s) =>
  h("li", {}, h("span", {}, s.institution.name, h("br"), h("span", {class: "mute"},
    [`本人 ${yuan(s.own_account_fen)}`, ...s.mutual_aid.map((a) => `${a.benefactor.name_masked} ${yuan(a.amount_fen)}`),
      `现金 ${yuan(s.cash_fen)}`].join(" · "))),
  h("span", {}, yuan(s.total_fen), s.status === "reversed" ? " 已退" : "")))) : h("p", {class: "mute", id}, "暂无记录。");

export async function proxiesPage({screen, guard, go, flash}) {
  const asCarer = (await get("/proxies?role=carer&limit=100")).items;
  const asPerson = (await get("/proxies?role=person&limit=100")).items;
  const records = h("div", {id: "proxy-records"});
  const act = (verb, p, done) => guard(async () => {
    if (verb === "end") {
      if (!confirm("确定解除该亲情账户吗？解除后立即生效。")) return;
      await call("DELETE", `/proxies/${p.id}`);
    } else await post(`/proxies/${p.id}/${verb}`);
    flash(done); go("#proxies");
  });
  const show = (p) => { pickProxy(p.id); go("#voucher"); };
  const history = (p) => guard(async () => {
    const items = (await get(`/settlements?proxy_id=${p.id}`)).items;
    records.replaceChildren(h("div", {class: "card"}, h("h2", {}, `${p.person.name_masked} 的就医结算`),
      settlementList(items, "proxy-settlements")));
  });
  const rel = h("select", {id: "proxy-relation"}, Object.entries(RELATION).map(([k, v]) => h("option", {value: k}, v)));
  const idNumber = h("input", {id: "proxy-id-number", placeholder: "身份证号", autocomplete: "off"});
  const name = h("input", {id: "proxy-name", placeholder: "姓名", autocomplete: "off"});
  const add = () => guard(async () => {
    const p = await post("/proxies", {relation: rel.value, id_number: idNumber.value, name: name.value});
    flash(p.status === "active" ? "已开通，可代其出示医保电子凭证。" : "已发出申请，等待其本人同意。");
    go("#proxies");
  });
  screen("亲情账户",
    h("div", {class: "card"}, h("h2", {}, "添加亲属"),
      h("p", {class: "mute"}, "为没有手机的老人或孩子出示医保电子凭证。未满16周岁的子女、孙子女立即生效；其他亲属须本人登录同意。"),
      h("label", {for: "proxy-relation"}, "对方是您的"), rel, h("label", {for: "proxy-id-number"}, "对方身份证号"), idNumber,
      h("label", {for: "proxy-name"}, "对方姓名"), name,
      h("p", {}, h("button", {class: "btn", id: "proxy-add", onclick: add}, "添加"))),
    h("div", {class: "card"}, h("h2", {}, "我代出示的亲属"), asCarer.length ? h("ul", {class: "rows", id: "proxies-carer"},
      asCarer.map((p) => h("li", {"data-proxy": p.id}, h("span", {}, p.person.name_masked, h("br"),
        h("span", {class: "mute status"}, `${RELATION[p.relation]} · ${AS_CARER[p.status]}`)),
      h("span", {}, p.status === "active" && [
        h("button", {class: "link", "data-show": p.id, onclick: () => show(p)}, "出示凭证"),
        h("button", {class: "link", "data-records": p.id, onclick: () => history(p)}, "就医记录")],
      ["pending", "active"].includes(p.status) &&
        h("button", {class: "link", style: "color:var(--red)", onclick: () => act("end", p, "已解除。")}, "解除")))))
      : h("p", {class: "mute"}, "暂无。")),
    records,
    h("div", {class: "card"}, h("h2", {}, "代我出示的亲属"), asPerson.length ? h("ul", {class: "rows", id: "proxies-person"},
      asPerson.map((p) => h("li", {"data-proxy": p.id}, h("span", {}, p.carer.name_masked, h("br"),
        h("span", {class: "mute status"}, `${helperRelation(p.relation)} · ${AS_PERSON[p.status]}`)),
      h("span", {}, p.status === "pending" && [
        h("button", {class: "link", id: `approve-${p.id}`, onclick: () => act("approve", p, "已同意。")}, "同意"),
        h("button", {class: "link", id: `decline-${p.id}`, onclick: () => act("decline", p, "已谢绝。")}, "谢绝")],
      p.status === "active" &&
        h("button", {class: "link", style: "color:var(--red)", onclick: () => act("end", p, "已解除。")}, "解除")))))
      : h("p", {class: "mute"}, "暂无。")));
}
