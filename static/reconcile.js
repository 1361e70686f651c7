// 对账: a China date's totals by channel, its settlements, and a check of the figures the clerk types in.
import {h} from "/static/dom.js";
import {yuan} from "/static/api.js";
import {t, when} from "/static/i18n.js";
import {safely, signed} from "/static/signed.js";

const $ = (id) => document.getElementById(id);
const CHANNELS = ["voucher", "offline_voucher", "card"];
const FIELDS = ["count", "total_fen", "own_account_fen", "mutual_aid_fen", "cash_fen"];
const label = (f) => t(`recon.field.${f}`);
const shown = (field, value) => (field === "count" ? String(value) : yuan(value));
let cursor = null;

$("recon-date").value = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);   // today, China time

const head = (first, names) => h("thead", {}, h("tr", {}, h("th", {}, first), ...names.map((n) => h("th", {class: "num"}, n))));
const totals = (label, t, key) => h("tr", {"data-row": key}, h("th", {}, label),
  ...FIELDS.map((f) => h("td", {class: "num"}, shown(f, t[f]))));

async function more(day) {
  const page = await signed("GET", `/counter/reconciliation/details?date=${day}` + (cursor ? `&cursor=${cursor}` : ""));
  $("recon-list").append(...page.items.map((s) => h("tr", {"data-order": s.order_no}, h("td", {}, s.order_no),
    h("td", {}, t(`channel.${s.channel}`)), h("td", {}, when(s.settled_at)),
    h("td", {}, s.status === "reversed" ? t("counter.reversed_at", {at: when(s.reversed_at)}) : t("counter.settled")),
    h("td", {class: "num"}, yuan(s.total_fen)))));
  cursor = page.next_cursor;
  $("recon-more").hidden = !cursor;
}

$("recon-load").onclick = safely(async () => {
  const day = $("recon-date").value;
  const r = await signed("GET", `/counter/reconciliation?date=${day}`);
  $("recon-totals").replaceChildren(h("table", {id: "recon-table"}, head(r.date, FIELDS.map(label)),
    h("tbody", {}, totals(t("recon.settled"), r.settled, "settled"), totals(t("recon.reversed"), r.reversed, "reversed"),
      ...CHANNELS.map((c) => totals(t("recon.of_channel", {channel: t(`channel.${c}`)}), r.by_channel[c], c)))));
  $("recon-list").replaceChildren();
  cursor = null;
  await more(day);
});
$("recon-more").onclick = safely(() => more($("recon-date").value));
$("recon-check").onclick = safely(async () => {
  const fen = (id) => Math.round(Number($(id).value) * 100);
  const settled = {count: Number($("their-count").value), total_fen: fen("their-total"),
    own_account_fen: fen("their-own"), mutual_aid_fen: fen("their-aid")};
  const r = await signed("POST", "/counter/reconciliation", {date: $("recon-date").value, settled});
  $("recon-result").replaceChildren(r.matched ? h("p", {class: "pos", id: "recon-verdict"}, t("recon.matched"))
    : h("div", {}, h("p", {class: "neg", id: "recon-verdict"}, t("recon.differs")),
      h("table", {id: "recon-diff"}, head(t("recon.item"), [t("recon.ours"), t("recon.yours")]), h("tbody", {},
        ...Object.entries(r.differences).map(([f, d]) => h("tr", {"data-field": f}, h("th", {}, label(f)),
          h("td", {class: "num"}, shown(f, d.ours)), h("td", {class: "num"}, shown(f, d.yours))))))));
});
