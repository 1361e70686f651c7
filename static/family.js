// Invitations (make, list, cancel, answer) and bindings (limit, card payments, what is used, ended with the reason).
import {call, get, helperRelation, post, relation, relationOptions, when, yuan} from "/static/api.js";
import {countdown, h, notice, pager} from "/static/dom.js";
import {t} from "/static/i18n.js";
import {flash, go, guard, screen, state} from "/static/shell.js";

const field = (id, key, input) => [h("label", {for: id}, t(key)), input];
const status = (s) => t(`invitation.status.${s}`);

export async function invitePage() {
  const rel = h("select", {id: "relation"}, relationOptions().map(([k, v]) => h("option", {value: k}, v)));
  const name = h("input", {id: "invitee-name", autocomplete: "off"});
  const idNumber = h("input", {id: "invitee-id-number", autocomplete: "off"});
  const out = h("div");
  const make = () => guard(async () => {
    const named = name.value.trim() ? {invitee_name: name.value.trim(), invitee_id_number: idNumber.value.trim()} : {};
    const inv = await post("/invitations", {relation: rel.value, ...named});
    const png = (await call("GET", `/invitations/${inv.code}/qr.png`)).data;
    const left = h("div", {class: "countdown"});
    out.replaceChildren(h("div", {class: "card"}, h("h2", {}, t("invite.scan", {relation: relation(inv.relation)})),
      inv.invitee && h("p", {id: "invitee"}, t("invite.for", {name: inv.invitee.name_masked})),
      h("img", {class: "qr", id: "invite-qr", alt: t("invite.qr_alt"), src: URL.createObjectURL(png)}), left,
      h("p", {class: "mute wrap", id: "invite-link"}, inv.qr_content)));
    state.stop = countdown(left, inv.expires_at, () => { left.textContent = t("invite.expired"); });
  });
  screen(t("nav.invite"), h("div", {class: "card"}, ...field("relation", "invite.relation", rel),
    h("p", {class: "mute"}, t("invite.named_why")),
    ...field("invitee-name", "invite.name", name), ...field("invitee-id-number", "invite.id_number", idNumber),
    h("p", {}, h("button", {class: "btn", id: "make", onclick: make}, t("invite.make")))), out);
}

export async function openPage(code) {
  let inv;
  try { inv = await get(`/invitations/${code}`); } catch (e) {
    if (e.status === 401 || e.code === "verification_required") throw e;
    // answered, cancelled or expired: say so, and give the way on (the page was opened from a link: no history)
    screen(t("open.title"), h("div", {class: "card"}, h("p", {}, t("open.closed")),
      h("a", {class: "btn", href: "/#home"}, t("nav.home"))));
    return notice(e.message);
  }
  const act = (verb) => guard(async () => {
    await post(`/invitations/${code}/${verb}`);
    flash(t(verb === "accept" ? "open.accepted" : "open.declined"));
    go("#home");
  });
  screen(t("open.title"), h("div", {class: "card"},
    h("p", {}, t("open.who", {name: inv.benefactor.name_masked, relation: relation(inv.relation)})),
    h("p", {}, t("open.what")),
    h("p", {class: "mute"}, t("open.status", {status: status(inv.status)})),
    inv.status === "pending" && h("div", {class: "grid"}, h("button", {class: "btn", id: "accept", onclick: () => act("accept")}, t("open.accept")),
      h("button", {class: "btn ghost", id: "decline", onclick: () => act("decline")}, t("open.decline")))));
}

export async function invitationsPage() {
  const answer = (inv, verb) => guard(async () => { await post(`/invitations/${inv.code}/${verb}`); flash(t(`invitations.${verb}ed`)); go("#invitations"); });
  const sent = pager(get, "/invitations?role=sent", (inv) => h("li", {"data-code": inv.code},
    h("span", {}, inv.invitee ? inv.invitee.name_masked : t("invitations.anyone"), " · ", relation(inv.relation), h("br"),
      h("span", {class: "mute status"}, `${status(inv.status)} · ${when(inv.created_at)}`)),
    inv.status === "pending" && h("button", {class: "link", style: "color:var(--red)", "data-cancel": inv.code,
      onclick: () => answer(inv, "cancel")}, t("invitations.cancel"))), "invitations-sent", "invitations.none");
  const received = pager(get, "/invitations?role=received", (inv) => h("li", {"data-code": inv.code},
    h("span", {}, inv.benefactor.name_masked, " · ", helperRelation(inv.relation), h("br"),
      h("span", {class: "mute status"}, `${status(inv.status)} · ${when(inv.created_at)}`)),
    inv.status === "pending" && h("span", {class: "actions"},
      h("button", {class: "link", "data-accept": inv.code, onclick: () => answer(inv, "accept")}, t("open.accept")),
      h("button", {class: "link", "data-decline": inv.code, onclick: () => answer(inv, "decline")}, t("open.decline")))),
  "invitations-received", "invitations.none");
  screen(t("nav.invitations"), h("div", {class: "card"}, h("h2", {}, t("invitations.sent")), sent.el),
    h("div", {class: "card"}, h("h2", {}, t("invitations.received")), received.el));
  await sent.load(); await received.load();
}

function limitForm(b) {
  const limit = h("input", {id: `limit-${b.id}`, type: "number", min: "0", step: "0.01",
    value: b.monthly_limit_fen == null ? "" : (b.monthly_limit_fen / 100).toFixed(2)});
  const card = h("input", {type: "checkbox", id: `card-${b.id}`, checked: b.allow_card, style: "width:auto;min-height:0"});
  const save = () => guard(async () => {
    const fen = limit.value.trim() === "" ? null : Math.round(Number(limit.value) * 100);
    if (fen !== null && !(fen >= 0)) return notice(t("error.invalid_request"));
    await call("PATCH", `/bindings/${b.id}`, {monthly_limit_fen: fen, allow_card: card.checked});
    flash(t("family.saved")); go("#family");
  });
  return h("div", {class: "limit"}, ...field(`limit-${b.id}`, "family.limit", limit),
    h("label", {}, card, " ", t("family.allow_card")),
    h("button", {class: "btn ghost", "data-save": b.id, onclick: save}, t("family.save")));
}

function bindingRow(b, iPay) {
  const who = iPay ? b.beneficiary.name_masked : b.benefactor.name_masked;
  const rel = iPay ? relation(b.relation) : helperRelation(b.relation);
  const end = () => guard(async () => {
    if (!confirm(t("family.end_confirm"))) return;
    await call("DELETE", `/bindings/${b.id}`); flash(t("family.ended_now")); go("#family");
  });
  const used = iPay && b.status === "active" && h("span", {class: "mute used", id: `used-${b.id}`}, b.monthly_limit_fen == null
    ? t("family.used", {used: yuan(b.used_this_month_fen)})
    : t("family.used_of", {used: yuan(b.used_this_month_fen), limit: yuan(b.monthly_limit_fen)}));
  return h("li", {"data-binding": b.id, class: b.status}, h("span", {style: "flex:1"},
    t(iPay ? "family.i_pay" : "family.pays_me", {name: who}), h("br"), h("span", {class: "mute"}, rel), used && [h("br"), used],
    b.status === "ended" && [h("br"), h("span", {class: "mute reason"},
      t("family.ended", {reason: t(`end_reason.${b.end_reason}`), at: when(b.ended_at)}))],
    iPay && b.status === "active" && limitForm(b)),
  b.status === "active" && h("button", {class: "link", style: "color:var(--red)", "data-end": b.id, onclick: end}, t("family.end")));
}

export async function bindingsPage() {
  const mine = pager(get, "/bindings?role=benefactor", (b) => bindingRow(b, true), "bindings-benefactor", "family.none");
  const theirs = pager(get, "/bindings?role=beneficiary", (b) => bindingRow(b, false), "bindings-beneficiary", "family.none");
  screen(t("nav.family"), h("div", {class: "card"}, h("h2", {}, t("family.mine")), mine.el),
    h("div", {class: "card"}, h("h2", {}, t("family.theirs")), theirs.el));
  await mine.load(); await theirs.load();
}
