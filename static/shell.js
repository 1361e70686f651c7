// What every screen of the mini-program shares: its title and view, the refusal notice, navigation.
import {ApiError, session} from "/static/api.js";
import {notice} from "/static/dom.js";
import {t} from "/static/i18n.js";

const view = document.getElementById("view");
let flashText = null;  // a success message that survives the navigation that follows it
let route = () => {};
export const state = {stop: () => {}};  // the running screen's timers, stopped when another opens
export const flash = (text) => { flashText = text; };
export const onRoute = (fn) => { route = fn; };

export function screen(title, ...kids) {
  state.stop(); state.stop = () => {};
  document.getElementById("title").textContent = title;
  document.getElementById("back").hidden = location.pathname === "/" && ["", "#home", "#login", "#verify"].includes(location.hash);
  view.replaceChildren(...kids.flat().filter((k) => k !== null && k !== undefined && k !== false));
  if (flashText) { notice(flashText, true); flashText = null; }
}

export async function guard(fn) {
  try { notice(""); await fn(); } catch (e) {
    if (e instanceof ApiError && e.status === 401) { session.clear(); return go("#login"); }
    if (e instanceof ApiError && e.code === "verification_required") return go("#verify");
    notice(e instanceof ApiError ? e.message : t("error.unknown"));
  }
}

export function go(hash) { if (location.hash === hash) route(); else location.hash = hash; }
