// Data page: while an import runs, follow it through the API (GET needs no CSRF header).
(function () {
  var words = {queued: "Waiting to start", running: "Importing", done: "Done",
               problems: "Done, with problems", no_rows: "No rows", failed: "Failed"};
  function fmt(n) { return Number(n).toLocaleString("en"); }
  function poll() {
    var rows = document.querySelectorAll("tr[data-active='1']");
    if (!rows.length) return;
    var pending = rows.length;
    rows.forEach(function (row) {
      fetch("/api/v1/imports/" + row.dataset.importId, {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (s) {
          if (!s) return;
          var cell = row.querySelector("[data-field=status]");
          var label = cell.querySelector("[data-status]");
          label.className = "import-status status-" + s.outcome;
          label.textContent = words[s.outcome] + (s.outcome === "running" ? " " + Math.round(s.progress * 100) + "%" : "");
          var bar = cell.querySelector("[data-progress]");
          if (bar) bar.value = s.progress;
          ["read", "imported", "duplicates", "rejected"].forEach(function (k) {
            row.querySelector("[data-field=" + k + "]").textContent = fmt(s[k]);
          });
          if (s.status !== "queued" && s.status !== "running") {
            row.dataset.active = "0";
            if (bar) bar.remove();
          }
        })
        .catch(function () {})
        .then(function () {
          if (--pending > 0) return;
          if (document.querySelector("tr[data-active='1']")) { setTimeout(poll, 1500); return; }
          location.replace(location.pathname);  // all finished: show the full result
        });
    });
  }
  if (document.querySelector("tr[data-active='1']")) setTimeout(poll, 1000);
  else document.body.dataset.importsSettled = "1";  // nothing running: the page is final
})();
