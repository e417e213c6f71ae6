// Keyboard-complete annotation page.
//
// Every field has a key (the legend on the page lists them): label keys pick the passage
// type, source keys (n o d a u) and marker keys (the scheme's) either mark the selected
// words as a span or, with nothing selected, set the passage-level answer; z x c set the
// confidence; s opens the skip reasons (a number picks one, Enter skips); b and f go back
// and forward; g opens the guidelines; Enter saves and moves on.
//
// Spans: the current passage is a row of tokens (<span class="tok" data-s data-e>) whose
// data attributes are document offsets, so a selection always snaps to whole words and
// never depends on the text the browser shows (redacted when the campaign is blind).
// The spans live in the hidden "spans" input as JSON; the server checks them again.
// Keys are ignored while the reviewer types in a text field, so notes can hold any letter.
(function () {
  "use strict";
  var form = document.getElementById("annotation-form");
  if (!form) return;
  var current = document.getElementById("current");
  if (current) current.scrollIntoView({ block: "center" });

  var spansInput = form.querySelector('input[name="spans"]');
  var textBox = document.getElementById("span-text");
  var markable = textBox && textBox.classList.contains("markable") && spansInput;
  var tokens = textBox ? Array.prototype.slice.call(textBox.querySelectorAll(".tok")) : [];
  var list = document.getElementById("span-list");
  var skipBox = document.getElementById("skip");

  function legendEntries(kind) {
    return Array.prototype.slice.call(document.querySelectorAll('[data-legend="' + kind + '"]'));
  }
  var names = {};
  function remember(kind) {
    legendEntries(kind).forEach(function (el) {
      names[kind + ":" + el.dataset.value] = el.querySelector("dd").textContent
        .replace(/^Source: /, "").replace(/ \(marks the selected words\)$/, "");
    });
  }
  remember("source");
  remember("marker");
  var sourceKeys = {}, markerKeys = {};
  legendEntries("source").forEach(function (el) { sourceKeys[el.dataset.key] = el.dataset.value; });
  legendEntries("marker").forEach(function (el) { markerKeys[el.dataset.key] = el.dataset.value; });

  var spans = [];
  try { spans = JSON.parse((spansInput && spansInput.value) || "[]") || []; } catch (e) { spans = []; }

  // The selection: anchor and focus token indices, or null; `rest` is where the last
  // selection ended, so arrows after marking carry on from there.
  var anchor = null, focus = null, rest = null;

  function typing(el) {
    return el && (el.tagName === "TEXTAREA" || el.tagName === "SELECT" ||
      (el.tagName === "INPUT" && /^(text|search|email|number|password)$/.test(el.type)));
  }

  function selectedRange() {
    if (anchor === null) return null;
    var a = Math.min(anchor, focus), b = Math.max(anchor, focus);
    return { first: a, last: b, start: +tokens[a].dataset.s, end: +tokens[b].dataset.e };
  }

  function shownText(start, end) {
    var words = [];
    tokens.forEach(function (t) {
      if (+t.dataset.s >= start && +t.dataset.e <= end) words.push(t.textContent);
    });
    return words.join(" ").replace(/ ([,.;:!?%)’”])/g, "$1").replace(/([(“‘]) /g, "$1");
  }

  function layerName(layer) { return layer === "source" ? "Cited source" : "Loaded language"; }

  function render() {
    if (!markable) return;
    spansInput.value = JSON.stringify(spans.map(function (s) {
      return { layer: s.layer, label: s.label, start: s.start, end: s.end };
    }));
    var range = selectedRange();
    tokens.forEach(function (t, i) {
      var s = +t.dataset.s, e = +t.dataset.e;
      var inSource = false, inLoaded = false, titles = [];
      spans.forEach(function (sp) {
        if (sp.start < e && s < sp.end) {
          if (sp.layer === "source") inSource = true; else inLoaded = true;
          titles.push(layerName(sp.layer) + ": " + (names[(sp.layer === "source" ? "source:" : "marker:") + sp.label] || sp.label));
        }
      });
      t.classList.toggle("src", inSource);
      t.classList.toggle("loaded", inLoaded);
      t.classList.toggle("sel", !!range && i >= range.first && i <= range.last);
      t.classList.toggle("cursor", focus === i);
      if (titles.length) t.setAttribute("data-marks", titles.join("; ")); else t.removeAttribute("data-marks");
    });
    if (!list) return;
    list.textContent = "";
    spans.slice().sort(function (a, b) { return a.start - b.start || a.end - b.end; }).forEach(function (sp) {
      var li = document.createElement("li");
      li.className = "span-item " + (sp.layer === "source" ? "src" : "loaded");
      li.dataset.layer = sp.layer;
      li.dataset.label = sp.label;
      li.dataset.start = sp.start;
      li.dataset.end = sp.end;
      var type = names[(sp.layer === "source" ? "source:" : "marker:") + sp.label] || sp.label;
      li.appendChild(document.createTextNode(layerName(sp.layer) + " · " + type + ": “" + shownText(sp.start, sp.end) + "” "));
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link remove-span";
      remove.textContent = "remove";
      remove.setAttribute("aria-label", "Remove " + type + " mark on “" + shownText(sp.start, sp.end) + "”");
      remove.addEventListener("click", function () {
        spans = spans.filter(function (x) { return x !== sp; });
        render();
      });
      li.appendChild(remove);
      list.appendChild(li);
    });
  }

  function addSpan(layer, label, start, end) {
    // The same words in the same layer: the new type replaces the old (no duplicates).
    spans = spans.filter(function (s) { return !(s.layer === layer && s.start === start && s.end === end); });
    spans.push({ layer: layer, label: label, start: start, end: end });
  }

  function setSelect(name, value) {
    var el = form.querySelector('[name="' + name + '"]');
    if (el) el.value = value;
  }

  function markSource(label) {
    var range = selectedRange();
    if (markable && range) {
      addSpan("source", label, range.start, range.end);
      var who = document.getElementById("id_cited_source");
      if (who && !who.value) who.value = shownText(range.start, range.end);
      setSelect("cited_type", label);
      clearSelection();
    } else {
      setSelect("cited_type", label);
    }
    render();
  }

  function markMarker(value) {
    var box = form.querySelector('input[name="markers"][value="' + CSS.escape(value) + '"]');
    var range = selectedRange();
    if (markable && range) {
      addSpan("loaded", value, range.start, range.end);
      if (box) box.checked = true;
      clearSelection();
    } else if (box) {
      box.checked = !box.checked;
    }
    render();
  }

  function clearSelection() {
    if (focus !== null) rest = Math.max(anchor, focus);
    anchor = focus = null;
  }

  function removeSelected() {
    var range = selectedRange();
    if (!range) return;
    spans = spans.filter(function (s) { return !(s.start < range.end && range.start < s.end); });
    render();
  }

  function move(step, extend) {
    if (!tokens.length) return;
    if (focus === null && rest !== null) {
      focus = anchor = Math.max(0, Math.min(tokens.length - 1, rest + step));
    } else if (focus === null) {
      focus = step > 0 ? 0 : tokens.length - 1;
      anchor = focus;
    } else {
      focus = Math.max(0, Math.min(tokens.length - 1, focus + step));
      if (!extend) anchor = focus;
    }
    render();
  }

  if (markable) {
    textBox.addEventListener("mouseup", function () {
      var sel = window.getSelection();
      var hit = [];
      if (sel && sel.rangeCount && !sel.isCollapsed) {
        var r = sel.getRangeAt(0);
        tokens.forEach(function (t, i) { if (r.intersectsNode(t)) hit.push(i); });
        sel.removeAllRanges();
      }
      if (hit.length) {
        anchor = hit[0];
        focus = hit[hit.length - 1];
        render();
      }
    });
    tokens.forEach(function (t, i) {
      t.addEventListener("click", function () {
        var sel = window.getSelection();
        if (sel && !sel.isCollapsed) return;
        anchor = focus = i;
        render();
      });
    });
  }

  function acceptSuggestion() {
    var next = document.querySelector("#suggestions .suggestion:not(.accepted)");
    if (!next || !markable) return;
    addSpan("source", next.dataset.label, +next.dataset.start, +next.dataset.end);
    next.classList.add("accepted");
    var who = document.getElementById("id_cited_source");
    if (who && !who.value) who.value = shownText(+next.dataset.start, +next.dataset.end);
    var type = form.querySelector('[name="cited_type"]');
    if (type && !type.value) type.value = next.dataset.label;
    render();
  }

  var submitted = false;
  form.addEventListener("submit", function (event) {
    // One click, one save: a second submit while the first is in flight is dropped.
    if (submitted) { event.preventDefault(); return; }
    submitted = true;
    var button = document.getElementById("save");
    if (button) button.disabled = true;
  });

  function go(id) {
    var link = document.getElementById(id);
    if (link) window.location.href = link.href;
  }

  function skipKeys(event) {
    // With the skip reasons open, numbers pick a reason and Enter skips.
    var radio = skipBox.querySelector('input[data-skip-key="' + CSS.escape(event.key) + '"]');
    if (radio) {
      radio.checked = true;
      radio.focus();
      if (radio.value === "other") document.getElementById("id_reason").focus();
      event.preventDefault();
      return true;
    }
    if (event.key === "Enter") {
      event.preventDefault();
      var skipForm = document.getElementById("skip-form");
      if (skipForm.querySelector('input[name="choice"]:checked')) skipForm.requestSubmit();
      return true;
    }
    if (event.key === "Escape") {
      skipBox.open = false;
      event.preventDefault();
      return true;
    }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) {
      if (event.key === "Escape") event.target.blur();
      else if (event.key === "Enter" && skipBox && skipBox.contains(event.target)) {
        event.preventDefault();
        document.getElementById("skip-form").requestSubmit();
      }
      return;
    }
    if (skipBox && skipBox.open && skipKeys(event)) return;
    var key = event.key;
    if (markable && (key === "ArrowRight" || key === "ArrowLeft")) {
      event.preventDefault();
      move(key === "ArrowRight" ? 1 : -1, event.shiftKey);
      return;
    }
    if (key === "Escape") { clearSelection(); render(); return; }
    if (key === "Delete" || key === "Backspace") { event.preventDefault(); removeSelected(); return; }
    var radio = form.querySelector('input[name="label"][data-key="' + CSS.escape(key) + '"]');
    if (radio) {
      radio.checked = true;
      radio.focus();
      event.preventDefault();
      return;
    }
    if (Object.prototype.hasOwnProperty.call(sourceKeys, key)) { event.preventDefault(); markSource(sourceKeys[key]); return; }
    if (Object.prototype.hasOwnProperty.call(markerKeys, key)) { event.preventDefault(); markMarker(markerKeys[key]); return; }
    var level = form.querySelector('input[name="confidence"][data-key="' + CSS.escape(key) + '"]');
    if (level) { level.checked = true; event.preventDefault(); return; }
    if (key === "Enter") {
      event.preventDefault();
      if (form.reportValidity()) form.requestSubmit();
    } else if (key === "b") {
      go("back");
    } else if (key === "f") {
      go("forward");
    } else if (key === "g") {
      var g = document.querySelector('a[accesskey="g"]');
      if (g) window.open(g.href, "_blank");
    } else if (key === "s" && skipBox) {
      event.preventDefault();
      skipBox.open = true;
      var first = skipBox.querySelector('input[name="choice"]');
      if (first) first.focus();
    } else if (key === "y") {
      acceptSuggestion();
    }
  });

  render();
})();
