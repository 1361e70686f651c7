// The mini-program, as a mobile web page that speaks only the public API; its screens live in the modules below.
import {get, post, session, when, yuan} from "/static/api.js";
import {h, pager} from "/static/dom.js";
import {switches, t, translate} from "/static/i18n.js";
import * as offline from "/static/offline.js";
import {bindingsPage, invitationsPage, invitePage, openPage} from "/static/family.js";
import {premiumPage, statementsPage, summaryPage} from "/static/money.js";
import {helpersPage, voucherPage} from "/static/order.js";
import {pickProxy, proxiesPage} from "/static/proxies.js";
import {flash, go, guard, onRoute, screen} from "/static/shell.js";

const DEMO = ["tashi", "drolma", "father", "gesang", "phuntsok", "sonam", "dawa"];

const pages = {
  async login() {
    const code = h("input", {id: "code", placeholder: "dev:openid", autocomplete: "off"});
    screen(t("login.title"), h("div", {class: "card"}, h("h2", {}, t("login.demo")),
      h("ul", {class: "rows"}, DEMO.map((id) => h("li", {},
        h("span", {}, t(`demo.${id}.name`), h("br"), h("span", {class: "mute"}, t(`demo.${id}.role`))),
        h("button", {class: "btn", style: "width:auto", "data-login": id, onclick: () => login("dev:" + id)}, t("login.go")))))),
      h("div", {class: "card"}, h("label", {for: "code"}, t("login.other")), code,
        h("p", {}, h("button", {class: "btn ghost", onclick: () => login(code.value)}, t("login.go")))));
  },

  async verify() {
    const idNumber = h("input", {id: "verify-id-number", autocomplete: "off", inputmode: "latin"});
    const name = h("input", {id: "verify-name", autocomplete: "name"});
    const send = () => guard(async () => {
      await post("/auth/verify", {id_number: idNumber.value.trim(), name: name.value.trim()});
      flash(t("verify.done")); go("#home");
    });
    screen(t("verify.title"), h("div", {class: "card"}, h("p", {}, t("verify.why")),
      h("label", {for: "verify-name"}, t("verify.name")), name,
      h("label", {for: "verify-id-number"}, t("verify.id_number")), idNumber,
      h("p", {}, h("button", {class: "btn", id: "verify-send", onclick: send}, t("verify.send")))),
    h("p", {}, h("button", {class: "btn ghost", onclick: logout}, t("home.logout"))));
  },

  async home() {
    const me = await get("/me");
    const badge = me.unread_messages ? h("span", {class: "badge", id: "unread"}, me.unread_messages) : null;
    const link = (hash, key, ghost = true, ...extra) => h("a", {class: ghost ? "btn ghost" : "btn", href: hash}, t(key), ...extra);
    screen(t("app.name"),
      h("div", {class: "card"}, h("div", {class: "mute"}, t("home.hello", {name: me.person.name})),
        me.account ? [h("div", {class: "mute"}, t("home.balance")), h("div", {class: "big", id: "balance"}, yuan(me.account.balance_fen))]
          : h("div", {}, t("home.no_account"))),
      h("div", {class: "grid"},
        h("a", {class: "btn", href: "#voucher", id: "own-voucher", onclick: () => pickProxy("")}, t("nav.voucher")),
        me.account && link("#invite", "nav.invite", false),
        link("#family", "nav.family"),
        link("#invitations", "nav.invitations"),
        link("#helpers", "nav.helpers"),
        me.account && link("#summary", "nav.summary"),
        link("#premium", "nav.premium"),
        link("#proxies", "nav.proxies"),
        link("#statements", "nav.statements"),
        h("a", {class: "btn ghost", href: "#messages", id: "messages-link"}, t("nav.messages"), badge)),
      h("p", {}, h("button", {class: "btn ghost", onclick: logout}, t("home.logout"))));
  },

  async messages() {
    const markRead = async (items) => {   // what the person has now seen: the badge counts the rest
      const ids = items.filter((m) => !m.read).map((m) => m.id);
      if (ids.length) await post("/messages/read", {ids});
    };
    const list = pager(get, "/messages", (m) => h("li", {class: m.read ? "" : "unread"},
      h("span", {}, m.text, h("br"), h("span", {class: "mute"}, when(m.at)))), "messages", "messages.none", markRead);
    screen(t("nav.messages"), h("div", {class: "card"}, list.el));
    await list.load();
  },

  invite: () => invitePage(),
  invitations: () => invitationsPage(),
  family: () => bindingsPage(),
  helpers: () => helpersPage(),
  voucher: () => voucherPage(),
  summary: () => summaryPage(),
  premium: () => premiumPage(),
  statements: () => statementsPage(),
  proxies: () => proxiesPage({screen, guard, go, flash}),
};

async function login(code) {
  await guard(async () => {
    const pair = await post("/auth/login", {code});
    session.save(pair);
    offline.forget();
    const next = sessionStorage.getItem("gj.next") || "#home";
    sessionStorage.removeItem("gj.next");
    if (next.startsWith("/i/")) location.href = next; else go(next);
  });
}

async function logout() {
  await guard(async () => { await post("/auth/logout", {refresh_token: session.refresh || ""}); });
  session.clear(); offline.forget(); go("#login");
}

function route() {
  const invite = location.pathname.match(/^\/i\/([\w-]+)$/);
  if (!session.access) {
    if (invite) sessionStorage.setItem("gj.next", location.pathname);
    if (location.hash !== "#login") { history.replaceState(null, "", "/#login"); }
    return guard(pages.login);
  }
  if (invite && !location.hash) return guard(() => openPage(invite[1]));
  const name = (location.hash || "#home").slice(1);
  return guard(pages[name] || pages.home);
}

onRoute(route);
translate();
switches(document.querySelector(".bar"));
document.getElementById("back").textContent = t("nav.back");
document.getElementById("back").onclick = () => { history.replaceState(null, "", "/#home"); route(); };
window.addEventListener("hashchange", route);
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js");  // the shell opens with no network
route();
