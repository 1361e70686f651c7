// Money as people see it: statements, the benefactor's month per relative, premiums paid and their history.
import {ApiError, get, post, relation, when, yuan} from "/static/api.js";
import {h, notice, pager} from "/static/dom.js";
import {t} from "/static/i18n.js";
import {settlementRow} from "/static/proxies.js";
import {guard, screen} from "/static/shell.js";

const chinaMonth = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7);

export async function statementsPage() {
  const me = await get("/me");
  const entries = me.account && pager(get, "/account/entries", (e) => h("li", {},
    h("span", {}, t(`entry.${e.kind}`), e.counterparty ? " · " + t("who.named", {name: e.counterparty.name_masked,
      relation: e.counterparty.relation ? relation(e.counterparty.relation) : ""}) : "",
    e.channel ? " · " + t(`channel.${e.channel}`) : "",
    h("br"), h("span", {class: "mute"}, when(e.at) + (e.institution ? " · " + e.institution.name : ""))),
    h("span", {class: e.amount_fen < 0 ? "neg" : "pos"}, yuan(e.amount_fen))), "entries");
  const mine = pager(get, "/settlements", settlementRow, "settlements");
  screen(t("nav.statements"),
    entries && h("div", {class: "card"}, h("h2", {}, t("statements.account")), entries.el),
    h("div", {class: "card"}, h("h2", {}, t("statements.settlements")), mine.el));
  if (entries) await entries.load();
  await mine.load();
}

export async function summaryPage() {
  const month = h("input", {id: "summary-month", type: "month", value: chinaMonth()});
  const out = h("div", {id: "summary"});
  const load = () => guard(async () => {
    const s = await get(`/account/summary?month=${month.value}`);
    out.replaceChildren(h("div", {class: "big", id: "summary-total"}, yuan(s.total_fen)),
      s.items.length ? h("ul", {class: "rows", id: "summary-items"}, s.items.map((i) => h("li", {"data-binding": i.binding_id},
        h("span", {}, t("who.named", {name: i.beneficiary.name_masked, relation: relation(i.relation)}), h("br"),
          h("span", {class: "mute"}, t("summary.count", {n: i.settlements}))),
        h("span", {class: "neg"}, yuan(i.paid_fen))))) : h("p", {class: "mute"}, t("family.none")));
  });
  month.onchange = load;
  screen(t("nav.summary"), h("div", {class: "card"}, h("p", {class: "mute"}, t("summary.what")),
    h("label", {for: "summary-month"}, t("summary.month")), month, out));
  await load();
}

const premiumRow = (whose) => (p) => h("li", {}, h("span", {}, t("premium.row", {year: p.year, name: p[whose].name_masked}),
  h("br"), h("span", {class: "mute"}, when(p.paid_at))), h("span", {}, yuan(p.amount_fen)));

export async function premiumPage() {
  const me = await get("/me");
  const binds = me.account ? (await get("/bindings?role=benefactor&limit=100")).items.filter((b) => b.status === "active") : [];
  const thisYear = Number(chinaMonth().slice(0, 4));
  const year = h("select", {id: "year"}, [thisYear, thisYear + 1].map((y) => h("option", {value: y}, t("premium.year", {year: y}))));
  const who = h("select", {id: "who"}, binds.map((b) => h("option", {value: b.id}, t("who.named", {name: b.beneficiary.name_masked, relation: relation(b.relation)}))));
  const out = h("div");
  const paidBox = h("div");
  const loadPaid = async () => {
    const paid = pager(get, "/premiums?role=payer", premiumRow("beneficiary"), "premiums-paid", "premium.none");
    paidBox.replaceChildren(paid.el); await paid.load();
  };
  const forMe = pager(get, "/premiums?role=beneficiary", premiumRow("payer"), "premiums-for-me", "premium.none");
  const quote = async () => {
    const q = await get(`/premiums/quote?binding_id=${who.value}&year=${year.value}`);
    const pay = () => guard(async () => {
      if (!confirm(t("premium.confirm", {amount: yuan(q.amount_fen)}))) return;
      await post("/premiums", {binding_id: Number(who.value), year: Number(year.value)}, {"Idempotency-Key": crypto.randomUUID()});
      await quote(); await loadPaid();
      notice(t("premium.paid"), true);   // last: "you paid", beside the history that now shows it
    });
    out.replaceChildren(h("div", {class: "card"}, h("h2", {}, t("premium.title", {year: q.year})),
      h("div", {class: "big"}, q.amount_fen == null ? "—" : yuan(q.amount_fen)),
      q.window_opens && h("p", {class: "mute"}, t("premium.window", {from: q.window_opens, to: q.window_closes})),
      q.payable ? h("button", {class: "btn", id: "pay", onclick: pay}, t("premium.pay"))
        : h("p", {id: "reason"}, new ApiError(422, q.reason).message)));
  };
  const ask = () => guard(quote);
  who.onchange = ask; year.onchange = ask;
  screen(t("nav.premium"), binds.length ? h("div", {class: "card"}, h("label", {for: "who"}, t("premium.who")), who,
    h("label", {for: "year"}, t("premium.year_label")), year) : h("p", {class: "mute"}, t("premium.bind_first")), out,
  h("div", {class: "card"}, h("h2", {}, t("premium.history_paid")), paidBox),
  h("div", {class: "card"}, h("h2", {}, t("premium.history_mine")), forMe.el));
  if (binds.length) await ask();
  await loadPaid(); await forMe.load();
}
