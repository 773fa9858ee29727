// Data → Event sources: copy a new write key. Data → Live events: refresh the tables.
(function () {
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = document.getElementById(button.dataset.copy).textContent.trim();
      var done = function () { button.textContent = button.dataset.copied; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () {});
      } else {
        var range = document.createRange();
        range.selectNodeContents(document.getElementById(button.dataset.copy));
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        if (document.execCommand("copy")) done();
      }
    });
  });
  var live = document.querySelector("[data-live]");
  if (!live) return;
  var every = Math.max(Number(live.dataset.every) || 3, 1) * 1000;
  function refresh() {
    if (document.hidden) { setTimeout(refresh, every); return; }
    fetch(live.dataset.live, {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) return;
        var next = new DOMParser().parseFromString(html, "text/html").querySelector("[data-live-rows]");
        var current = document.querySelector("[data-live-rows]");
        if (next && current) current.replaceWith(document.importNode(next, true));
        document.body.dataset.liveRefreshed = String(Number(document.body.dataset.liveRefreshed || 0) + 1);
      })
      .catch(function () {})
      .then(function () { setTimeout(refresh, every); });
  }
  setTimeout(refresh, every);
})();
