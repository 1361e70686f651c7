// The counter console: every request signed in the page with Web Crypto (API.md, "Institutions").
import {h, notice} from "/static/dom.js";
import {yuan} from "/static/api.js";
import {switches, t, translate, when} from "/static/i18n.js";
import {safely, signed} from "/static/signed.js";

const $ = (id) => document.getElementById(id);
let ticket = null, lines = [], catalogue = {}, lastOrder = null;
translate();

function drawLines() {
  $("lines").replaceChildren(...lines.map((l, i) => h("tr", {},
    h("td", {}, `${l.name}`, catalogue[l.code]?.eligible ? "" : h("span", {class: "mute"}, t("counter.self_paid"))),
    h("td", {class: "num"}, l.quantity), h("td", {class: "num"}, yuan(l.quantity * l.unit_price_fen)),
    h("td", {}, h("button", {class: "link", onclick: () => { lines.splice(i, 1); drawLines(); }}, t("counter.remove"))))));
}

function splitView(s) {
  return h("ul", {class: "rows split", id: "split-list"},
    h("li", {}, t("counter.total"), h("b", {}, yuan(s.total_fen))),
    h("li", {}, t("counter.eligible"), h("b", {}, yuan(s.eligible_fen))),
    h("li", {}, t("counter.own"), h("b", {}, yuan(s.own_account_fen))),
    ...s.mutual_aid.map((a, i) => h("li", {"data-helper": i}, t("counter.aid", {n: i + 1, name: a.benefactor.name_masked}), h("b", {}, yuan(a.amount_fen)))),
    h("li", {}, t("counter.cash"), h("b", {}, yuan(s.cash_fen))));
}

function bill() {
  return {ticket, items: lines.map(({code, name, quantity, unit_price_fen}) => ({code, name, quantity, unit_price_fen})),
    use_accounts: $("use-accounts").checked};
}

function receipt(s) {
  $("receipt").hidden = false;
  $("receipt").replaceChildren(h("h2", {}, t("counter.receipt", {order: s.order_no})),
    h("p", {class: "mute"}, `${s.institution.name} · ${when(s.settled_at)}`),
    h("p", {id: "receipt-channel"}, t("counter.channel", {channel: t(`channel.${s.channel}`)})),
    h("p", {id: "receipt-status"}, s.status === "reversed" ? t("counter.reversed_at", {at: when(s.reversed_at)}) : t("counter.settled")),
    splitView(s),
    h("div", {class: "row no-print"}, h("button", {class: "btn ghost", onclick: () => print()}, t("counter.print")),
      s.status === "settled" && h("button", {class: "btn ghost", id: "reverse", onclick: safely(async () => {
        if (!confirm(t("counter.reverse_confirm"))) return;
        receipt(await signed("POST", `/counter/settlements/${encodeURIComponent(s.order_no)}/reverse`, {reason: t("counter.reverse_reason")}));
        notice(t("counter.reversed"), true);
      })}, t("counter.reverse"))));
}

const scanned = (r) => {
  ticket = r.ticket; lines = []; drawLines(); $("split").replaceChildren(); $("receipt").hidden = true;
  $("patient").textContent = t("counter.patient", {name: r.patient.name_masked, id: r.patient.id_number_masked,
    insurance: t(`insurance.${r.patient.insurance_type}`)});
};

$("connect").onclick = safely(async () => {
  const items = (await signed("GET", "/counter/catalogue")).items;
  catalogue = Object.fromEntries(items.map((i) => [i.code, i]));
  $("item-code").replaceChildren(...items.map((i) => h("option", {value: i.code}, `${i.code} ${i.name}${i.eligible ? "" : t("counter.self_paid")}`)));
  $("who").textContent = t("counter.connected", {inst: $("inst").value});
});
$("scan").onclick = safely(async () => {
  scanned(await signed("POST", "/counter/scan", {voucher: $("voucher").value.trim()}));
  $("voucher").value = "";
});
$("read-card").onclick = safely(async () => {
  scanned(await signed("POST", "/counter/scan", {card_no: $("card-no").value.trim()}));
  $("card-no").value = "";
});
$("add").onclick = () => {
  const code = $("item-code").value, quantity = Number($("qty").value), price = Math.round(Number($("price").value) * 100);
  if (!code || !(quantity >= 1) || !(price >= 0)) return notice(t("counter.fill_line"));
  lines.push({code, name: catalogue[code]?.name || code, quantity, unit_price_fen: price}); drawLines();
};
$("preview").onclick = safely(async () => {
  if (!ticket) throw new Error(t("counter.scan_first"));
  $("split").replaceChildren(splitView(await signed("POST", "/counter/settlements/preview", bill())));
});
$("settle").onclick = safely(async () => {
  if (!ticket) throw new Error(t("counter.scan_first"));
  lastOrder = lastOrder || `RX${Date.now()}`;   // kept across retries, so a lost answer never charges twice
  const s = await signed("POST", "/counter/settlements", {...bill(), order_no: lastOrder});
  lastOrder = null; ticket = null; $("split").replaceChildren(); receipt(s);
});
$("lookup").onclick = safely(async () => {   // an earlier settlement, by its order number: to show or to refund
  receipt(await signed("GET", `/counter/settlements/${encodeURIComponent($("lookup-order").value.trim())}`));
});
switches(document.querySelector(".bar"));   // last: the switches in the bar say the console is ready for clicks
