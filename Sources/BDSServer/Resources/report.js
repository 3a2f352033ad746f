"use strict";
// The report form a shopper opens on their phone from the kiosk's "Wrong answer?" QR code:
// it sends the query, the answer's level and data version, and what the shopper says to POST /v1/reports.
(function () {
  const params = new URLSearchParams(location.search);
  const $ = (id) => document.getElementById(id);
  const form = $("report"), result = $("result");
  $("query").value = params.get("q") || "";
  const level = params.get("level") || "", data = params.get("data") || "";
  if (level) $("answer").textContent = "The answer was: " + level + (data ? " (data " + data + ")" : "");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = { query: $("query").value, message: $("message").value };
    if (level) body.level = level;
    if (data) body.dataVersion = data;
    if ($("contact").value.trim()) body.contact = $("contact").value;
    result.textContent = "Sending…";
    try {
      const res = await fetch("/v1/reports", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
      });
      const answer = await res.json();
      if (res.ok) {
        form.hidden = true;
        result.textContent = "Thank you. Your report is number " + answer.id + ".";
      } else {
        result.textContent = "Not sent: " + (answer.error ? answer.error.message : "the server refused it");
      }
    } catch (err) {
      result.textContent = "Not sent: the server cannot be reached. Try again later.";
    }
  });
})();
