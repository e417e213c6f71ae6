// The curator's decision page. Final evidence spans live in the form's hidden "spans"
// input (a JSON list); this script edits that list: take one reviewer's spans, take a
// reviewer's whole answer, merge every reviewer's spans, remove one, or add one by
// selecting words in the final passage (the selection snaps to whole tokens, whose
// data-start/data-end carry document offsets). Keys (listed in the page's legend):
// label keys pick the final type, Shift+N takes reviewer N's answer, m merges, Enter
// saves, Ctrl+Enter saves from a text field, Esc leaves a field or cancels a selection.
// No key acts while the curator types in a text field, except Esc and Ctrl+Enter.
(function () {
  "use strict";
  var form = document.getElementById("adjudication-form");
  var dataNode = document.getElementById("adjudication-data");
  if (!form || !dataNode) return;
  var data = JSON.parse(dataNode.dataset.page);
  var input = form.querySelector('input[name="spans"]');
  var finalText = document.getElementById("final-text");
  var list = document.getElementById("final-span-list");
  var picker = document.getElementById("span-picker");
  var pickedText = document.getElementById("picked-text");
  var typeSelect = document.getElementById("span-type");
  var statusLine = document.getElementById("adj-status");
  var spansOn = Object.keys(data.names || {}).length > 0;
  // Offsets count code points (as Python does), not UTF-16 units.
  var chars = Array.from(data.passage.text);
  var base = data.passage.start;
  var spans = readSpans();
  var pending = null;

  function readSpans() {
    try {
      var value = JSON.parse(input.value || "[]");
      return Array.isArray(value) ? value.filter(function (s) { return s && typeof s === "object"; }) : [];
    } catch (e) {
      return [];
    }
  }

  function textOf(start, end) {
    return chars.slice(start - base, end - base).join("");
  }

  function copy(s) {
    return { layer: s.layer, label: s.label, start: s.start, end: s.end, text: s.text };
  }

  function place(s) {
    return s.layer + "\u0000" + s.start + "\u0000" + s.end;
  }

  function compare(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function describe(s) {
    var layer = (data.layers || {})[s.layer] || s.layer;
    var names = (data.names || {})[s.layer] || {};
    return layer + " · " + (names[s.label] || s.label);
  }

  function say(message) {
    if (statusLine) statusLine.textContent = message;
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function reviewer(n) {
    return (data.reviewers || [])[n - 1] || null;
  }

  // Drop exact repeats (same layer, offsets and type), sort as the server stores them,
  // write the hidden input and redraw the final passage and the list.
  function render() {
    var seen = {};
    spans = spans.filter(function (s) {
      var key = place(s) + "\u0000" + s.label;
      if (seen[key]) return false;
      seen[key] = true;
      return true;
    });
    spans.sort(function (a, b) {
      return a.start - b.start || a.end - b.end || compare(a.layer, b.layer) || compare(a.label, b.label);
    });
    input.value = JSON.stringify(spans);
    if (finalText) {
      finalText.querySelectorAll(".adj-tok").forEach(function (tok) {
        var start = +tok.dataset.start, end = +tok.dataset.end;
        var over = spans.filter(function (s) { return s.start < end && start < s.end; });
        ["source", "loaded"].forEach(function (layer) {
          tok.classList.toggle("layer-" + layer, over.some(function (s) { return s.layer === layer; }));
        });
        tok.classList.toggle("adj-pending", !!pending && pending.start < end && start < pending.end);
        tok.title = over.map(describe).join("; ");
      });
    }
    if (list) {
      list.textContent = "";
      spans.forEach(function (s, i) {
        var item = document.createElement("li");
        item.className = "adj-span layer-" + s.layer;
        var type = document.createElement("span");
        type.className = "adj-span-type";
        type.textContent = describe(s);
        item.appendChild(type);
        item.appendChild(document.createTextNode(": “" + (s.text || textOf(s.start, s.end)) + "” "));
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "link remove-span";
        remove.dataset.index = String(i);
        remove.textContent = "Remove";
        remove.setAttribute("aria-label", "Remove " + describe(s) + " “" + (s.text || "") + "”");
        item.appendChild(remove);
        list.appendChild(item);
      });
    }
  }

  function takeSpans(n) {
    var r = reviewer(n);
    if (!r) return false;
    spans = (r.spans || []).map(copy);
    cancelPending();
    render();
    return true;
  }

  function takeAnswer(n) {
    var r = reviewer(n);
    if (!r) return;
    form.querySelectorAll('input[name="label"]').forEach(function (radio) {
      radio.checked = radio.value === r.label;
    });
    var source = form.querySelector('[name="cited_source"]');
    if (source) source.value = r.cited_source || "";
    var type = form.querySelector('[name="cited_type"]');
    if (type) type.value = r.cited_type || "";
    var markers = r.markers || [];
    form.querySelectorAll('input[name="markers"]').forEach(function (box) {
      box.checked = markers.indexOf(box.value) !== -1;
    });
    var what = "type, cited source and markers";
    if (spansOn) {
      takeSpans(n);
      what += " and " + plural(spans.length, "span");
    }
    say("Took reviewer " + n + "'s answer (" + r.username + "): " + what + ".");
  }

  // The final spans plus every reviewer's, each once. Where the same words in one layer
  // carry different types, the one met first (the final spans, then reviewer 1, 2, …) is kept.
  function merge() {
    var merged = spans.map(copy), places = {}, conflicts = 0;
    merged.forEach(function (s) { places[place(s)] = s.label; });
    (data.reviewers || []).forEach(function (r) {
      (r.spans || []).forEach(function (s) {
        var where = place(s);
        if (!(where in places)) {
          places[where] = s.label;
          merged.push(copy(s));
        } else if (places[where] !== s.label) {
          conflicts += 1;
        }
      });
    });
    spans = merged;
    cancelPending();
    render();
    say("Merged all reviewers' spans: " + plural(spans.length, "span") +
      (conflicts ? "; " + plural(conflicts, "span") + " marked with another type left out, check the types." : "."));
  }

  function cancelPending() {
    pending = null;
    if (picker) picker.hidden = true;
    if (finalText) finalText.querySelectorAll(".adj-pending").forEach(function (t) { t.classList.remove("adj-pending"); });
  }

  // The tokens a mouse selection touches, trimmed where it only grazes a token's edge.
  function selectedTokens() {
    var selection = window.getSelection();
    if (!finalText || !selection || selection.isCollapsed || !selection.rangeCount) return [];
    var range = selection.getRangeAt(0);
    var touched = Array.prototype.filter.call(finalText.querySelectorAll(".adj-tok"), function (tok) {
      return range.intersectsNode(tok);
    });
    var first = touched[0], last = touched[touched.length - 1];
    if (first && first.contains(range.startContainer) && range.startContainer.nodeType === 3 &&
        range.startOffset >= range.startContainer.length) touched.shift();
    if (last && touched.length && last.contains(range.endContainer) && range.endOffset === 0) touched.pop();
    return touched;
  }

  function pick() {
    var touched = selectedTokens();
    if (!touched.length) return;
    pending = {
      start: +touched[0].dataset.start,
      end: +touched[touched.length - 1].dataset.end,
    };
    window.getSelection().removeAllRanges();
    pickedText.textContent = "Selected: “" + textOf(pending.start, pending.end) + "”";
    picker.hidden = false;
    render();
  }

  function addPending() {
    if (!pending || !typeSelect.value) return;
    var value = typeSelect.value, colon = value.indexOf(":");
    var span = {
      layer: value.slice(0, colon),
      label: value.slice(colon + 1),
      start: pending.start,
      end: pending.end,
      text: textOf(pending.start, pending.end),
    };
    var same = spans.filter(function (s) { return place(s) === place(span); })[0];
    if (same) {
      same.label = span.label;
      say("Changed the type of “" + span.text + "” to " + describe(span) + ".");
    } else {
      spans.push(span);
      say("Added “" + span.text + "” as " + describe(span) + ".");
    }
    cancelPending();
    render();
  }

  function typing(el) {
    return el && (el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable ||
      (el.tagName === "INPUT" && /^(text|search|email|number|password|url|tel)$/.test(el.type)));
  }

  var submitted = false;
  form.addEventListener("submit", function (event) {
    // One save per decision: a second submit while the first is in flight is dropped.
    if (submitted) { event.preventDefault(); return; }
    submitted = true;
    var button = document.getElementById("decide");
    if (button) button.disabled = true;
  });

  function save() {
    if (form.reportValidity()) form.requestSubmit();
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest("button");
    if (!target) return;
    if (target.dataset.takeSpans) {
      var n = +target.dataset.takeSpans;
      if (takeSpans(n)) say("Final spans: reviewer " + n + "'s (" + reviewer(n).username + "), " + plural(spans.length, "span") + ".");
    } else if (target.dataset.takeAnswer) {
      takeAnswer(+target.dataset.takeAnswer);
    } else if (target.id === "merge-spans") {
      merge();
    } else if (target.id === "clear-spans") {
      spans = [];
      cancelPending();
      render();
      say("Removed all final spans.");
    } else if (target.id === "add-span") {
      addPending();
    } else if (target.id === "cancel-span") {
      cancelPending();
    } else if (target.classList.contains("remove-span")) {
      var removed = spans.splice(+target.dataset.index, 1)[0];
      render();
      if (removed) say("Removed “" + (removed.text || "") + "” (" + describe(removed) + ").");
    }
  });

  if (finalText) {
    document.addEventListener("mouseup", function () {
      // After the browser has settled the selection.
      window.setTimeout(pick, 0);
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      save();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    if (event.key === "Escape") {
      cancelPending();
      return;
    }
    var digit = /^Digit([1-9])$/.exec(event.code || "");
    if (event.shiftKey && digit) {
      if (reviewer(+digit[1])) {
        event.preventDefault();
        takeAnswer(+digit[1]);
      }
      return;
    }
    var radio = form.querySelector('input[name="label"][data-key="' + CSS.escape(event.key) + '"]');
    if (radio) {
      radio.checked = true;
      radio.focus();
      event.preventDefault();
      return;
    }
    if (event.key === "m" && spansOn) {
      event.preventDefault();
      merge();
    } else if (event.key === "Enter" && event.target.tagName !== "A") {
      event.preventDefault();
      save();
    }
  });

  render();
})();
