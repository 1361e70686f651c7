// 对账: a China date's totals by channel, its settlements, and a check of the figures the clerk types in.
import {h} from "/static/dom.js";
import {yuan} from "/static/api.js";
import {safely, signed} from "/static/signed.js";

const $ = (id) => document.getElementById(id);
const CHANNELS = {voucher: "电子凭证", offline_voucher: "离线凭证", card: "医保卡"};
const FIELDS = {count: "笔数", total_fen: "总金额", own_account_fen: "个人账户", mutual_aid_fen: "家庭共济", cash_fen: "现金"};
const shown = (field, value) => (field === "count" ? String(value) : yuan(value));
const when = (iso) => iso.slice(0, 16).replace("T", " ");   // already China time (+08:00)
let cursor = null;

$("recon-date").value = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);   // today, China time

const head = (first, names) => h("thead", {}, h("tr", {}, h("th", {}, first), ...names.map((n) => h("th", {class: "num"}, n))));
const totals = (label, t, key) => h("tr", {"data-row": key}, h("th", {}, label),
  ...Object.keys(FIELDS).map((f) => h("td", {class: "num"}, shown(f, t[f]))));

async function more(day) {
  const page = await signed("GET", `/counter/reconciliation/details?date=${day}` + (cursor ? `&cursor=${cursor}` : ""));
  $("recon-list").append(...page.items.map((s) => h("tr", {"data-order": s.order_no}, h("td", {}, s.order_no),
    h("td", {}, CHANNELS[s.channel] || s.channel), h("td", {}, when(s.settled_at)),
    h("td", {}, s.status === "reversed" ? `已退费 ${when(s.reversed_at)}` : "已结算"),
    h("td", {class: "num"}, yuan(s.total_fen)))));
  cursor = page.next_cursor;
  $("recon-more").hidden = !cursor;
}

$("recon-load").onclick = safely(async () => {
  const day = $("recon-date").value;
  const r = await signed("GET", `/counter/reconciliation?date=${day}`);
  $("recon-totals").replaceChildren(h("table", {id: "recon-table"}, head(r.date, Object.values(FIELDS)),
    h("tbody", {}, totals("结算", r.settled, "settled"), totals("退费", r.reversed, "reversed"),
      ...Object.entries(CHANNELS).map(([c, label]) => totals(`其中${label}`, r.by_channel[c], c)))));
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
  $("recon-result").replaceChildren(r.matched ? h("p", {class: "pos", id: "recon-verdict"}, "对账一致")
    : h("div", {}, h("p", {class: "neg", id: "recon-verdict"}, "对账不一致，请核查以下项目："),
      h("table", {id: "recon-diff"}, head("项目", ["医保中心", "本机构"]), h("tbody", {},
        ...Object.entries(r.differences).map(([f, d]) => h("tr", {"data-field": f}, h("th", {}, FIELDS[f] || f),
          h("td", {class: "num"}, shown(f, d.ours)), h("td", {class: "num"}, shown(f, d.yours))))))));
});
