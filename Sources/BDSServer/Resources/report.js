"use strict";
// The report form a shopper opens on their phone from the kiosk's "Wrong answer?" QR code:
// it sends the query, the answer's level and data version, and what the shopper says to POST /v1/reports.
(function () {
  const { t, name } = window.bdscheckWords;
  const params = new URLSearchParams(location.search);
  const $ = (id) => document.getElementById(id);
  const form = $("report"), result = $("result");
  $("query").value = params.get("q") || "";
  const level = params.get("level") || "", data = params.get("data") || "";
  // The level in words, as the kiosk's suggestions word it ("listed: consumer boycott").
  const levelWords = level ? t("candidate." + level) : "";
  if (level && levelWords.textContent === "candidate." + level) levelWords.replaceChildren(name(level).isolate);
  if (level) $("answer").replaceChildren(data ? t("report.answer-was-data", { level: levelWords, data: name(data) }) : t("report.answer-was", { level: levelWords }));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = { query: $("query").value, message: $("message").value };
    if (level) body.level = level;
    if (data) body.dataVersion = data;
    if ($("contact").value.trim()) body.contact = $("contact").value;
    result.replaceChildren(t("report.sending"));
    try {
      const res = await fetch("/v1/reports", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
      });
      const answer = await res.json();
      if (res.ok) {
        form.hidden = true;
        result.replaceChildren(t("report.thanks", { id: answer.id }));
      } else {
        // The server's own reason is English: shown as it wrote it.
        const reason = answer.error ? { isolate: answer.error.message } : t("report.refused");
        result.replaceChildren(t("report.not-sent", { reason }));
      }
    } catch (err) {
      result.replaceChildren(t("report.unreachable"));
    }
  });
})();
