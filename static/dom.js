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
    el.textContent = left > 3600 ? `${Math.floor(left / 3600)} 小时 ${Math.floor(left % 3600 / 60)} 分后过期`
      : `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")} 后过期`;
    if (left <= leadSeconds) { clearInterval(timer); onEnd?.(); }
  };
  const timer = setInterval(tick, 1000);
  tick();
  return () => clearInterval(timer);
}
