// unionfacts serve: keyboard review in the findings queue. Served from the
// package; no other script runs on these pages (see the CSP header).
(function () {
  "use strict";
  const body = document.body;
  const csrf = body.dataset.csrf;
  const readOnly = body.dataset.readOnly === "true";
  const ignore = (e) =>
    e.target.matches("input, textarea, select") || e.ctrlKey || e.metaKey || e.altKey;

  // A finding's page: the same keys decide it; u goes back to the queue.
  const form = document.getElementById("review-form");
  if (form) {
    const statuses = { c: "confirmed", d: "dismissed", f: "fixed" };
    document.addEventListener("keydown", (e) => {
      if (e.target.id === "note" && (e.key === "Enter" || e.key === "Escape")) {
        e.preventDefault();
        e.target.blur();
        return;
      }
      if (ignore(e)) return;
      if (statuses[e.key]) {
        e.preventDefault();
        form.querySelector('button[value="' + statuses[e.key] + '"]').click();
      } else if (e.key === "n") {
        e.preventDefault();
        document.getElementById("note").focus();
      } else if (e.key === "u") {
        const back = document.getElementById("back");
        if (back) back.click();
      }
    });
  }

  const table = document.getElementById("queue");
  if (!table) return;
  const rows = () => Array.from(table.querySelectorAll("tr.row"));
  let index = 0;

  function select(i) {
    const all = rows();
    if (!all.length) return;
    index = Math.max(0, Math.min(i, all.length - 1));
    all.forEach((r, n) => r.classList.toggle("selected", n === index));
    all[index].scrollIntoView({ block: "nearest" });
  }

  function current() { return rows()[index]; }

  async function decide(status) {
    const row = current();
    if (!row || readOnly) return;
    const input = row.querySelector("input.note");
    const form = new URLSearchParams({ status: status, note: input ? input.value : "", csrf: csrf });
    const resp = await fetch(row.dataset.review, {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRF-Token": csrf },
      body: form,
    });
    const data = await resp.json();
    if (!resp.ok) { alert(data.error || "review failed"); return; }
    row.querySelector(".status").textContent = data.to;
    row.dataset.status = data.to;
    row.classList.add("decided");
    if (input) { input.value = ""; row.querySelector(".note-box").hidden = true; }
    select(index + 1);
  }

  function note() {
    const row = current();
    if (!row || readOnly) return;
    const box = row.querySelector(".note-box");
    box.hidden = false;
    box.querySelector("input").focus();
  }

  table.addEventListener("keydown", (e) => {
    if (e.target.matches("input.note") && (e.key === "Enter" || e.key === "Escape")) {
      e.preventDefault();
      e.target.blur();
    }
  });

  document.addEventListener("keydown", (e) => {
    if (ignore(e)) return;
    const keys = {
      j: () => select(index + 1),
      k: () => select(index - 1),
      c: () => decide("confirmed"),
      d: () => decide("dismissed"),
      f: () => decide("fixed"),
      n: note,
      o: () => { const a = current() && current().querySelector("a"); if (a) a.click(); },
    };
    const action = keys[e.key];
    if (action) { e.preventDefault(); action(); }
  });

  select(0);
})();
