// One import: follow it while it runs; show the full result when it is done.
(function () {
  var el = document.querySelector("[data-testid=import-status][data-active='1']");
  if (!el) return;
  function poll() {
    fetch("/data/imports/" + el.dataset.importId + "/progress", {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) return setTimeout(poll, 3000);
        if (s.status !== "queued" && s.status !== "running") { location.reload(); return; }
        var bar = el.querySelector("[data-progress]");
        if (bar) bar.value = s.progress;
        var label = el.querySelector("[data-status]");
        if (s.status === "running") label.textContent = s.label;  // in the page's language
        var stage = document.querySelector("[data-stage]");
        if (stage) stage.textContent = s.stage;
        setTimeout(poll, 1500);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
