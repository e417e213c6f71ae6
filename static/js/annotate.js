// Keyboard-first annotation: digits pick the passage type, Enter saves and
// moves on, b goes back, g opens the guidelines. Keys are ignored while the
// reviewer is typing in a text field, so notes can contain digits.
(function () {
  "use strict";
  var form = document.getElementById("annotation-form");
  if (!form) return;
  var current = document.getElementById("current");
  if (current) current.scrollIntoView({ block: "center" });

  function typing(el) {
    return el && (el.tagName === "TEXTAREA" || el.tagName === "SELECT" ||
      (el.tagName === "INPUT" && /^(text|search|email|number|password)$/.test(el.type)));
  }

  var submitted = false;
  form.addEventListener("submit", function (event) {
    // One click, one save: a second submit while the first is in flight is dropped.
    if (submitted) { event.preventDefault(); return; }
    submitted = true;
    var button = document.getElementById("save");
    if (button) button.disabled = true;
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    var radio = form.querySelector('input[name="label"][data-key="' + CSS.escape(event.key) + '"]');
    if (radio) {
      radio.checked = true;
      radio.focus();
      event.preventDefault();
      return;
    }
    if (event.key === "Enter") {
      event.preventDefault();
      if (form.reportValidity()) form.requestSubmit();
    } else if (event.key === "b") {
      var back = document.getElementById("back");
      if (back) window.location.href = back.href;
    } else if (event.key === "g") {
      var g = document.querySelector('a[accesskey="g"]');
      if (g) window.open(g.href, "_blank");
    }
  });
})();
