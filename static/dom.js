import {t} from "/static/i18n.js";

// Build DOM from data without ever parsing server text as HTML.
export function h(tag, props = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k in el && k !== "list") el[k] = v;
    else el.setAttribute(k, v);
  }
  for (const kid of kids.flat()) if (kid !== null && kid !== undefined && kid !== false)
    el.append(kid instanceof Node ? kid : String(kid));
  return el;
}

export function notice(text, ok = false) {
  const box = document.getElementById("notice");
  box.textContent = text; box.className = ok ? "ok" : ""; box.hidden = !text;
  if (text) box.scrollIntoView({block: "nearest"});
}

export function countdown(el, until, onEnd, leadSeconds = 0) {
  const tick = () => {
    const left = Math.max(0, Math.round((new Date(until) - Date.now()) / 1000));
    el.textContent = left > 3600 ? t("time.expires_hours", {h: Math.floor(left / 3600), m: Math.floor(left % 3600 / 60)})
      : t("time.expires_in", {left: `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`});
    if (left <= leadSeconds) { clearInterval(timer); onEnd?.(); }
  };
  const timer = setInterval(tick, 1000);
  tick();
  return () => clearInterval(timer);
}

// A list that pages on: the first page now, "load more" while the API gives a next_cursor; onPage sees each page.
export function pager(get, path, row, id, empty = "list.empty", onPage = async () => {}) {
  const list = h("ul", {class: "rows", id});
  const more = h("button", {class: "btn ghost more", hidden: true, "data-more": id}, t("list.more"));
  const none = h("p", {class: "mute", hidden: true}, t(empty));
  let cursor = null;
  const load = async () => {
    const page = await get(path + (path.includes("?") ? "&" : "?") + (cursor ? `cursor=${encodeURIComponent(cursor)}` : "limit=20"));
    list.append(...page.items.map(row));
    cursor = page.next_cursor; more.hidden = !cursor; none.hidden = list.children.length > 0;
    await onPage(page.items);
  };
  more.onclick = () => load().catch((e) => notice(e.message));
  return {el: h("div", {}, list, none, more), load};
}
