// Inlined into each page's <head> by the server (mini/assets.py), so it runs before the modules arrive: on 2G each
// round trip the module graph would add before these start is 300 ms or more.
// Tibetan: the phone's own font when it has one; else static/fonts/ (Tibetan Machine Uni, two cuts): first the 15 KB
// of the shapes the catalogues write, then (Tibetan pages, once readable) the 113 KB of every stack, for names.
// Tibetan fonts draw small on a Chinese-sized line: size-adjust reads them as large as the Chinese.
{
  const local = 'local("Tibetan Machine Uni"), local("TibetanMachineUni"), local("Monlam Uni OuChan2"), '
    + 'local("Noto Serif Tibetan"), local("Microsoft Himalaya"), ';
  const tibetan = (family, file) => {
    const face = new FontFace(family, `${local}url("${file}") format("woff2")`, {unicodeRange: "U+0F00-0FFF", sizeAdjust: "135%"});
    document.fonts.add(face);
    return face;
  };
  const words = tibetan("Gongji Tibetan", "/static/fonts/TibetanMachineUni-gongji-ui.woff2");
  const lang = localStorage.getItem("gj.lang") === "bo" ? "bo" : "zh";
  if (lang === "bo") {
    words.load().catch(() => {});   // now, not when the first Tibetan word is laid out
    const every = tibetan("Gongji Tibetan Full", "/static/fonts/TibetanMachineUni-gongji.woff2");
    addEventListener("load", () => every.load()   // used once here: names of people may need any stack
      .then(() => document.documentElement.classList.add("tibetan-full")).catch(() => {}));
  }
  const link = document.createElement("link");     // the chosen language's words, beside the modules
  Object.assign(link, {rel: "preload", as: "fetch", crossOrigin: "anonymous",
    href: {zh: "/static/i18n/zh.json", bo: "/static/i18n/bo.json"}[lang]});
  document.head.append(link);
}
