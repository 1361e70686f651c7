// Inlined into each page's <head> by the server (mini/assets.py), so it runs before the modules arrive: on 2G each
// round trip the module graph would add before these start is 300 ms or more.
// Tibetan's face: the phone's own font when it has one; else static/fonts/ (Tibetan Machine Uni cut to what the
// catalogues write). Tibetan fonts draw small on a Chinese-sized line: size-adjust reads them as large as Chinese.
{
  const face = new FontFace("Gongji Tibetan", 'local("Tibetan Machine Uni"), local("TibetanMachineUni"), '
    + 'local("Monlam Uni OuChan2"), local("Noto Serif Tibetan"), local("Microsoft Himalaya"), '
    + 'url("/static/fonts/TibetanMachineUni-gongji.woff2") format("woff2")', {unicodeRange: "U+0F00-0FFF", sizeAdjust: "135%"});
  document.fonts.add(face);
  const lang = localStorage.getItem("gj.lang") === "bo" ? "bo" : "zh";
  if (lang === "bo") face.load().catch(() => {});   // now, not when the first Tibetan word is laid out
  const words = document.createElement("link");     // the chosen language's words, beside the modules
  Object.assign(words, {rel: "preload", as: "fetch", crossOrigin: "anonymous",
    href: {zh: "/static/i18n/zh.json", bo: "/static/i18n/bo.json"}[lang]});
  document.head.append(words);
}
