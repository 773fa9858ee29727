// Content studio: the fields offered follow the platform; a bulk job's page follows its
// progress (GET needs no CSRF header) and shows the result when it is done.
(function () {
  document.querySelectorAll("[data-platform-select]").forEach(function (select) {
    var form = select.form;
    function show() {
      form.querySelectorAll("[data-fields-of]").forEach(function (group) {
        var on = group.dataset.fieldsOf === select.value;
        group.hidden = !on;
        group.querySelectorAll("input").forEach(function (box) { box.disabled = !on; });
      });
    }
    select.addEventListener("change", show);
  });
  var card = document.querySelector("[data-job-id]");
  if (!card || card.dataset.active !== "1") { document.body.dataset.jobSettled = "1"; return; }
  var bar = card.querySelector("progress");
  function poll() {
    fetch("/content/jobs/" + card.dataset.jobId + "/progress", {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { setTimeout(poll, 3000); return; }
        bar.max = s.items; bar.value = s.done;
        if (s.active) setTimeout(poll, 1500);
        else location.replace(location.pathname);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
