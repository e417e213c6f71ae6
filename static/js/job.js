// The job page: poll the job's status (data-status-url) every 2 s and show it; once the job
// is done or failed, stop, and reload the page once so that the server shows the whole
// outcome (the list of a refused file's errors, the link to the result).
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.finished === "1") return;
  var url = box.dataset.statusUrl;
  var INTERVAL = 2000;

  function show(id, visible) {
    var node = document.getElementById(id);
    if (node) node.hidden = !visible;
  }

  function text(id, value) {
    var node = document.getElementById(id);
    if (node) node.textContent = value === null || value === undefined ? "" : String(value);
  }

  function render(s) {
    text("job-status", s.status_name);
    var bar = document.getElementById("job-progress");
    if (s.percent === null) {
      bar.removeAttribute("value");
      text("job-percent", "");
    } else {
      bar.value = s.percent;
      text("job-percent", s.percent + "%");
    }
    show("job-rows", s.total !== null);
    text("job-done", s.done.toLocaleString());
    text("job-total", s.total === null ? "" : s.total.toLocaleString());
    show("job-time-left-line", Boolean(s.time_left));
    text("job-time-left", s.time_left);
    text("job-message", s.message);
    show("job-error", Boolean(s.error));
    text("job-error", s.error);
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (s) {
        render(s);
        if (s.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, INTERVAL);
        }
      })
      .catch(function () {
        // A dropped connection or a restarting server: try again a little later.
        window.setTimeout(poll, INTERVAL * 2);
      });
  }

  window.setTimeout(poll, INTERVAL);
})();
