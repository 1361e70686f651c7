// The counter console: every request signed in the page with Web Crypto (API.md, "Institutions").
import {h, notice} from "/static/dom.js";
import {yuan} from "/static/api.js";
import {safely, signed} from "/static/signed.js";

const $ = (id) => document.getElementById(id);
let ticket = null, lines = [], catalogue = {}, lastOrder = null;

function drawLines() {
  $("lines").replaceChildren(...lines.map((l, i) => h("tr", {},
    h("td", {}, `${l.name}`, catalogue[l.code]?.eligible ? "" : h("span", {class: "mute"}, "（自费）")),
    h("td", {class: "num"}, l.quantity), h("td", {class: "num"}, yuan(l.quantity * l.unit_price_fen)),
    h("td", {}, h("button", {class: "link", onclick: () => { lines.splice(i, 1); drawLines(); }}, "删除")))));
}

function splitView(s) {
  return h("ul", {class: "rows split", id: "split-list"},
    h("li", {}, "合计", h("b", {}, yuan(s.total_fen))),
    h("li", {}, "其中医保目录内", h("b", {}, yuan(s.eligible_fen))),
    h("li", {}, "本人个人账户", h("b", {}, yuan(s.own_account_fen))),
    ...s.mutual_aid.map((a, i) => h("li", {"data-helper": i}, `家庭共济 ${i + 1}：${a.benefactor.name_masked}`, h("b", {}, yuan(a.amount_fen)))),
    h("li", {}, "现金自付", h("b", {}, yuan(s.cash_fen))));
}

function bill() {
  return {ticket, items: lines.map(({code, name, quantity, unit_price_fen}) => ({code, name, quantity, unit_price_fen})),
    use_accounts: $("use-accounts").checked};
}

function receipt(s) {
  $("receipt").hidden = false;
  $("receipt").replaceChildren(h("h2", {}, `结算单 ${s.order_no}`), h("p", {class: "mute"}, `${s.institution.name} · ${s.settled_at}`),
    h("p", {id: "receipt-status"}, s.status === "reversed" ? `已退费 ${s.reversed_at}` : "已结算"), splitView(s),
    h("div", {class: "row no-print"}, h("button", {class: "btn ghost", onclick: () => print()}, "打印"),
      s.status === "settled" && h("button", {class: "btn ghost", id: "reverse", onclick: safely(async () => {
        if (!confirm("确认退费？资金将原路退回。")) return;
        receipt(await signed("POST", `/counter/settlements/${encodeURIComponent(s.order_no)}/reverse`, {reason: "柜台退费"}));
        notice("已退费，资金已原路退回。");
      })}, "退费")));
}

$("connect").onclick = safely(async () => {
  const items = (await signed("GET", "/counter/catalogue")).items;
  catalogue = Object.fromEntries(items.map((i) => [i.code, i]));
  $("item-code").replaceChildren(...items.map((i) => h("option", {value: i.code}, `${i.code} ${i.name}${i.eligible ? "" : "（自费）"}`)));
  $("who").textContent = `已连接：${$("inst").value}`;
});
$("scan").onclick = safely(async () => {
  const r = await signed("POST", "/counter/scan", {voucher: $("voucher").value.trim()});
  ticket = r.ticket; lines = []; drawLines(); $("split").replaceChildren(); $("receipt").hidden = true;
  $("patient").textContent = `患者：${r.patient.name_masked}（${r.patient.id_number_masked}，${r.patient.insurance_type === "employee" ? "职工医保" : "城乡居民医保"}）`;
  $("voucher").value = "";
});
$("add").onclick = () => {
  const code = $("item-code").value, quantity = Number($("qty").value), price = Math.round(Number($("price").value) * 100);
  if (!code || !(quantity >= 1) || !(price >= 0)) return notice("请填写项目、数量和单价。");
  lines.push({code, name: catalogue[code]?.name || code, quantity, unit_price_fen: price}); drawLines();
};
$("preview").onclick = safely(async () => {
  if (!ticket) throw new Error("请先扫码。");
  $("split").replaceChildren(splitView(await signed("POST", "/counter/settlements/preview", bill())));
});
$("settle").onclick = safely(async () => {
  if (!ticket) throw new Error("请先扫码。");
  lastOrder = lastOrder || `RX${Date.now()}`;   // kept across retries, so a lost answer never charges twice
  const s = await signed("POST", "/counter/settlements", {...bill(), order_no: lastOrder});
  lastOrder = null; ticket = null; $("split").replaceChildren(); receipt(s);
});
