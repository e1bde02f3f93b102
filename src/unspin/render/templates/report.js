/* unspin report page: tooltips for highlights and a fallback for the layer switches.
   Everything here is optional: the page is complete without it. Text goes in with
   textContent only, never as markup. */
(function () {
  "use strict";
  var root = document.getElementById("report");
  var tip = document.getElementById("tip");
  var dataNode = document.getElementById("unspin-data");
  if (!root || !tip || !dataNode) { return; }
  var report;
  try { report = JSON.parse(dataNode.textContent); } catch (err) { return; }

  var HEDGE = {
    adverb: "A distancing word: the writer reports the claim without vouching for it.",
    phrase: "A distancing phrase: the writer reports the claim without vouching for it.",
    passive_report: "A passive report: says something is reported without saying who reports it.",
    anonymous_source: "An unnamed source: the reader cannot check who says this."
  };
  var ATTRIBUTION = {
    direct_quote: "Quoted directly from a named source.",
    attributed: "Paraphrased from a named source.",
    anonymous: "Attributed to an unnamed source.",
    hedged: "Hedged: reported without anyone vouching for it.",
    unattributed: "Asserted by the article itself, with no source."
  };

  function pretty(name) {
    var words = String(name).replace(/[_\-]+/g, " ").replace(/,/g, ", ").replace(/\s+/g, " ").trim();
    return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
  }
  function fixed(x) { return typeof x === "number" ? x.toFixed(2) : ""; }

  // Native title tooltips are the no-script fallback; the richer tooltip replaces them.
  var marks = root.querySelectorAll("mark.hl[title]");
  for (var i = 0; i < marks.length; i++) { marks[i].removeAttribute("title"); }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function checked(id) {
    var box = document.getElementById(id);
    return !box || box.checked;
  }

  function shown(mark) {
    if (!checked("show-" + mark.getAttribute("data-layer"))) { return false; }
    var tq = mark.getAttribute("data-tq");
    return tq === null || checked("show-tq-" + tq);
  }

  function describe(mark) {
    var layer = mark.getAttribute("data-layer");
    var i = parseInt(mark.getAttribute("data-i"), 10);
    var item = el("div", "tip-item");
    var head = el("div", "tip-head");
    var body = null;
    item.appendChild(head);
    if (layer === "technique" && report.techniques[i]) {
      var t = report.techniques[i];
      var sw = el("span", "swatch tq-" + mark.getAttribute("data-tq"));
      head.appendChild(sw);
      head.appendChild(el("span", null, pretty(t.technique)));
      head.appendChild(el("span", "tip-score", "score " + fixed(t.score)));
      body = t.definition || "";
    } else if (layer === "hedge" && report.hedges[i]) {
      var h = report.hedges[i];
      head.appendChild(el("span", null, "Hedge: " + pretty(h.kind)));
      body = HEDGE[h.kind] || "";
    } else if (layer === "quantity" && report.quantities[i]) {
      var q = report.quantities[i];
      head.appendChild(el("span", null, "Number (" + q.kind + ")"));
      body = q.number + (q.unit ? " " + q.unit : "") +
        (q.value !== null && String(q.value) !== q.number ? " = " + q.value : "");
    } else if (layer === "entity" && report.entities[i]) {
      var e = report.entities[i];
      head.appendChild(el("span", null, e.name));
      head.appendChild(el("span", "tip-score", e.label));
      body = e.mentions.length + (e.mentions.length === 1 ? " mention" : " mentions") + " in the article";
    } else if (layer === "claim" && report.claims[i]) {
      var c = report.claims[i];
      var a = c.attribution;
      head.appendChild(el("span", null, "Claim C" + (i + 1)));
      head.appendChild(el("span", "tip-score", "check-worthiness " + fixed(c.checkworthiness)));
      body = a ? (ATTRIBUTION[a.kind] || pretty(a.kind)) : "No attribution found.";
      if (a && a.source) { body += " Source: " + a.source.text + "."; }
      if (a && a.hedge) { body += " Hedge: \u201c" + a.hedge.text + "\u201d."; }
    } else {
      return null;
    }
    if (body) { item.appendChild(el("div", "tip-body", body)); }
    return item;
  }

  var current = null;

  function show(mark, x, y) {
    var items = [];
    var seen = {};
    for (var n = mark; n && n !== root; n = n.parentElement) {
      if (n.matches && n.matches("mark.hl")) {
        var key = n.getAttribute("data-layer") + ":" + n.getAttribute("data-i");
        if (!seen[key] && shown(n)) {
          seen[key] = true;
          var d = describe(n);
          if (d) { items.push(d); }
        }
      }
    }
    if (!items.length) { hide(); return; }
    while (tip.firstChild) { tip.removeChild(tip.firstChild); }
    for (var k = 0; k < items.length; k++) { tip.appendChild(items[k]); }
    tip.hidden = false;
    if (current && current !== mark) { current.removeAttribute("aria-describedby"); }
    current = mark;
    mark.setAttribute("aria-describedby", "tip");
    place(mark, x, y);
  }

  function place(mark, x, y) {
    var rects = mark.getClientRects();
    var rect = rects.length ? rects[0] : mark.getBoundingClientRect();
    if (typeof x === "number") {
      for (var r = 0; r < rects.length; r++) {
        if (y >= rects[r].top && y <= rects[r].bottom) { rect = rects[r]; break; }
      }
    }
    var width = tip.offsetWidth;
    var height = tip.offsetHeight;
    var viewW = document.documentElement.clientWidth;
    var left = Math.max(8, Math.min(rect.left, viewW - width - 8));
    var top = rect.bottom + 8;
    if (top + height > window.innerHeight && rect.top - height - 8 > 0) {
      top = rect.top - height - 8;
    }
    tip.style.left = (left + window.scrollX) + "px";
    tip.style.top = (top + window.scrollY) + "px";
  }

  function hide() {
    tip.hidden = true;
    if (current) { current.removeAttribute("aria-describedby"); current = null; }
  }

  function markOf(target) {
    return target && target.closest ? target.closest("mark.hl") : null;
  }

  root.addEventListener("mouseover", function (ev) {
    var mark = markOf(ev.target);
    if (mark) { show(mark, ev.clientX, ev.clientY); }
  });
  root.addEventListener("mouseout", function (ev) {
    if (!markOf(ev.relatedTarget)) { hide(); }
  });
  root.addEventListener("focusin", function (ev) {
    var mark = markOf(ev.target);
    if (mark) { show(mark); } else { hide(); }
  });
  root.addEventListener("focusout", function (ev) {
    if (!markOf(ev.relatedTarget)) { hide(); }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { hide(); }
  });
  window.addEventListener("resize", hide);

  // Layer switches: CSS :has() does the work; this class fallback covers older browsers.
  root.addEventListener("change", function (ev) {
    var box = ev.target;
    if (box && box.id && box.id.indexOf("show-") === 0) {
      root.classList.toggle("off-" + box.id.slice(5), !box.checked);
      hide();
    }
  });
})();
