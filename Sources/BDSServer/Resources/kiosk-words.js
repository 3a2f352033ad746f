"use strict";
// The words of the kiosk page and the report form: the message catalogue the server put in the
// page (docs/TRANSLATING.md), with English for any message the language lacks. Placeholders are
// filled as DOM nodes: words as text, names, codes, URLs and the sources' own words in <bdi> (so
// a Latin brand or a barcode inside Arabic keeps its order), counts in the language's digits.
window.bdscheckWords = (function () {
  const data = JSON.parse(document.getElementById("bdscheck-messages").textContent);
  const languages = JSON.parse(document.getElementById("bdscheck-languages").textContent);
  const zero = { latn: 0x30, arab: 0x660, arabext: 0x6f0 }[data.digits] || 0x30;
  const plurals = new Intl.PluralRules(data.lang);

  /** A number in the language's digits (codes and dates never go through this). */
  function digits(n) {
    const s = String(n);
    return zero === 0x30 ? s : s.replace(/[0-9]/g, (d) => String.fromCharCode(zero + d.charCodeAt(0) - 48));
  }

  /** A name, code, URL or date: shown as written, isolated in its own direction. */
  function name(text) { return { isolate: String(text) }; }

  /** Text a source wrote (a reason, a note): as written, isolated, never translated, language unknown. */
  function source(text) { return { isolate: String(text), source: true }; }

  /** One value as a node: a fragment as it is, a name or source text as <bdi>, a number in the language's digits. */
  function node(value) {
    if (value instanceof Node) return value;
    if (typeof value === "number") return document.createTextNode(digits(value));
    if (value && typeof value === "object" && "isolate" in value) {
      const b = document.createElement("bdi");
      b.textContent = value.isolate;
      // A code, date or number has no letters to take a direction from: it always reads left to right.
      if (!/\p{L}/u.test(value.isolate)) b.dir = "ltr";
      if (value.source) { b.lang = ""; b.translate = false; b.className = "source-text"; }
      return b;
    }
    return document.createTextNode(value == null ? "" : String(value));
  }

  /** The message `key` as a DocumentFragment, placeholders filled from `args`; a plural message
      is worded for `args.count`. */
  function t(key, args) {
    args = args || {};
    let template = data.messages[key];
    if (template && typeof template === "object") {
      const category = typeof args.count === "number" ? plurals.select(args.count) : "other";
      template = template[category] || template.other;
    }
    if (typeof template !== "string") template = key;
    const out = document.createDocumentFragment();
    const re = /\{([^}]*)\}/g;
    let last = 0, m;
    while ((m = re.exec(template))) {
      if (m.index > last) out.appendChild(document.createTextNode(template.slice(last, m.index)));
      out.appendChild(m[1] in args ? node(args[m[1]]) : document.createTextNode(m[0]));
      last = re.lastIndex;
    }
    if (last < template.length) out.appendChild(document.createTextNode(template.slice(last)));
    return out;
  }

  /** The message as plain text (for attributes and comparisons). */
  function s(key, args) { return t(key, args).textContent; }

  return { lang: data.lang, dir: data.dir, languages, t, s, name, source, digits, node };
})();
