// The pages' words: one JSON catalogue per language, chosen on every page and remembered; large type likewise.
// A catalogue maps a dotted key to a text with {named} holes; no page writes user-facing text of its own.
const CATALOGUES = {zh: "/static/i18n/zh.json", bo: "/static/i18n/bo.json"};
export const lang = localStorage.getItem("gj.lang") === "bo" ? "bo" : "zh";
export const apiLang = lang === "bo" ? "bo" : "zh-CN";   // what the server's texts come back in
// Tibetan waits for its font (fetched beside the catalogue; the service worker keeps it for offline): a phone without
// one would paint boxes first, and the first screen's title and buttons kept them after the font arrived.
const font = lang === "bo" ? document.fonts.load('1em "Gongji Tibetan"', "\u0f40\u0f7c") : null;
const words = await (await fetch(import.meta.resolve?.(CATALOGUES[lang]) ?? CATALOGUES[lang])).json();
await font?.catch(() => {});

document.documentElement.lang = apiLang;
document.documentElement.classList.toggle("large", localStorage.getItem("gj.large") === "1");

export function t(key, params = {}) {
  const text = words[key];
  if (text === undefined) { console.error("no text for", key); return "?"; }   // a key is never shown as text
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
}
export const known = (key) => key in words;

// Fill the static page's elements: data-t (text), data-t-placeholder, data-t-label (aria-label), data-t-title.
export function translate(root = document) {
  root.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });
  root.querySelectorAll("[data-t-placeholder]").forEach((el) => { el.placeholder = t(el.dataset.tPlaceholder); });
  root.querySelectorAll("[data-t-label]").forEach((el) => el.setAttribute("aria-label", t(el.dataset.tLabel)));
  if (document.body.dataset.tTitle) document.title = t(document.body.dataset.tTitle);
}

// The switches every page carries in its bar: the other language, in its own script, and large type.
export function switches(bar) {
  const button = (id, text, label, onclick) => {
    const b = document.createElement("button");
    Object.assign(b, {id, className: "switch", textContent: text, onclick});
    b.setAttribute("aria-label", label);
    return b;
  };
  const other = lang === "bo" ? "zh" : "bo";
  const large = () => document.documentElement.classList.contains("large");
  const sizeText = () => t(large() ? "switch.normal_type" : "switch.large_type");
  const size = button("large-switch", sizeText(), t("switch.large_type_label"), () => {
    localStorage.setItem("gj.large", large() ? "0" : "1");
    document.documentElement.classList.toggle("large", !large());
    size.textContent = sizeText();
  });
  const box = document.createElement("span");
  box.className = "switches";
  // each language is offered in its own script (lang.bo, lang.zh: the same in both catalogues)
  box.append(button("lang-switch", t(`lang.${other}`), t(`lang.${other}`), () => {
    localStorage.setItem("gj.lang", other); location.reload();
  }), size);
  bar.append(box);
}

// A moment in China time, written the same in every language: 2026-03-10 09:05.
export const when = (iso) => iso ? new Date(iso).toLocaleString("sv-SE", {timeZone: "Asia/Shanghai"}).slice(0, 16) : "";
