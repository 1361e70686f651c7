// The beneficiary's payment order (drag to reorder) and the e-voucher (online, or the offline book).
import {call, helperRelation, post, relation} from "/static/api.js";
import {countdown, h, notice} from "/static/dom.js";
import {t} from "/static/i18n.js";
import * as offline from "/static/offline.js";
import {activeProxies, pickProxy, pickedProxy} from "/static/proxies.js";
import {guard, screen, state} from "/static/shell.js";

export async function helpersPage() {
  const res = await call("GET", "/helpers");
  let etag = res.headers.get("ETag");
  let order = res.data.helpers;
  const list = h("ul", {class: "rows", id: "helpers"});
  const draw = () => list.replaceChildren(...order.map((x, i) => h("li", {class: "helper", "data-id": x.binding_id},
    h("span", {class: "handle", "aria-hidden": "true"}, "☰"),
    h("span", {style: "flex:1"}, h("span", {class: "pos-n"}, i + 1), " ", x.benefactor.name_masked,
      h("span", {class: "mute"}, " · " + helperRelation(x.relation))),
    h("span", {class: "arrows"},
      h("button", {"aria-label": t("helpers.up", {name: x.benefactor.name_masked}), disabled: i === 0, onclick: () => save(move(i, i - 1))}, "↑"),
      h("button", {"aria-label": t("helpers.down", {name: x.benefactor.name_masked}), disabled: i === order.length - 1, onclick: () => save(move(i, i + 1))}, "↓")))));
  const move = (from, to) => { const next = [...order]; next.splice(to, 0, next.splice(from, 1)[0]); return next; };
  const save = (next) => guard(async () => {
    const before = order;
    order = next; draw();
    try {
      const r = await call("PUT", "/helpers/order", {binding_ids: next.map((x) => x.binding_id)}, {"If-Match": etag});
      etag = r.headers.get("ETag"); order = r.data.helpers; draw();
      notice(t("helpers.saved"), true);
    } catch (e) {
      order = before; draw();
      if (e.status === 412) { const fresh = await call("GET", "/helpers"); etag = fresh.headers.get("ETag"); order = fresh.data.helpers; draw(); }
      throw e;
    }
  });
  enableDrag(list, (from, to) => save(move(from, to)));
  draw();
  screen(t("nav.helpers"), h("div", {class: "card"}, h("h2", {}, t("helpers.order")),
    h("p", {class: "mute"}, t("helpers.how")),
    order.length ? list : h("p", {class: "mute"}, t("helpers.none"))));
}

function enableDrag(list, onDrop) {
  // Pointer events: one code path for mouse and touch. The row follows the pointer; on release we save.
  list.addEventListener("pointerdown", (ev) => {
    const handle = ev.target.closest(".handle");
    if (!handle) return;
    const row = handle.closest("li");
    const rows = [...list.children];
    const from = rows.indexOf(row);
    const startY = ev.clientY;
    row.classList.add("dragging");
    row.setPointerCapture(ev.pointerId);
    const mids = rows.map((r) => { const b = r.getBoundingClientRect(); return b.top + b.height / 2; });
    let to = from;
    const moveHandler = (e) => {
      row.style.transform = `translateY(${e.clientY - startY}px)`;
      to = mids.filter((m, i) => i !== from && m < e.clientY).length;
    };
    const up = () => {
      row.releasePointerCapture(ev.pointerId);
      row.removeEventListener("pointermove", moveHandler);
      row.classList.remove("dragging"); row.style.transform = "";
      if (to !== from) onDrop(from, to);
    };
    row.addEventListener("pointermove", moveHandler);
    row.addEventListener("pointerup", up, {once: true});
    row.addEventListener("pointercancel", up, {once: true});
    ev.preventDefault();
  });
}

export async function voucherPage() {
  const img = h("img", {class: "qr", id: "voucher-qr", alt: t("voucher.qr_alt")});
  const left = h("div", {class: "countdown"});
  const text = h("p", {class: "mute wrap", id: "voucher-payload"});
  const mark = h("p", {class: "offline", id: "offline-mark", hidden: true}, t("voucher.offline"));
  const used = h("button", {class: "btn ghost", id: "next-code", hidden: true}, t("voucher.next"));
  // A carer (亲情账户) may show a relative's voucher instead of his own; each has his own offline book.
  const whose = h("select", {id: "voucher-for"}, h("option", {value: ""}, t("voucher.self")));
  const pick = h("div", {hidden: true}, h("label", {for: "voucher-for"}, t("voucher.for")), whose);
  const show = (code, until, onEnd, lead) => {
    img.src = code.qr_png; text.textContent = code.payload;
    state.stop = countdown(left, until, onEnd, lead);
  };
  const showOffline = () => {
    state.stop();
    const code = offline.next(whose.value);
    mark.hidden = false; used.hidden = !code;
    if (!code) { img.removeAttribute("src"); text.textContent = ""; left.textContent = t("voucher.no_offline"); return; }
    used.onclick = () => { offline.spend(code.payload, whose.value); showOffline(); };
    show(code, code.expires_at, showOffline);
    const back = () => refresh();
    window.addEventListener("online", back, {once: true});
    const stopCountdown = state.stop;
    state.stop = () => { stopCountdown(); window.removeEventListener("online", back); };
  };
  const refresh = () => guard(async () => {
    state.stop();
    let v;
    const body = whose.value ? {proxy_id: Number(whose.value)} : undefined;
    try { v = await post("/vouchers", body); } catch (e) { if (e.code === "network") return showOffline(); throw e; }
    mark.hidden = true; used.hidden = true;
    show({payload: v.payload, qr_png: v.qr_png}, v.expires_at, refresh, 5);  // a fresh one before this one expires
    await offline.keepFresh(whose.value).catch(() => {});  // the book is a spare: a failure must not hide the voucher
  });
  whose.onchange = () => { pickProxy(whose.value); refresh(); };
  // the QR first: at the counter, at 200% type, it must be on the first screen (the words follow it)
  screen(t("nav.voucher"), h("div", {class: "card"}, mark, img, left, h("p", {}, t("voucher.show")), pick, text, used,
    h("button", {class: "btn ghost", onclick: refresh}, t("voucher.refresh"))));
  const relatives = await activeProxies();
  whose.append(...relatives.map((p) => h("option", {value: p.id}, t("who.named", {name: p.person.name_masked, relation: relation(p.relation)}))));
  whose.value = relatives.some((p) => String(p.id) === pickedProxy()) ? pickedProxy() : "";
  pick.hidden = !relatives.length;
  await refresh();
}
