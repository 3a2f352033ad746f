"use strict";
// The kiosk page: a state machine (idle → checking → answer → idle, and unreachable) around one
// input that a USB barcode scanner types into. docs/HTTP.md describes the states. Every word comes
// from the message catalogue (kiosk-words.js); an answer's headline and summary are the server's
// own, in the page's language (`localized`), and scripts/kiosk-browser-test.py checks both.
(function () {
  const { t, s: words, name, source, node, languages } = window.bdscheckWords;
  const lang = window.bdscheckWords.lang;
  const params = new URLSearchParams(location.search);
  const configured = parseInt(document.querySelector('meta[name="bdscheck-reset-seconds"]').content, 10);
  const resetSeconds = Math.max(3, parseInt(params.get("reset") || "", 10) || configured || 20);
  /** Keys that follow each other within this many milliseconds are one scanner burst. */
  const burstGap = Math.max(20, parseInt(params.get("burst") || "", 10) || 100);
  /** Where a phone reaches this server (serve --public-url); the page's own address when not set. */
  const publicMeta = document.querySelector('meta[name="bdscheck-public-url"]');
  const publicURL = ((publicMeta && !publicMeta.content.startsWith("__") && publicMeta.content) || location.origin).replace(/\/+$/, "");
  /** While the server is unreachable, how often the page asks it again. */
  const retrySeconds = Math.max(1, parseInt(params.get("retry") || "", 10) || 3);

  const $ = (id) => document.getElementById(id);
  const input = $("scan"), main = $("main"), answer = $("answer"), headline = $("headline"), summary = $("summary"),
        lead = $("lead"), details = $("details"), icon = $("icon"), status = $("status"), countdown = $("countdown");

  // Listing categories, most relevant to a shopper first (Headline.categoryOrder), and the
  // headline kind each one leads to (Headline.Kind).
  const categoryOrder = ["consumer-boycott", "organic", "pressure", "divestment", "un-database", "other"];
  const categoryKind = {
    "consumer-boycott": "consumer-boycott", "organic": "grassroots-boycott", "pressure": "pressure",
    "divestment": "divestment", "un-database": "un-database", "other": "other-list"
  };
  const categoryWords = (category) => words("headline." + (categoryKind[category] || "other-list"));
  const W = 'class="shape"', M = 'class="mark"', F = 'class="markfill"';
  const icons = {
    "consumer-boycott": `<path ${W} d="M20.9 3 H43.1 L61 20.9 V43.1 L43.1 61 H20.9 L3 43.1 V20.9 Z"/><path ${M} stroke-width="8" d="M21 21 L43 43 M43 21 L21 43"/>`,
    "grassroots-boycott": `<rect ${W} x="3" y="3" width="58" height="58" rx="15"/><circle ${F} cx="19" cy="25" r="5.5"/><circle ${F} cx="32" cy="20" r="6"/><circle ${F} cx="45" cy="25" r="5.5"/><path ${F} d="M9 46 Q19 30 29 46 Z M20 50 Q32 30 44 50 Z M35 46 Q45 30 55 46 Z"/>`,
    "pressure": `<path ${W} d="M32 3 L62 58 H2 Z"/><path ${M} stroke-width="7" d="M32 22 V39"/><circle ${F} cx="32" cy="49" r="4.5"/>`,
    "divestment": `<path ${W} d="M32 2 L62 32 L32 62 L2 32 Z"/><path ${M} stroke-width="6" d="M32 16 V45 M21 35 L32 46 L43 35"/>`,
    "un-database": `<path ${W} d="M11 3 H42 L54 15 V61 H11 Z"/><path ${M} stroke-width="4" d="M19 25 H46 M19 35 H46 M19 45 H38"/>`,
    "other-list": `<path ${W} d="M8 3 H15 V61 H8 Z M15 7 H56 L47 21 L56 35 H15 Z"/>`,
    "owns-listed": `<rect ${W} x="2" y="2" width="60" height="60" rx="6"/><rect ${F} x="24" y="9" width="16" height="12"/><rect ${F} x="8" y="41" width="16" height="12"/><rect ${F} x="40" y="41" width="16" height="12"/><path ${M} stroke-width="4" d="M32 21 V31 M16 31 H48 M16 31 V41 M48 31 V41"/>`,
    "hint": `<path ${W} d="M32 2 L58 17 V47 L32 62 L6 47 V17 Z"/><circle ${F} cx="32" cy="19" r="4.5"/><path ${M} stroke-width="7" d="M32 29 V47"/>`,
    "no-listing": `<circle ${W} cx="32" cy="32" r="30"/><path ${M} stroke-width="7" d="M18 33 L28 43 L47 22"/>`,
    "unknown": `<path ${W} d="M6 6 H58 V46 H28 L15 59 V46 H6 Z"/><path ${M} stroke-width="5.5" d="M24 19 Q24 11 32 11 Q40 11 40 18 Q40 23 33 26 V31"/><circle ${F} cx="33" cy="39" r="3.6"/>`,
    "cannot-check": `<rect ${W} x="2" y="12" width="60" height="40" rx="4"/><path ${M} stroke-width="3" d="M10 19 V45 M15 19 V45 M22 19 V45 M27 19 V45 M34 19 V45 M41 19 V45 M46 19 V45 M53 19 V45"/><path ${M} stroke-width="7" d="M6 56 L58 8"/>`,
    "invalid": `<path ${W} d="M6 4 H58 V34 L32 61 L6 34 Z"/><path ${M} stroke-width="7" d="M32 15 V34"/><circle ${F} cx="32" cy="44" r="4.5"/>`,
    "unreachable": `<circle ${W} cx="32" cy="32" r="30"/><path ${M} stroke-width="5" d="M15 31 Q32 16 49 31 M22 39 Q32 31 42 39"/><circle ${F} cx="32" cy="47" r="3.5"/><path ${M} stroke-width="6" d="M14 50 L50 14"/>`,
    "checking": `<circle ${W} cx="32" cy="32" r="30"/><circle ${F} cx="18" cy="32" r="5"/><circle ${F} cx="32" cy="32" r="5"/><circle ${F} cx="46" cy="32" r="5"/>`,
    "idle": `<rect ${W} x="4" y="12" width="56" height="40" rx="4"/><path ${M} stroke-width="3" d="M12 20 V44 M17 20 V44 M24 20 V44 M28 20 V44 M34 20 V44 M41 20 V44 M45 20 V44 M50 20 V44"/>`
  };

  const rank = (m) => { const i = categoryOrder.indexOf(m.listing.category); return i < 0 ? categoryOrder.length : i; };
  const byRelevance = (listings) => listings.map((m, i) => [m, i]).sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1]).map((p) => p[0]);

  /** The headline's kind for an answer, as Verdict.headline decides it (the words are the server's). */
  function kindOf(v) {
    switch (v.verdict) {
      case "listed-consumer-boycott": case "listed-other": {
        const first = byRelevance(v.listings)[0];
        return categoryKind[first ? first.listing.category : "other"] || "other-list";
      }
      case "owns-listed": return "owns-listed";
      case "hint-only": return "hint";
      case "no-listing-found": return "no-listing";
      case "unknown": return v.barcode && !v.barcode.identifiesProduct ? "cannot-check" : "unknown";
      case "invalid": return "invalid";
      default: return "unknown";
    }
  }
  /** The answer's words in the page's language: the server's `localized`, else its English fields. */
  function wordsOf(v) {
    const l = v.localized || {};
    return {
      headline: l.headline || v.verdict, summary: l.summary || v.summary,
      allocation: l.allocationLabel || (v.barcode && v.barcode.allocationLabel) || "",
      hints: l.hints || v.hints.map((h) => h.text), problem: l.problem || (v.problem && v.problem.message) || ""
    };
  }

  // ---- rendering -------------------------------------------------------------------------------

  /** An element holding `content`: a string of the page's language, or a fragment from t(). */
  function el(tag, content, cls) {
    const e = document.createElement(tag);
    if (content instanceof Node) e.appendChild(content);
    else if (content !== undefined && content !== null) e.textContent = content;
    if (cls) e.className = cls;
    return e;
  }
  function card(title, cls) {
    const c = el("section", null, "card" + (cls ? " " + cls : ""));
    c.appendChild(el("h2", title));
    details.appendChild(c);
    return c;
  }
  const percent = (p) => Math.round(p * 10) / 10;
  /** "listed since 2025 · ended 2026: reason", as Listing.datesText(in:) words it. */
  function datesText(l) {
    const f = l.startDate ? t("dates.listed-since", { date: name(l.startDate) }) : t("dates.as-read", { date: name(l.retrieved) });
    if (l.endDate) {
      f.appendChild(t("list.dot-separator"));
      f.appendChild(l.endReason ? t("dates.ended-because", { date: name(l.endDate), reason: source(l.endReason) }) : t("dates.ended", { date: name(l.endDate) }));
    }
    return f;
  }
  /** "URL (read DATE)". */
  const read = (url, date) => date ? t("answer.read", { url: name(url), date: name(date) }) : name(url);
  /** "Sabra → 50 % owned by Strauss Group", as LinkPath.text(in:) words it. */
  function pathText(path) {
    const f = document.createDocumentFragment();
    f.appendChild(node(name(path.start)));
    let current = path.start;
    for (const link of path.links) {
      f.appendChild(t("path.arrow"));
      const share = link.percent != null ? { percent: percent(link.percent) } : null;
      if (link.owner.name === current && link.owned.name !== current) {
        f.appendChild(share ? t("path.owns-share", { ...share, name: name(link.owned.name) }) : t("path.owns", { name: name(link.owned.name) }));
        current = link.owned.name;
      } else {
        f.appendChild(share ? t("path.owned-by-share", { ...share, name: name(link.owner.name) }) : t("path.owned-by", { name: name(link.owner.name) }));
        current = link.owner.name;
      }
    }
    return f;
  }
  const targetName = (target) => target.type === "entity" ? name(target.entity.name)
    : target.type === "product" ? t("target.product", { code: name(target.gtin) }) : t("target.company-prefix", { prefix: name(target.prefix) });

  function paint(state, kind, head, text, leadText) {
    document.body.dataset.state = state;
    answer.dataset.state = state;
    answer.dataset.kind = kind;
    document.body.dataset.kind = kind;
    icon.innerHTML = icons[kind] || icons.unknown;
    headline.replaceChildren(head);
    summary.replaceChildren(text);
    lead.replaceChildren(leadText || "");
    lead.hidden = !leadText;
    details.replaceChildren();
    main.scrollTop = 0;
    answer.dataset.query = "";
  }

  /** The entities' notes (a licence that is not ownership, a word that is also a kosher term), once each. */
  function notesOf(v) {
    const entities = [];
    if (v.product && v.product.brand) entities.push(v.product.brand);
    entities.push(...v.matched);
    for (const o of v.owners) entities.push(o.owned, o.owner);
    for (const m of v.listings.concat(v.history)) if (m.listing.target.type === "entity") entities.push(m.listing.target.entity);
    const seen = new Set(), out = [];
    for (const e of entities) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      if (e.note && e.note.trim()) out.push([e.name, e.note.trim()]);
    }
    return out;
  }

  function render(v) {
    const kind = kindOf(v), w = wordsOf(v);
    const listings = byRelevance(v.listings);
    const first = listings[0];
    let leadText = first && first.listing.reasons.length ? t("kiosk.why", { reason: source(first.listing.reasons[0]) }) : null;
    if (!leadText && v.problem && v.problem.correctedCode) leadText = t("kiosk.scan-again", { digit: v.problem.expectedCheckDigit, code: name(v.problem.correctedCode) });
    if (leadText && leadText.textContent === w.summary) leadText = null;
    paint("answer", kind, w.headline, w.summary, leadText);
    answer.dataset.query = v.query;
    for (const m of listings) listing(m, false);
    for (const m of (v.owns || [])) listing(m, false, t("kiosk.card.owns"));
    if (v.nameMatch && v.nameMatch.derivedFrom) {
      card(t("kiosk.card.name")).appendChild(el("p", t("kiosk.short-name", { alias: name(v.nameMatch.alias), formal: name(v.nameMatch.derivedFrom) })));
    }
    // Notes are the data's own words: shown as written.
    for (const [subject, note] of notesOf(v)) card(t("kiosk.card.note", { subject: name(subject) }), "note").appendChild(el("p", node(source(note))));
    if (v.product || v.barcode) {
      const c = card(t("kiosk.card.product"));
      if (v.product) {
        const product = v.product.name ? name(v.product.name) : t("answer.no-name");
        c.appendChild(el("p", v.product.brand ? t("answer.product-with-brand", { product, brand: name(v.product.brand.name) }) : node(product), "big"));
      }
      if (v.barcode) c.appendChild(el("p", t("kiosk.barcode", { code: name(v.barcode.canonical), format: name(v.barcode.format), allocation: w.allocation })));
      // How a 2D code or a scanner's prefix was read (Digital Link, element string, symbology).
      if (v.reading && (v.reading.form !== "digits" || v.reading.symbology || v.reading.note)) c.appendChild(el("p", t("kiosk.read-as", { reading: name(v.reading.text) })));
      if (v.product && v.product.fetchedLive) c.appendChild(el("p", t("kiosk.product-live", { source: name(v.product.fetchedLive), date: name(v.product.retrieved || "?"), url: name(v.product.sourceUrl || "") }), "source"));
      else if (v.product && v.product.sourceUrl) c.appendChild(el("p", t("kiosk.barcode-source", { source: read(v.product.sourceUrl, v.product.retrieved) }), "source"));
    }
    const former = v.formerOwners || [], conflicts = v.ownershipContradictions || [];
    if (v.owners.length || former.length || conflicts.length) {
      const c = card(t("kiosk.card.ownership"));
      // "100 %, since 2024-12-03": the share and the dates, in the page's language.
      const terms = (o) => {
        const parts = [];
        if (o.percent != null) parts.push(t("answer.terms.share", { percent: percent(o.percent) }));
        if (o.startDate && o.endDate) parts.push(t("answer.terms.between", { start: name(o.startDate), end: name(o.endDate) }));
        else if (o.startDate) parts.push(t("answer.terms.since", { date: name(o.startDate) }));
        else if (o.endDate) parts.push(t("answer.terms.until", { date: name(o.endDate) }));
        if (!parts.length) return null;
        const out = document.createDocumentFragment();
        parts.forEach((part, i) => { if (i) out.appendChild(t("list.separator")); out.appendChild(part); });
        return out;
      };
      const link = (o) => {
        const names = { owned: name(o.owned.name), owner: name(o.owner.name) };
        const given = terms(o);
        return given ? t("answer.ownership-terms", { ...names, terms: given }) : t("answer.ownership", names);
      };
      const claim = (o) => o.source
        ? t("kiosk.source-of", { id: name(o.source), source: read(o.sourceUrl, o.retrieved) })
        : t("kiosk.source", { source: read(o.sourceUrl, o.retrieved) });
      // The source's own words about a link (a minority stake, a licence), so that "owned by" is
      // not read alone.
      const linkNote = (o) => { if (o.note && o.note.trim()) c.appendChild(el("p", node(source(o.note.trim())), "link-note")); };
      for (const o of v.owners) {
        c.appendChild(el("p", link(o)));
        linkNote(o);
        if (o.sourceUrl) c.appendChild(el("p", claim(o), "source"));
      }
      // Ended ownership is history: it carries no listing.
      for (const o of former) {
        c.appendChild(el("p", t("kiosk.ownership.formerly", { link: link(o) }), "history"));
        linkNote(o);
        if (o.sourceUrl) c.appendChild(el("p", claim(o), "source"));
      }
      // Two sources that cannot both be right: each side in the words the store recorded.
      for (const x of conflicts) {
        c.appendChild(el("p", t("answer.contradiction", { source: name(x.source), claim: source(x.claim), other: name(x.againstSource), against: source(x.against) }), "conflict"));
        if (x.sourceUrl) c.appendChild(el("p", t("kiosk.source-of", { id: name(x.source), source: read(x.sourceUrl, x.retrieved) }), "source"));
        if (x.againstSourceUrl) c.appendChild(el("p", t("kiosk.source-of", { id: name(x.againstSource), source: name(x.againstSourceUrl) }), "source"));
      }
    }
    for (const h of w.hints) card(t("kiosk.card.hint")).appendChild(el("p", h));
    for (const a of (v.alternatives || [])) {
      // Always the source's suggestion, never the kiosk's.
      const c = card(t("kiosk.card.alternative", { source: name(a.suggestedBy) }), "alternative");
      c.appendChild(el("p", t("kiosk.instead-of", { entity: name(a["for"].name), suggestion: a.entity ? name(a.entity.name) : source("“" + a.text + "”") }), "big"));
      if (a.category || a.region) c.appendChild(el("p", node(source([a.category, a.region].filter(Boolean).join(", ")))));
      if (a.sourceUrl) c.appendChild(el("p", t("kiosk.source", { source: read(a.sourceUrl, a.retrieved) }), "source"));
    }
    for (const m of v.history) listing(m, true);
    if (v.query) takeAlong(v);
    if (v.problem) {
      const c = card(t("kiosk.card.problem"));
      c.appendChild(el("p", w.problem, "big"));
      if (v.problem.correctedCode) c.appendChild(el("p", t("kiosk.corrected", { digit: v.problem.expectedCheckDigit, code: name(v.problem.correctedCode) })));
    }
    if (v.candidates.length) {
      const c = card(t("kiosk.card.did-you-mean"));
      c.id = "candidates";
      const ul = el("ul");
      for (const cand of v.candidates) {
        const li = el("li"), b = el("button");
        b.type = "button";
        b.dataset.name = cand.entity.name;
        b.appendChild(el("span", node(name(cand.matchedName === cand.entity.name ? cand.entity.name : cand.matchedName + " (" + cand.entity.name + ")")), "name"));
        b.appendChild(el("span", t("kiosk.score", { score: Math.round(cand.score * 100) }), "score"));
        if (cand.verdict) b.appendChild(el("span", t("answer.would-be", { level: words("candidate." + cand.verdict) }), "score"));
        b.addEventListener("click", () => lookup(cand.entity.name));
        li.appendChild(b);
        ul.appendChild(li);
      }
      c.appendChild(ul);
    }
    // Data version and staleness (signed snapshots): every answer says which data gave it.
    if (v.data) {
      const old = dataIsOld(v.data.date);
      const c = card(t(old ? "kiosk.card.old-data" : "kiosk.card.data"), old ? "stale" : undefined);
      const label = dataLabel(v.data.version, v.data.date);
      c.appendChild(el("p", old ? t("kiosk.data-old", { label, count: Math.round(maxDataAge / 86400) }) : label, old ? "big" : "source"));
    }
    // End of data version and staleness.
  }

  // Data version and staleness (signed snapshots).
  const maxDataAge = parseInt((document.querySelector('meta[name="bdscheck-max-data-age-seconds"]') || {}).content, 10) || 0;
  function dataIsOld(date) { return maxDataAge > 0 && (!date || (Date.now() - Date.parse(date)) / 1000 > maxDataAge); }
  function dataLabel(version, date) {
    const day = date ? name(date.slice(0, 10)) : t("answer.data-unknown-date");
    return version ? t("kiosk.status.version", { version, date: day }) : t("kiosk.status.built", { date: day });
  }
  // End of data version and staleness.

  /** A QR code drawn by this server (GET /v1/qr), for a phone's camera. */
  function qr(text, label) {
    const img = document.createElement("img");
    img.className = "qr";
    img.alt = label;
    img.src = "/v1/qr?text=" + encodeURIComponent(text);
    return img;
  }

  /** The answer's permalink as a QR code, and "Wrong answer?", which shows one for the report form:
      the shopper carries on on their phone, since the kiosk takes no typing. */
  function takeAlong(v) {
    // The language goes along when the shopper chose it here (the link opens the server's default otherwise).
    const link = publicURL + "/?q=" + encodeURIComponent(v.query) + (params.get("lang") ? "&lang=" + encodeURIComponent(lang) : "");
    const c = card(t("kiosk.card.along"), "along");
    c.appendChild(qr(link, words("kiosk.qr.answer")));
    c.appendChild(el("p", node(name(link)), "source"));
    const report = publicURL + "/report?q=" + encodeURIComponent(v.query) + "&level=" + encodeURIComponent(v.verdict)
      + (v.data && v.data.version ? "&data=" + encodeURIComponent(v.data.version) : v.data && v.data.date ? "&data=" + encodeURIComponent(v.data.date) : "")
      + "&lang=" + encodeURIComponent(lang);
    const button = el("button", t("kiosk.wrong-answer"), "wrong");
    button.type = "button";
    button.addEventListener("click", () => {
      button.hidden = true;
      stopCountdown();
      c.appendChild(el("p", t("kiosk.scan-to-report")));
      c.appendChild(qr(report, words("kiosk.qr.report")));
      startCountdown();
    });
    c.appendChild(button);
  }

  function listing(m, ended, title) {
    const l = m.listing;
    const c = card(title || t(ended ? "kiosk.card.history" : "kiosk.card.listing"), ended ? "history" : "listing");
    c.appendChild(el("p", t("answer.listing", { campaign: name(l.campaign), category: categoryWords(l.category) }), "big"));
    c.appendChild(el("p", t("kiosk.names", { target: targetName(l.target) })));
    // Reasons are the source's own words: shown as written, in their own direction.
    for (const r of l.reasons) c.appendChild(el("p", t("kiosk.why", { reason: source(r) })));
    if (m.path.links.length) c.appendChild(el("p", t("kiosk.linked-by", { path: pathText(m.path) }), "path"));
    c.appendChild(el("p", datesText(l), "dates"));
    c.appendChild(el("p", t("kiosk.source", { source: read(l.sourceUrl, l.retrieved) }), "source"));
    for (const o of l.otherSources || []) c.appendChild(el("p", t("kiosk.also", { source: read(o.sourceUrl, o.retrieved) }), "source"));
  }

  // ---- auto-scroll: a long answer scrolls under the sticky headline, so every card is seen ------

  let scrollTimer = null;
  function stopAutoScroll() { clearTimeout(scrollTimer); scrollTimer = null; main.dataset.autoscroll = "off"; }
  function startAutoScroll() {
    stopAutoScroll();
    const overflow = main.scrollHeight - main.clientHeight;
    if (overflow <= 4) return;
    main.dataset.autoscroll = "on";
    // Reach the bottom well before the reset: a 2 s pause at the top, then at least 50 px/s. The
    // position follows the clock, not the number of ticks, so a busy or throttled page keeps pace.
    const speed = Math.max(50, overflow / Math.max(1, resetSeconds - 5));
    let start = performance.now() + 2000;
    const step = () => {
      const now = performance.now(), max = main.scrollHeight - main.clientHeight;
      const y = Math.max(0, Math.min(max, (now - start) / 1000 * speed));
      main.scrollTop = y;
      if (y >= max) {
        // Hold the last card for 3 s, then start again from the top.
        scrollTimer = setTimeout(() => { main.scrollTop = 0; start = performance.now() + 2000; scrollTimer = setTimeout(step, 40); }, 3000);
        return;
      }
      scrollTimer = setTimeout(step, 40);
    };
    scrollTimer = setTimeout(step, 40);
  }

  // ---- the state machine -----------------------------------------------------------------------

  let state = "idle", resetTimer = null, deadline = 0, pending = null, retryTimer = null;

  function clearField() { input.value = ""; burstStart = 0; lastInput = 0; }
  function stopCountdown() { clearTimeout(resetTimer); resetTimer = null; countdown.textContent = ""; }

  function enter(next) {
    state = next;
    stopCountdown();
    stopAutoScroll();
    clearField();
  }

  function idle() {
    enter("idle");
    paint("idle", "idle", t("kiosk.idle.headline"), t("kiosk.idle.text"));
  }

  function startCountdown() {
    deadline = Date.now() + resetSeconds * 1000;
    const tick = () => {
      const left = Math.ceil((deadline - Date.now()) / 1000);
      if (left <= 0) { idle(); return; }
      countdown.replaceChildren(t("kiosk.countdown", { seconds: left }));
      resetTimer = setTimeout(tick, 250);
    };
    tick();
  }

  function showAnswer(v) {
    enter("answer");
    render(v);
    startCountdown();
    startAutoScroll();
  }

  function unreachable(query) {
    enter("unreachable");
    paint("unreachable", "unreachable", t("kiosk.unreachable.headline"),
          query ? t("kiosk.unreachable.query", { query: name(query), seconds: retrySeconds })
                : t("kiosk.unreachable.text", { seconds: retrySeconds }));
    setStatus("down");
    scheduleRetry();
  }

  function scheduleRetry() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(async () => {
      if (state !== "unreachable") return;
      if (await probe()) { if (state === "unreachable") idle(); }
      else scheduleRetry();
    }, retrySeconds * 1000);
  }

  async function lookup(query) {
    const q = query.trim();
    if (!q) return;
    if (pending) pending.abort();
    const controller = new AbortController();
    pending = controller;
    enter("checking");
    paint("checking", "checking", t("kiosk.checking"), node(name(q)));
    try {
      const res = await fetch("/v1/lookup?lang=" + encodeURIComponent(lang), {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ queries: [q] }), signal: controller.signal
      });
      const body = await res.json();
      if (pending !== controller) return;
      if (!res.ok) {
        enter("answer");
        // The server's reason is English: shown as it wrote it.
        paint("answer", "invalid", t("headline.invalid-input"), body.error ? node(source(body.error.message)) : t("kiosk.refused"));
        answer.dataset.query = q;
        startCountdown();
      } else {
        showAnswer(body.answers[0]);
      }
      setStatus("up");
    } catch (e) {
      if (e.name === "AbortError" || pending !== controller) return;
      unreachable(q);
    } finally {
      if (pending === controller) pending = null;
    }
  }

  /** Asks /readyz; true when the store answers. Updates the status line either way. */
  async function probe() {
    try {
      const res = await fetch("/readyz", { cache: "no-store" });
      const r = await res.json();
      if (!res.ok) { setStatus("down", t("kiosk.status.not-ready")); return false; }
      if (r.builtAt) status.dataset.built = r.builtAt;
      // Data version and staleness (signed snapshots).
      if (r.dataDate) {
        const label = dataLabel(r.dataVersion, r.dataDate);
        status.dataset.label = (r.stale ? t("kiosk.status.old", { label }) : label).textContent;
      }
      status.dataset.stale = r.stale ? "yes" : "";
      setStatus("up");
      return true;
    } catch (e) {
      setStatus("down");
      return false;
    }
  }

  function setStatus(s, text) {
    status.dataset.state = s;
    if (s === "down") { status.replaceChildren(text || t("kiosk.status.down")); return; }
    if (status.dataset.label) { status.textContent = status.dataset.label; if (status.dataset.stale) status.dataset.state = "stale"; return; }
    status.replaceChildren(status.dataset.built ? t("kiosk.status.built", { date: name(status.dataset.built.slice(0, 10)) }) : t("kiosk.status.ready"));
  }

  // ---- the keyboard: typing, scanner bursts and Enter ------------------------------------------

  // Where in the field the current burst began, and when the field last changed. A scanner types
  // its digits and Enter within `burstGap` ms of each other; anything typed before that burst
  // (a stray key) is dropped when the burst is a barcode.
  let burstStart = 0, lastInput = 0, previousLength = 0;

  function scannedText(value, now) {
    const burst = value.slice(burstStart);
    const inBurst = lastInput && now - lastInput <= burstGap;
    if (burstStart > 0 && inBurst && /^[0-9][0-9 -]{5,}$/.test(burst.trim())) return burst;
    return value;
  }

  input.addEventListener("keydown", (e) => {
    if (e.isComposing) return;
    const now = performance.now();
    if (e.key === "Enter") {
      e.preventDefault();
      const q = scannedText(input.value, now);
      clearField();
      if (q.trim()) lookup(q);
      return;
    }
    const printable = e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey;
    // Any key after an answer (or while one is checked, or while the server is away) starts a new
    // query: the old answer goes, the field starts empty, and the key lands in it.
    if ((printable || e.key === "Backspace") && state !== "idle") {
      if (pending) { pending.abort(); pending = null; }
      idle();
    }
  });
  input.addEventListener("beforeinput", () => { previousLength = input.value.length; });
  input.addEventListener("input", () => {
    const now = performance.now();
    if (!lastInput || now - lastInput > burstGap) burstStart = Math.min(previousLength, input.value.length);
    lastInput = now;
    previousLength = input.value.length;
    typingTimeout();
  });

  // Text left in the field with no Enter (a stray key, a half-typed name) is cleared after the reset delay.
  let typingTimer = null;
  function typingTimeout() {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => { if (state === "idle" && input.value) idle(); }, resetSeconds * 1000);
  }

  const keepFocus = () => { if (document.activeElement !== input) input.focus({ preventScroll: true }); };
  input.addEventListener("blur", () => setTimeout(keepFocus, 0));
  document.addEventListener("keydown", (e) => {
    if (document.activeElement !== input && e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) input.focus();
  }, true);
  document.addEventListener("click", (e) => { if (!e.target.closest("button")) keepFocus(); });
  window.addEventListener("focus", keepFocus);
  setInterval(keepFocus, 1000);

  // ---- the language button: each language in its own name; choosing one reloads the page in it --

  const languageButton = $("language"), languageList = $("language-list");
  for (const l of languages) {
    const li = el("li"), b = el("button", l.name);
    b.type = "button";
    b.lang = l.code;
    b.dir = l.dir;
    b.dataset.lang = l.code;
    if (l.code === lang) b.setAttribute("aria-current", "true");
    b.addEventListener("click", () => {
      const next = new URLSearchParams(location.search);
      next.set("lang", l.code);
      next.delete("q");
      location.search = next.toString();
    });
    li.appendChild(b);
    languageList.appendChild(li);
  }
  languageButton.addEventListener("click", () => {
    languageList.hidden = !languageList.hidden;
    languageButton.setAttribute("aria-expanded", String(!languageList.hidden));
  });

  // ---- start -----------------------------------------------------------------------------------

  if ("serviceWorker" in navigator && params.get("offline") !== "off") {
    navigator.serviceWorker.register("/kiosk-sw.js").catch(() => {});
  }
  idle();
  keepFocus();
  probe().then((up) => {
    if (!up) unreachable("");
    else if (params.get("q")) lookup(params.get("q"));  // a permalink: /?q=CODE
  });
  window.bdscheckKiosk = { lookup, idle, stopAutoScroll, resetSeconds, burstGap, retrySeconds, lang, get state() { return state; } };
})();
