// The mini-program, as a mobile web page that speaks only the public API.
import {ApiError, RELATION, call, get, helperRelation, post, session, when, yuan} from "/static/api.js";
import {countdown, h, notice} from "/static/dom.js";
import * as offline from "/static/offline.js";
import {activeProxies, pickProxy, pickedProxy, proxiesPage, settlementList} from "/static/proxies.js";

const DEMO = [["tashi", "扎西次仁", "职工 · 共济人"], ["drolma", "卓玛", "职工 · 配偶"], ["father", "次仁多吉", "居民 · 父亲"],
  ["gesang", "格桑拉姆", "居民 · 女儿"], ["phuntsok", "平措", "职工 · 拉萨 · 弟弟"], ["sonam", "索朗", "职工 · 邻居"],
  ["dawa", "达瓦", "职工 · 儿子 · 账户冻结"]];
const view = document.getElementById("view");
let stop = () => {};
let flashText = null;  // a success message that survives the navigation that follows it
const flash = (text) => { flashText = text; };

function screen(title, ...kids) {
  stop(); stop = () => {};
  document.getElementById("title").textContent = title;
  document.getElementById("back").hidden = location.hash === "#home" || location.hash === "" || location.hash === "#login";
  view.replaceChildren(...kids);
  if (flashText) { notice(flashText, true); flashText = null; }
}

async function guard(fn) {
  try { notice(""); await fn(); } catch (e) {
    if (e instanceof ApiError && (e.status === 401)) { session.clear(); return go("#login"); }
    notice(e instanceof ApiError ? e.message : "出现问题，请稍后再试。");
  }
}

function go(hash) { if (location.hash === hash) route(); else location.hash = hash; }

const pages = {
  async login() {
    const code = h("input", {id: "code", placeholder: "dev:openid", autocomplete: "off"});
    screen("登录", h("div", {class: "card"}, h("h2", {}, "选择演示账号"),
      h("ul", {class: "rows"}, DEMO.map(([id, name, role]) => h("li", {},
        h("span", {}, name, h("br"), h("span", {class: "mute"}, role)),
        h("button", {class: "btn", style: "width:auto", "data-login": id, onclick: () => login("dev:" + id)}, "登录"))))),
      h("div", {class: "card"}, h("label", {for: "code"}, "其他登录码"), code,
        h("p", {}, h("button", {class: "btn ghost", onclick: () => login(code.value)}, "登录"))));
  },

  async home() {
    const me = await get("/me");
    const active = async (role) => (await get(`/bindings?role=${role}&limit=100`)).items
      .filter((b) => b.status === "active").map((b) => ({...b, iPay: role === "benefactor"}));
    const mine = [...await active("benefactor"), ...await active("beneficiary")];
    screen("家庭共济",
      h("div", {class: "card"}, h("div", {class: "mute"}, "您好，" + me.person.name),
        me.account ? [h("div", {class: "mute"}, "个人账户余额"), h("div", {class: "big", id: "balance"}, yuan(me.account.balance_fen))]
          : h("div", {}, "城乡居民医保（无个人账户）")),
      h("div", {class: "grid"},
        me.account && h("a", {class: "btn", href: "#invite"}, "邀请亲属"),
        h("a", {class: "btn", href: "#voucher"}, "医保电子凭证"),
        h("a", {class: "btn ghost", href: "#helpers"}, "共济账户管理"),
        me.account && h("a", {class: "btn ghost", href: "#premium"}, "代缴居民医保"),
        h("a", {class: "btn ghost", href: "#proxies"}, "亲情账户"),
        h("a", {class: "btn ghost", href: "#statements"}, "账单明细"),
        h("a", {class: "btn ghost", href: "#messages"}, "消息")),
      h("div", {class: "card", style: "margin-top:1rem"}, h("h2", {}, "我的家庭共济"),
        mine.length ? h("ul", {class: "rows"}, mine.map((b) => {
          const payer = b.benefactor.name_masked, payee = b.beneficiary.name_masked;
          return h("li", {}, h("span", {}, b.iPay ? `我为 ${payee} 支付` : `${payer} 为我支付`,
            h("br"), h("span", {class: "mute"}, (b.iPay ? RELATION[b.relation] : helperRelation(b.relation)) + (b.monthly_limit_fen != null ? ` · 月限额 ${yuan(b.monthly_limit_fen)}` : ""))),
            h("button", {class: "link", style: "color:var(--red)", onclick: () => unbind(b)}, "解除"));
        })) : h("p", {class: "mute"}, "还没有家庭共济关系。")),
      h("p", {}, h("button", {class: "btn ghost", onclick: logout}, "退出登录")));
  },

  async invite() {
    const rel = h("select", {id: "relation"}, Object.entries(RELATION).map(([k, v]) => h("option", {value: k}, v)));
    const out = h("div");
    screen("邀请亲属", h("div", {class: "card"}, h("label", {for: "relation"}, "被邀请人是您的"), rel,
      h("p", {}, h("button", {class: "btn", id: "make", onclick: () => guard(async () => {
        const inv = await post("/invitations", {relation: rel.value});
        const png = (await call("GET", `/invitations/${inv.code}/qr.png`)).data;
        const left = h("div", {class: "countdown"});
        out.replaceChildren(h("div", {class: "card"}, h("h2", {}, `请${RELATION[inv.relation]}用微信扫码`),
          h("img", {class: "qr", id: "invite-qr", alt: "邀请二维码", src: URL.createObjectURL(png)}), left,
          h("p", {class: "mute wrap", id: "invite-link"}, inv.qr_content)));
        stop = countdown(left, inv.expires_at, () => { left.textContent = "已过期，请重新生成"; });
      })}, "生成邀请二维码"))), out);
  },

  async open(code) {
    const inv = await get(`/invitations/${code}`);
    const act = (verb) => guard(async () => {
      await post(`/invitations/${code}/${verb}`);
      flash(verb === "accept" ? "已接受，对方的个人账户已加入您的共济顺序。" : "已谢绝。");
      go("#home");
    });
    screen("家庭共济邀请", h("div", {class: "card"},
      h("p", {}, h("b", {}, inv.benefactor.name_masked), ` 邀请您（其${RELATION[inv.relation]}）加入家庭共济：`),
      h("p", {}, "您看病买药时，先用您自己的账户，不足部分由对方的职工医保个人账户支付。"),
      h("p", {class: "mute"}, "状态：" + ({pending: "待确认", accepted: "已接受", declined: "已谢绝", cancelled: "已撤销", expired: "已过期"}[inv.status])),
      inv.status === "pending" && h("div", {class: "grid"}, h("button", {class: "btn", id: "accept", onclick: () => act("accept")}, "接受"),
        h("button", {class: "btn ghost", id: "decline", onclick: () => act("decline")}, "谢绝"))));
  },

  async helpers() {
    const res = await call("GET", "/helpers");
    let etag = res.headers.get("ETag");
    let order = res.data.helpers;
    const list = h("ul", {class: "rows", id: "helpers"});
    const draw = () => list.replaceChildren(...order.map((x, i) => h("li", {class: "helper", "data-id": x.binding_id},
      h("span", {class: "handle", "aria-hidden": "true"}, "☰"),
      h("span", {style: "flex:1"}, h("span", {class: "pos-n"}, i + 1), " ", x.benefactor.name_masked,
        h("span", {class: "mute"}, " · " + helperRelation(x.relation))),
      h("span", {class: "arrows"},
        h("button", {"aria-label": `上移 ${x.benefactor.name_masked}`, disabled: i === 0, onclick: () => save(move(i, i - 1))}, "↑"),
        h("button", {"aria-label": `下移 ${x.benefactor.name_masked}`, disabled: i === order.length - 1, onclick: () => save(move(i, i + 1))}, "↓")))));
    const move = (from, to) => { const next = [...order]; next.splice(to, 0, next.splice(from, 1)[0]); return next; };
    const save = (next) => guard(async () => {
      const before = order;
      order = next; draw();
      try {
        const r = await call("PUT", "/helpers/order", {binding_ids: next.map((x) => x.binding_id)}, {"If-Match": etag});
        etag = r.headers.get("ETag"); order = r.data.helpers; draw();
        notice("共济顺序已保存。", true);
      } catch (e) {
        order = before; draw();
        if (e.status === 412) { const fresh = await call("GET", "/helpers"); etag = fresh.headers.get("ETag"); order = fresh.data.helpers; draw(); }
        throw e;
      }
    });
    enableDrag(list, (from, to) => save(move(from, to)));
    draw();
    screen("共济账户管理", h("div", {class: "card"}, h("h2", {}, "支付顺序"),
      h("p", {class: "mute"}, "先扣您本人账户，再按下列顺序扣亲属账户。拖动 ☰ 或用箭头调整。"),
      order.length ? list : h("p", {class: "mute"}, "暂无为您支付的亲属。")));
  },

  async voucher() {
    const img = h("img", {class: "qr", id: "voucher-qr", alt: "医保电子凭证二维码"});
    const left = h("div", {class: "countdown"});
    const text = h("p", {class: "mute wrap", id: "voucher-payload"});
    const mark = h("p", {class: "offline", id: "offline-mark", hidden: true}, "离线 · offline — 此码只能用一次");
    const used = h("button", {class: "btn ghost", id: "next-code", hidden: true}, "已扫码，换下一个");
    // A carer (亲情账户) may show a relative's voucher instead of his own; each has his own offline book.
    const whose = h("select", {id: "voucher-for"}, h("option", {value: ""}, "本人"));
    const pick = h("div", {hidden: true}, h("label", {for: "voucher-for"}, "为谁出示"), whose);
    const show = (code, until, onEnd, lead) => {
      img.src = code.qr_png; text.textContent = code.payload;
      stop = countdown(left, until, onEnd, lead);
    };
    const showOffline = () => {
      stop();
      const code = offline.next(whose.value);
      mark.hidden = false; used.hidden = !code;
      if (!code) { img.removeAttribute("src"); text.textContent = ""; left.textContent = "没有可用的离线码，请联网后刷新。"; return; }
      used.onclick = () => { offline.spend(code.payload, whose.value); showOffline(); };
      show(code, code.expires_at, showOffline);
      const back = () => refresh();
      window.addEventListener("online", back, {once: true});
      const stopCountdown = stop;
      stop = () => { stopCountdown(); window.removeEventListener("online", back); };
    };
    const refresh = () => guard(async () => {
      stop();
      let v;
      const body = whose.value ? {proxy_id: Number(whose.value)} : undefined;
      try { v = await post("/vouchers", body); } catch (e) { if (e.code === "network") return showOffline(); throw e; }
      mark.hidden = true; used.hidden = true;
      show({payload: v.payload, qr_png: v.qr_png}, v.expires_at, refresh, 5);  // a fresh one before this one expires
      await offline.keepFresh(whose.value).catch(() => {});  // the book is a spare: a failure must not hide the voucher
    });
    whose.onchange = () => { pickProxy(whose.value); refresh(); };
    screen("医保电子凭证", h("div", {class: "card"}, pick, h("p", {}, "请向药店或医院出示此码"), mark, img, left, text, used,
      h("button", {class: "btn ghost", onclick: refresh}, "刷新")));
    const relatives = await activeProxies();
    whose.append(...relatives.map((p) => h("option", {value: p.id}, `${p.person.name_masked}（${RELATION[p.relation]}）`)));
    whose.value = relatives.some((p) => String(p.id) === pickedProxy()) ? pickedProxy() : "";
    pick.hidden = !relatives.length;
    await refresh();
  },

  async proxies() { await proxiesPage({screen, guard, go, flash}); },

  async premium() {
    const binds = (await get("/bindings?role=benefactor")).items.filter((b) => b.status === "active");
    const year = h("select", {id: "year"}, [0, 1].map((d) => new Date().getFullYear() + d).map((y) => h("option", {value: y}, y + " 年度")));
    const who = h("select", {id: "who"}, binds.map((b) => h("option", {value: b.id}, `${b.beneficiary.name_masked}（${RELATION[b.relation]}）`)));
    const out = h("div");
    const ask = () => guard(async () => {
      const q = await get(`/premiums/quote?binding_id=${who.value}&year=${year.value}`);
      const pay = () => guard(async () => {
        if (!confirm(`确认从您的个人账户支付 ${yuan(q.amount_fen)}？`)) return;
        await post("/premiums", {binding_id: Number(who.value), year: Number(year.value)}, {"Idempotency-Key": crypto.randomUUID()});
        notice("代缴成功。", true); await ask();
      });
      out.replaceChildren(h("div", {class: "card"}, h("h2", {}, `${q.year} 年度城乡居民医保费`),
        h("div", {class: "big"}, q.amount_fen == null ? "—" : yuan(q.amount_fen)),
        q.window_opens && h("p", {class: "mute"}, `缴费期 ${q.window_opens} 至 ${q.window_closes}`),
        q.payable ? h("button", {class: "btn", id: "pay", onclick: pay}, "确认代缴")
          : h("p", {id: "reason"}, new ApiError(422, q.reason).message)));
    });
    who.onchange = ask; year.onchange = ask;
    screen("代缴居民医保", binds.length ? h("div", {class: "card"}, h("label", {for: "who"}, "为谁缴费"), who,
      h("label", {for: "year"}, "年度"), year) : h("p", {class: "mute"}, "请先绑定亲属。"), out);
    if (binds.length) ask();
  },

  async statements() {
    const me = await get("/me");
    const entries = me.account ? (await get("/account/entries")).items : [];
    const mine = (await get("/settlements")).items;
    const KIND = {registry: "账户划入", settlement: "本人就医", mutual_aid: "为亲属支付", reversal: "退费", premium: "代缴保费"};
    screen("账单明细",
      me.account && h("div", {class: "card"}, h("h2", {}, "个人账户"), h("ul", {class: "rows", id: "entries"}, entries.map((e) =>
        h("li", {}, h("span", {}, KIND[e.kind], e.counterparty ? ` · ${e.counterparty.name_masked}（${RELATION[e.counterparty.relation] || ""}）` : "",
          h("br"), h("span", {class: "mute"}, when(e.at) + (e.institution ? " · " + e.institution.name : ""))),
          h("span", {class: e.amount_fen < 0 ? "neg" : "pos"}, yuan(e.amount_fen)))))),
      h("div", {class: "card"}, h("h2", {}, "我的就医结算"), settlementList(mine, "settlements")));
  },

  async messages() {
    const items = (await get("/messages")).items;
    screen("消息", h("div", {class: "card"}, items.length ? h("ul", {class: "rows", id: "messages"}, items.map((m) =>
      h("li", {class: m.read ? "" : "unread"}, h("span", {}, m.text, h("br"), h("span", {class: "mute"}, when(m.at)))))) : h("p", {class: "mute"}, "暂无消息。")));
    const unread = items.filter((m) => !m.read).map((m) => m.id);
    if (unread.length) await post("/messages/read", {ids: unread});
  },
};

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

async function unbind(b) {
  if (!confirm("确定解除这条家庭共济吗？解除后立即生效。")) return;
  await guard(async () => { await call("DELETE", `/bindings/${b.id}`); flash("已解除。"); route(); });
}

function route() {
  const invite = location.pathname.match(/^\/i\/([\w-]+)$/);
  if (!session.access) {
    if (invite) sessionStorage.setItem("gj.next", location.pathname);
    if (location.hash !== "#login") { history.replaceState(null, "", "/#login"); }
    return guard(pages.login);
  }
  if (invite && !location.hash) return guard(() => pages.open(invite[1]));
  const name = (location.hash || "#home").slice(1);
  return guard(pages[name] || pages.home);
}

document.getElementById("back").onclick = () => { history.replaceState(null, "", "/#home"); route(); };
window.addEventListener("hashchange", route);
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js");  // the shell opens with no network
route();
