// Family proxy (亲情账户): the carer adds a relative and shows his voucher; the relative consents or ends it.
import {call, get, helperRelation, post, relation, relationOptions, yuan} from "/static/api.js";
import {h, pager} from "/static/dom.js";
import {t} from "/static/i18n.js";

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

// A settlement as the patient sees it: who paid what, and how it was paid.
export const settlementRow = (s) => h("li", {}, h("span", {}, s.institution.name, h("br"), h("span", {class: "mute"},
  [t("settlement.own", {amount: yuan(s.own_account_fen)}), ...s.mutual_aid.map((a) => `${a.benefactor.name_masked} ${yuan(a.amount_fen)}`),
    t("settlement.cash", {amount: yuan(s.cash_fen)}), s.channel ? t(`channel.${s.channel}`) : ""].filter(Boolean).join(" · "))),
h("span", {}, yuan(s.total_fen), s.status === "reversed" ? " " + t("settlement.reversed") : ""));

export async function proxiesPage({screen, guard, go, flash}) {
  const asCarer = (await get("/proxies?role=carer&limit=100")).items;
  const asPerson = (await get("/proxies?role=person&limit=100")).items;
  const records = h("div", {id: "proxy-records"});
  const act = (verb, p, done) => guard(async () => {
    if (verb === "end") {
      if (!confirm(t("proxy.end_confirm"))) return;
      await call("DELETE", `/proxies/${p.id}`);
    } else await post(`/proxies/${p.id}/${verb}`);
    flash(t(done)); go("#proxies");
  });
  const show = (p) => { pickProxy(p.id); go("#voucher"); };
  const history = (p) => guard(async () => {
    const list = pager(get, `/settlements?proxy_id=${p.id}`, settlementRow, "proxy-settlements");
    records.replaceChildren(h("div", {class: "card"}, h("h2", {}, t("proxy.records_of", {name: p.person.name_masked})), list.el));
    await list.load();
  });
  const rel = h("select", {id: "proxy-relation"}, relationOptions().map(([k, v]) => h("option", {value: k}, v)));
  const idNumber = h("input", {id: "proxy-id-number", placeholder: t("proxy.id_number_hint"), autocomplete: "off"});
  const name = h("input", {id: "proxy-name", placeholder: t("proxy.name_hint"), autocomplete: "off"});
  const add = () => guard(async () => {
    const p = await post("/proxies", {relation: rel.value, id_number: idNumber.value, name: name.value});
    flash(t(p.status === "active" ? "proxy.added_active" : "proxy.added_pending"));
    go("#proxies");
  });
  const end = (p) => h("button", {class: "link", style: "color:var(--red)", onclick: () => act("end", p, "proxy.ended")}, t("proxy.end"));
  screen(t("nav.proxies"),
    h("div", {class: "card"}, h("h2", {}, t("proxy.add_title")),
      h("p", {class: "mute"}, t("proxy.what")),
      h("label", {for: "proxy-relation"}, t("proxy.relation")), rel, h("label", {for: "proxy-id-number"}, t("proxy.id_number")), idNumber,
      h("label", {for: "proxy-name"}, t("proxy.name")), name,
      h("p", {}, h("button", {class: "btn", id: "proxy-add", onclick: add}, t("proxy.add")))),
    h("div", {class: "card"}, h("h2", {}, t("proxy.i_show")), asCarer.length ? h("ul", {class: "rows", id: "proxies-carer"},
      asCarer.map((p) => h("li", {"data-proxy": p.id}, h("span", {}, p.person.name_masked, h("br"),
        h("span", {class: "mute status"}, `${relation(p.relation)} · ${t(`proxy.carer_status.${p.status}`)}`)),
      h("span", {class: "actions"}, p.status === "active" && [
        h("button", {class: "link", "data-show": p.id, onclick: () => show(p)}, t("proxy.show")),
        h("button", {class: "link", "data-records": p.id, onclick: () => history(p)}, t("proxy.records"))],
      ["pending", "active"].includes(p.status) && end(p)))))
      : h("p", {class: "mute"}, t("list.empty"))),
    records,
    h("div", {class: "card"}, h("h2", {}, t("proxy.shows_me")), asPerson.length ? h("ul", {class: "rows", id: "proxies-person"},
      asPerson.map((p) => h("li", {"data-proxy": p.id}, h("span", {}, p.carer.name_masked, h("br"),
        h("span", {class: "mute status"}, `${helperRelation(p.relation)} · ${t(`proxy.person_status.${p.status}`)}`)),
      h("span", {class: "actions"}, p.status === "pending" && [
        h("button", {class: "link", id: `approve-${p.id}`, onclick: () => act("approve", p, "proxy.approved")}, t("proxy.approve")),
        h("button", {class: "link", id: `decline-${p.id}`, onclick: () => act("decline", p, "proxy.declined")}, t("open.decline"))],
      p.status === "active" && end(p)))))
      : h("p", {class: "mute"}, t("list.empty"))));
}
