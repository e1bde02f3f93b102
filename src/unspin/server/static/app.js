/* unspin serve: the verification desk's page. No framework, no build step, nothing loaded
   from anywhere but this server.

   Safety rule: text from articles and reports reaches the page through textContent (and
   attribute values set with setAttribute) only. Nothing here ever assigns markup
   (no innerHTML, insertAdjacentHTML or document.write). */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";

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
  var FLAGS = {
    unused_source: "Borrowed authority",
    unattributed_claim: "Claim with no source",
    hedged_claim: "Hedged claim",
    anonymous_claim: "Unnamed source",
    one_sided_sourcing: "One-sided sourcing"
  };
  var LAYERS = [
    ["technique", "Techniques"], ["hedge", "Hedges"], ["quantity", "Numbers"],
    ["entity", "Names"], ["claim", "Claims"]
  ];
  var FOCUSABLE = { technique: true, hedge: true, quantity: true };
  var PAGE_SIZE = 20;

  // --- small helpers ------------------------------------------------------------------------

  function $(id) { return document.getElementById(id); }

  /* el("a", {class: "x", href: "/y"}, "text" | node | [nodes]) */
  function el(tag, attrs, content) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) { return; }
        if (key === "class") { node.className = value; } else {
          node.setAttribute(key, value === true ? "" : String(value));
        }
      });
    }
    append(node, content);
    return node;
  }

  function append(node, content) {
    if (content === null || content === undefined) { return node; }
    if (Array.isArray(content)) {
      content.forEach(function (c) { append(node, c); });
    } else if (content instanceof Node) {
      node.appendChild(content);
    } else {
      node.appendChild(document.createTextNode(String(content)));
    }
    return node;
  }

  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, String(attrs[key])); });
    if (text !== undefined) { node.textContent = String(text); }
    return node;
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function pretty(name) {
    var words = String(name).replace(/[_\-]+/g, " ").replace(/,/g, ", ").replace(/\s+/g, " ").trim();
    return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
  }
  function flagName(code) { return FLAGS[code] || pretty(code); }
  function fixed(x) { return typeof x === "number" ? x.toFixed(2) : "–"; }
  function pct(x) { return typeof x === "number" ? Math.round(x * 100) + "%" : ""; }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }
  function clip(text, limit) {
    var flat = String(text).replace(/\s+/g, " ").trim();
    return flat.length <= limit ? flat : flat.slice(0, limit - 1).trim() + "…";
  }
  function when(iso) {
    var d = new Date(iso);
    return isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
  }
  function status(id, message, kind) {
    var node = $(id);
    node.textContent = message || "";
    node.className = "status" + (kind ? " " + kind : "");
  }
  function query(params) {
    var qs = new URLSearchParams();
    Object.keys(params).forEach(function (k) {
      var v = params[k];
      if (v !== null && v !== undefined && String(v).trim() !== "") { qs.set(k, String(v).trim()); }
    });
    var s = qs.toString();
    return s ? "?" + s : "";
  }
  function historyLink(params, content, cls) {
    return el("a", { href: "/history" + query(params), "data-link": true, class: cls || null }, content);
  }

  // --- the API ------------------------------------------------------------------------------

  var token = "";
  try { token = sessionStorage.getItem("unspin-token") || ""; } catch (e) { token = ""; }
  var auth = false;

  function ApiError(status, message, kind) {
    this.status = status;
    this.message = message;
    this.kind = kind;
  }

  function askToken() {
    var dialog = $("token-dialog");
    return new Promise(function (resolve) {
      if (!dialog.showModal) {  // very old browsers
        var value = window.prompt("API token");
        resolve(value || "");
        return;
      }
      $("token-input").value = "";
      dialog.returnValue = "";
      dialog.addEventListener("close", function done() {
        dialog.removeEventListener("close", done);
        resolve(dialog.returnValue === "ok" ? $("token-input").value.trim() : "");
      });
      dialog.showModal();
    });
  }

  function setToken(value) {
    token = value;
    try {
      if (value) { sessionStorage.setItem("unspin-token", value); } else { sessionStorage.removeItem("unspin-token"); }
    } catch (e) { /* storage disabled: keep it in memory */ }
  }

  function api(method, path, body, retried) {
    var headers = { Accept: "application/json" };
    var payload;
    if (token) { headers.Authorization = "Bearer " + token; }
    if (body instanceof FormData) {
      payload = body;
    } else if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    return fetch(path, { method: method, headers: headers, body: payload, credentials: "same-origin",
                         cache: "no-store" })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        var parsed = type.indexOf("application/json") === 0 ? response.json() : Promise.resolve(null);
        return parsed.then(function (data) { return { response: response, data: data }; });
      })
      .then(function (res) {
        if (res.response.status === 401 && !retried) {
          return askToken().then(function (value) {
            if (!value) { throw new ApiError(401, "An API token is needed.", "unauthorized"); }
            setToken(value);
            $("token-button").hidden = false;
            return api(method, path, body, true);
          });
        }
        if (!res.response.ok) {
          var d = res.data || {};
          var message = typeof d.detail === "string" ? d.detail : "The server answered " + res.response.status + ".";
          throw new ApiError(res.response.status, message, d.error);
        }
        return res.data;
      }, function (err) {
        if (err instanceof ApiError) { throw err; }
        throw new ApiError(0, "The server could not be reached.", "network");
      });
  }

  function errorText(err) {
    if (err instanceof ApiError) {
      if (err.status === 429) { return err.message + " (the server is busy)"; }
      return err.message;
    }
    return "Something went wrong: " + String(err);
  }

  // --- facets (filters' choices) --------------------------------------------------------------

  var facets = null;

  function fillList(list, items) {
    clear(list);
    items.forEach(function (item) { list.appendChild(el("option", { value: item.name })); });
  }

  function fillSelect(select, items, label) {
    var keep = select.value;
    while (select.options.length > 1) { select.remove(1); }
    var seen = {};
    items.forEach(function (item) {
      seen[item.name] = true;
      select.appendChild(el("option", { value: item.name }, label(item.name) + " (" + item.count + ")"));
    });
    if (keep && !seen[keep]) { select.appendChild(el("option", { value: keep }, label(keep))); }
    select.value = keep;
  }

  function loadFacets() {
    return api("GET", "/api/facets").then(function (f) {
      facets = f;
      fillList($("outlet-list"), f.outlets);
      fillList($("source-list"), f.sources);
      fillSelect($("s-technique"), f.techniques, pretty);
      fillSelect($("s-flag"), f.flags, flagName);
    }, function () { /* filters still work as free text */ });
  }

  function ensureOption(select, value, label) {
    if (!value) { return; }
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) { return; }
    }
    select.appendChild(el("option", { value: value }, label(value)));
  }

  // --- routing ------------------------------------------------------------------------------

  var VIEWS = ["analyse", "compare", "report", "history", "trends"];
  var rendered = null;

  function show(name) {
    VIEWS.forEach(function (v) { $("view-" + v).hidden = v !== name; });
    var nav = name === "report" ? "history" : name;
    var links = document.querySelectorAll("[data-nav]");
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute("data-nav") === nav) { links[i].setAttribute("aria-current", "page"); } else {
        links[i].removeAttribute("aria-current");
      }
    }
    hideTip();
  }

  function route(focus) {
    var path = location.pathname;
    rendered = location.pathname + location.search;
    var m = /^\/reports\/(\d+)\/?$/.exec(path);
    if (m) {
      show("report");
      loadReport(parseInt(m[1], 10), focus);
    } else if (path === "/history") {
      show("history");
      runSearch(focus);
    } else if (path === "/trends") {
      show("trends");
      runTrends(focus);
    } else if (path === "/compare") {
      show("compare");
      document.title = "Compare · unspin";
      if (focus) { $("compare-h").focus(); }
    } else {
      show("analyse");
      document.title = "unspin · verification desk";
      if (focus) { $("analyse-h").focus(); }
    }
  }

  function go(url) {
    history.pushState(null, "", url);
    route(true);
    window.scrollTo(0, 0);
  }

  document.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("a[data-link]") : null;
    if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) { return; }
    ev.preventDefault();
    go(a.getAttribute("href"));
  });

  window.addEventListener("popstate", function () {
    // A jump to an anchor inside the same report changes only the hash: nothing to redraw.
    if (location.pathname + location.search === rendered) { return; }
    route(true);
  });

  // --- analyse ------------------------------------------------------------------------------

  function mode() {
    var checked = document.querySelector("input[name=mode]:checked");
    return checked ? checked.value : "text";
  }

  function showMode() {
    var m = mode();
    var blocks = document.querySelectorAll("[data-mode]");
    for (var i = 0; i < blocks.length; i++) { blocks[i].hidden = blocks[i].getAttribute("data-mode") !== m; }
  }

  function analyse(ev) {
    ev.preventDefault();
    var m = mode();
    var meta = {
      outlet: $("in-outlet").value.trim() || null,
      date: $("in-date").value || null,
      byline: $("in-byline").value.trim() || null
    };
    var body;
    var path = "/api/analyze";
    if (m === "text") {
      var text = $("in-text").value;
      if (!text.trim()) { status("analyse-status", "Paste the article's text first.", "error"); $("in-text").focus(); return; }
      body = Object.assign({ text: text }, meta);
    } else if (m === "url") {
      var url = $("in-url").value.trim();
      if (!/^https?:\/\//i.test(url)) { status("analyse-status", "Give an address that starts with http:// or https://.", "error"); $("in-url").focus(); return; }
      body = Object.assign({ url: url }, meta);
    } else {
      var file = $("in-file").files[0];
      if (!file) { status("analyse-status", "Choose a file first.", "error"); $("in-file").focus(); return; }
      body = new FormData();
      body.append("file", file, file.name);
      body.append("format", "auto");
      Object.keys(meta).forEach(function (k) { if (meta[k]) { body.append(k, meta[k]); } });
      path = "/api/analyze/file";
    }
    Object.keys(meta).forEach(function (k) { if (body[k] === null) { delete body[k]; } });
    var button = $("analyse-button");
    button.disabled = true;
    status("analyse-status", m === "url" ? "Fetching and analysing…" : "Analysing…", "busy");
    api("POST", path, body).then(function (res) {
      status("analyse-status", res.created ? "Analysed and stored." : "Already stored: showing the stored report.", "ok");
      loadFacets();
      go("/reports/" + res.id);
    }, function (err) {
      status("analyse-status", errorText(err), "error");
    }).then(function () { button.disabled = false; });
  }

  // --- one report -------------------------------------------------------------------------

  var current = null;  // {view, report}

  function loadReport(id, focus) {
    var root = $("report-root");
    if (current && current.view.id === id && root.firstChild) { return; }
    clear(root);
    status("report-status", "Loading report " + id + "…", "busy");
    api("GET", "/api/reports/" + id + "/view").then(function (view) {
      status("report-status", "");
      current = { view: view, report: view.report };
      root.appendChild(renderReport(view));
      var title = view.report.title ? view.report.title.text : "Untitled article";
      document.title = clip(title, 80) + " · unspin";
      if (focus) { $("report-title").focus(); }
    }, function (err) {
      current = null;
      status("report-status", errorText(err), "error");
    });
  }

  function techniqueIndex(view) {
    var out = {};
    view.techniques.forEach(function (t, k) { out[t.name] = { k: k, info: t }; });
    return out;
  }

  function markTitle(layer) {
    return { technique: "technique", hedge: "hedge", quantity: "number", entity: "name", claim: "claim" }[layer] || layer;
  }

  function appendNodes(parent, nodes, ctx) {
    nodes.forEach(function (node) {
      if (typeof node === "string") {
        parent.appendChild(document.createTextNode(node));
        return;
      }
      var r = ctx.report;
      var classes = ["hl", "hl-" + node.layer];
      var attrs = { "data-layer": node.layer, "data-i": node.index };
      if (node.layer === "technique") {
        var t = r.techniques[node.index];
        var info = t && ctx.tq[t.technique];
        if (info) {
          classes.push("pal-" + info.info.color);
          attrs["data-tq"] = info.k;
          if (ctx.hidden[info.k]) { classes.push("tq-off"); }
        }
      } else if (node.layer === "entity") {
        var e = r.entities[node.index];
        if (e) { classes.push("ent-" + e.label.toLowerCase()); }
      }
      if (!node.first) { classes.push("cont"); }
      if (node.first && node.layer !== "entity") { attrs.id = node.layer + "-" + node.index; }
      if (node.first && FOCUSABLE[node.layer]) {
        attrs.tabindex = "0";
        attrs["aria-label"] = describeText(node.layer, node.index, ctx);
      }
      attrs.class = classes.join(" ");
      if (node.layer === "claim" && node.first) {
        parent.appendChild(el("a", { class: "claim-tag", href: "#claim-row-" + node.index,
                                      "aria-label": "Claim C" + (node.index + 1) + ": go to the claims table" },
                              "C" + (node.index + 1)));
      }
      var mark = el("mark", attrs);
      appendNodes(mark, node.children, ctx);
      parent.appendChild(mark);
    });
  }

  function describeText(layer, i, ctx) {
    var r = ctx.report;
    var item = { technique: r.techniques, hedge: r.hedges, quantity: r.quantities }[layer];
    item = item ? item[i] : null;
    if (!item) { return markTitle(layer); }
    if (layer === "technique") { return pretty(item.technique) + ", score " + fixed(item.score) + ": " + item.text; }
    if (layer === "hedge") { return "Hedge: " + item.text; }
    return "Number: " + item.text;
  }

  function badge(cls, content, title) { return el("span", { class: "badge " + cls, title: title || null }, content); }

  function masthead(view, ctx) {
    var r = view.report;
    var out = el("header", { class: "masthead" });
    out.appendChild(el("p", { class: "kicker" }, "unspin report #" + view.id + " · analysed " + when(view.analysed_at)));
    var h1 = el("h1", { class: "headline", id: "report-title", tabindex: "-1" });
    var title = view.blocks.filter(function (b) { return b.kind === "title"; })[0];
    if (title) { appendNodes(h1, title.nodes, ctx); } else { h1.textContent = "Untitled article"; }
    out.appendChild(h1);
    var meta = [];
    if (r.meta.outlet) { meta.push(historyLink({ outlet: r.meta.outlet }, r.meta.outlet, "outlet")); }
    if (r.meta.byline) { meta.push(el("span", { class: "byline" }, r.meta.byline)); }
    if (r.meta.date) { meta.push(el("time", { datetime: /^\d{4}-\d{2}-\d{2}/.test(r.meta.date) ? r.meta.date : null }, r.meta.date)); }
    if (r.meta.language && r.meta.language !== "en") { meta.push(el("span", { class: "lang" }, "Language: " + r.meta.language)); }
    if (meta.length) {
      var p = el("p", { class: "meta" });
      meta.forEach(function (m, k) {
        if (k) { p.appendChild(el("span", { class: "sep", "aria-hidden": "true" }, "·")); }
        p.appendChild(m);
      });
      out.appendChild(p);
    }
    if (r.meta.url) {
      // Shown as text, deliberately not a link, as in the HTML report.
      out.appendChild(el("p", { class: "url" }, [el("span", { class: "label" }, "Source URL"), " ", r.meta.url]));
    }
    var badges = el("div", { class: "badges", "aria-label": "Genre and frames" });
    if (r.genre) {
      badges.appendChild(badge("genre genre-" + r.genre.label, ["Genre: " + pretty(r.genre.label) + " ",
        el("span", { class: "num" }, pct(r.genre.scores[r.genre.label]))], "Genre, by the genre model"));
    }
    r.frames.slice().sort(function (a, b) { return b.score - a.score; }).forEach(function (f) {
      badges.appendChild(badge("frame", [pretty(f.frame) + " ", el("span", { class: "num" }, pct(f.score))], "Frame, by the framing model"));
    });
    if (r.frames_judged === false) {
      // Same wording as unspin.render.highlight.FRAMES_NOT_JUDGED.
      badges.appendChild(badge("frame not-judged", ["Frames: not judged"],
        "not judged: the frame model recognises too little of this article (it learned frames from political and world news)"));
    }
    if (badges.firstChild) { out.appendChild(badges); }
    var unsourced = r.claims.filter(function (c) { return !c.attribution || c.attribution.kind === "unattributed"; }).length;
    var summary = el("ul", { class: "summary", "aria-label": "Summary" });
    [["#panel-flags", r.flags.length, "flag", "flags"],
     ["#legend", r.techniques.length, "technique span", "technique spans"],
     ["#panel-claims", r.claims.length, "check-worthy claim", "check-worthy claims"],
     ["#panel-sources", r.sources.length, "source", "sources"],
     ["#panel-hedges", r.hedges.length, "hedge", "hedges"]].forEach(function (s) {
      summary.appendChild(el("li", null, el("a", { href: s[0] }, [el("b", null, String(s[1])), " " + (s[1] === 1 ? s[2] : s[3])])));
    });
    if (r.claims.length) {
      summary.appendChild(el("li", null, [el("b", null, String(unsourced)), " of " + r.claims.length + " claims without a source"]));
    }
    out.appendChild(summary);
    var actions = el("div", { class: "report-actions" });
    var download = el("button", { type: "button" }, "Download JSON");
    download.addEventListener("click", function () {
      var blob = new Blob([JSON.stringify(r, null, 2)], { type: "application/json" });
      var a = el("a", { href: URL.createObjectURL(blob), download: "unspin-report-" + view.id + ".json" });
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    });
    var del = el("button", { type: "button", class: "danger" }, "Delete report");
    del.addEventListener("click", function () {
      if (!window.confirm("Delete stored report #" + view.id + "? This cannot be undone.")) { return; }
      api("DELETE", "/api/reports/" + view.id).then(function () {
        current = null;
        loadFacets();
        go("/history");
        status("history-status", "Report #" + view.id + " was deleted.", "ok");
      }, function (err) { status("report-status", errorText(err), "error"); });
    });
    actions.appendChild(el("a", { href: "/reports/" + view.id, "data-link": true, class: "permalink" }, "Link to this report"));
    actions.appendChild(download);
    actions.appendChild(del);
    out.appendChild(actions);
    return out;
  }

  function chip(name, ctx, score) {
    var info = ctx.tq[name];
    return el("span", { class: "chip" + (info ? " pal-" + info.info.color : "") },
              [pretty(name), score !== undefined ? el("span", { class: "num" }, " " + fixed(score)) : null]);
  }

  function articleBody(view, ctx) {
    var out = el("article", { class: "article", id: "article", "aria-label": "Article with highlights" });
    var caps = view.blocks.filter(function (b) { return b.kind === "caption" || b.kind === "credit"; });
    if (caps.length) {
      var group = el("div", { class: "captions", role: "group", "aria-label": "Captions and credits" });
      caps.forEach(function (b) {
        var fig = el("figure", { class: "caption caption-" + b.kind });
        fig.appendChild(el("span", { class: "caption-label" }, b.kind === "credit" ? "Credit" : "Caption"));
        var cap = el("figcaption");
        appendNodes(cap, b.nodes, ctx);
        fig.appendChild(cap);
        group.appendChild(fig);
      });
      out.appendChild(group);
    }
    var body = el("div", { class: "body" });
    var paras = view.blocks.filter(function (b) { return b.kind === "paragraph"; });
    if (!paras.length) { body.appendChild(el("p", { class: "none" }, "No body text.")); }
    paras.forEach(function (b) {
      var p = el("p", { class: "para", id: b.paragraph !== null ? "p-" + b.paragraph : null });
      appendNodes(p, b.nodes, ctx);
      body.appendChild(p);
      var para = b.paragraph !== null ? view.report.paragraphs[b.paragraph] : null;
      if (para && para.techniques.length) {
        var line = el("p", { class: "para-tech" }, el("span", { class: "label" }, "Paragraph judged to use"));
        para.techniques.forEach(function (t) {
          line.appendChild(chip(t.technique, ctx, t.score));
          line.appendChild(el("span", { class: "para-note" }, badgeNote(view.report, para, t.technique)));
        });
        body.appendChild(line);
      }
    });
    out.appendChild(body);
    return out;
  }

  // What a paragraph badge says besides its name and score: where its strongest span of the
  // technique is, or that it was judged on the whole paragraph (render/highlight.py's badge_note).
  function badgeNote(report, para, technique) {
    var best = null;
    report.techniques.forEach(function (t) {
      if (t.technique === technique && t.start >= para.start && t.end <= para.end &&
          (best === null || t.score > best.score)) { best = t; }
    });
    if (best === null) { return "whole paragraph"; }
    var text = best.text.length <= 60 ? best.text : best.text.slice(0, 57).replace(/\s+$/, "") + "...";
    return "at \u201c" + text + "\u201d";
  }

  function legend(view, ctx) {
    var r = view.report;
    var out = el("aside", { class: "legend", id: "legend", "aria-labelledby": "legend-h" });
    out.appendChild(el("h2", { id: "legend-h" }, "Legend"));
    out.appendChild(el("p", { class: "hint" }, "Highlights show where the model found something; scores are its confidence from 0 to 1, not a verdict. Hover over or focus a highlight for details."));
    var counts = {
      technique: r.techniques.length, hedge: r.hedges.length, quantity: r.quantities.length,
      entity: r.entities.reduce(function (n, e) { return n + e.mentions.length; }, 0), claim: r.claims.length
    };
    var layers = el("fieldset", { class: "layers" }, el("legend", null, "Show"));
    var ul = el("ul");
    LAYERS.forEach(function (l) {
      ul.appendChild(el("li", null, el("label", null, [
        el("input", { type: "checkbox", id: "show-" + l[0], checked: true, "data-layer-switch": l[0] }), " ",
        el("span", { class: "sample sample-" + l[0] }, l[1]), " ",
        el("span", { class: "count" }, String(counts[l[0]]))
      ])));
    });
    layers.appendChild(ul);
    out.appendChild(layers);
    out.appendChild(el("h3", null, "Persuasion techniques"));
    if (!view.techniques.length) {
      out.appendChild(el("p", { class: "none" }, "No persuasion techniques found."));
    } else {
      var list = el("ul", { class: "tech-list" });
      view.techniques.forEach(function (t, k) {
        var li = el("li", null, el("label", null, [
          el("input", { type: "checkbox", id: "show-tq-" + k, checked: true, "data-tq-switch": k }), " ",
          el("span", { class: "swatch pal-" + t.color, "aria-hidden": "true" }),
          el("span", { class: "tname" }, t.label), " ",
          el("span", { class: "count" }, String(t.count))
        ]));
        if (t.definition) { li.appendChild(el("p", { class: "def" }, t.definition)); }
        if (t.example) { li.appendChild(el("p", { class: "def ex" }, "Example: \u201c" + t.example + "\u201d")); }
        li.appendChild(el("p", { class: "def" }, historyLink({ technique: t.name }, "Other articles using it")));
        list.appendChild(li);
      });
      out.appendChild(list);
    }
    return out;
  }

  function panel(key, title, body, count) {
    var h = el("h2", { id: "panel-" + key + "-h" }, title);
    if (count !== undefined) { h.appendChild(el("span", { class: "count" }, String(count))); }
    return el("section", { class: "panel", id: "panel-" + key, "aria-labelledby": "panel-" + key + "-h" }, [h, body]);
  }

  function table(head, rows, cls) {
    var thead = el("thead", null, el("tr", null, head.map(function (h) { return el("th", { scope: "col" }, h); })));
    return el("div", { class: "table-wrap" }, el("table", { class: cls || null }, [thead, el("tbody", null, rows)]));
  }

  function none(what) { return el("p", { class: "none" }, "No " + what + " found."); }

  function claimLink(i) { return el("a", { class: "claim-link", href: "#claim-" + i }, "C" + (i + 1)); }

  function bar(value) {
    var inner = el("span");
    inner.style.width = Math.round(value * 100) + "%";
    return [el("span", { class: "bar", "aria-hidden": "true" }, inner), " ", el("span", { class: "num" }, fixed(value))];
  }

  function flagsPanel(r) {
    if (!r.flags.length) { return panel("flags", "Things to check", none("flags"), 0); }
    var ul = el("ul", { class: "flags" });
    r.flags.forEach(function (f) {
      ul.appendChild(el("li", { class: "flag" }, [
        el("span", { class: "flag-code" }, historyLink({ flag: f.code }, flagName(f.code), "flag-link")),
        el("span", { class: "flag-msg" }, f.message),
        f.text ? el("q", { class: "flag-text" }, clip(f.text, 200)) : null
      ]));
    });
    return panel("flags", "Things to check", ul, r.flags.length);
  }

  function claimsPanel(r) {
    var byId = {};
    r.entities.forEach(function (e) { byId[e.id] = e; });
    var rows = r.claims.map(function (c, i) {
      var a = c.attribution;
      var kind = a ? a.kind : "unattributed";
      var source = a && a.source ? [historyLink({ source: a.source.text }, a.source.text, "src-link")] : [el("span", { class: "muted" }, "none")];
      if (a && a.cue) { source.push(" ", el("span", { class: "cue" }, "(" + a.cue.text + ")")); }
      var details = [];
      c.quantities.forEach(function (q) { if (r.quantities[q]) { details.push(el("span", { class: "chip chip-qty" }, r.quantities[q].text)); } });
      c.entities.forEach(function (id) { if (byId[id]) { details.push(el("span", { class: "chip chip-ent" }, byId[id].name)); } });
      return el("tr", { id: "claim-row-" + i }, [
        el("td", { class: "num" }, claimLink(i)),
        el("td", { class: "claim-text" }, [c.text, details.length ? el("div", { class: "chips" }, details) : null]),
        el("td", { class: "score" }, bar(c.checkworthiness)),
        el("td", null, el("span", { class: "badge attr attr-" + kind, title: ATTRIBUTION[kind] || null }, kind.replace(/_/g, " "))),
        el("td", null, source),
        el("td", null, a && a.hedge ? a.hedge.text : el("span", { class: "muted" }, "–"))
      ]);
    });
    var body = rows.length ? table(["#", "Claim", "Check-worthiness", "Attribution", "Source", "Hedge"], rows, "claims") : none("check-worthy claims");
    return panel("claims", "Claims", body, rows.length);
  }

  function sourcesPanel(r) {
    var rows = r.sources.map(function (s) {
      var where = s.where.map(function (w) { return el("span", { class: "badge where where-" + w }, w); });
      var claims = s.claims.length ? [] : [el("span", { class: "warn" }, "supports no claim")];
      // a source's claims are claim ids ("C1" is r.claims[0])
      s.claims.forEach(function (id, k) { if (k) { claims.push(" "); } claims.push(claimLink(parseInt(id.slice(1), 10) - 1)); });
      return el("tr", null, [
        el("td", { class: "src-name" }, historyLink({ source: s.name }, s.name)),
        el("td", null, s.kind),
        el("td", { class: "num" }, s.mentions.length + "×"),
        el("td", null, where),
        el("td", null, claims)
      ]);
    });
    var body = rows.length ? table(["Who is cited", "Kind", "Cited", "Where", "Claims supported"], rows, "sources") : none("sources");
    return panel("sources", "Sources", body, rows.length);
  }

  function hedgesPanel(r) {
    var rows = r.hedges.map(function (h, i) {
      var sentence = r.sentences[h.sentence] ? r.sentences[h.sentence].text : "";
      return el("tr", null, [
        el("td", null, el("a", { href: "#hedge-" + i }, h.text)),
        el("td", null, h.kind.replace(/_/g, " ")),
        el("td", { class: "context" }, clip(sentence, 220))
      ]);
    });
    var body = rows.length ? table(["Hedge", "Kind", "In the sentence"], rows, "hedges") : none("hedges");
    return panel("hedges", "Hedges", body, rows.length);
  }

  function consistencyPanel(r) {
    var c = r.consistency;
    if (!c) { return null; }
    var items = (c.headline ? [["Headline", c.headline]] : []).concat(
      c.captions.map(function (v) { return ["Caption", v]; }));
    var rows = items.map(function (item) {
      var v = item[1];
      var evidence = v.evidence.map(function (e) { return "\u201c" + clip(e.text, 160) + "\u201d"; }).join(" ");
      return el("tr", null, [
        el("td", null, item[0]),
        el("td", null, clip(v.text, 200)),
        el("td", null, el("span", { class: "badge stance stance-" + v.stance }, v.stance + " " + fixed(v.score))),
        el("td", null, evidence || "\u2013")
      ]);
    });
    return panel("consistency", "Headline and captions vs body", table(["Part", "Text", "Relation to body", "Evidence"], rows), rows.length);
  }

  function footer(r) {
    var dl = el("dl", { class: "versions" }, [el("dt", null, "Schema"), el("dd", null, r.schema_version)]);
    Object.keys(r.versions).sort().forEach(function (k) {
      dl.appendChild(el("dt", null, k));
      dl.appendChild(el("dd", null, r.versions[k]));
    });
    return el("footer", { class: "footer" }, [
      el("p", null, "Highlights mark what the models found; they are pointers for a human reader, not verdicts."), dl]);
  }

  function renderReport(view) {
    var r = view.report;
    var ctx = { report: r, tq: techniqueIndex(view), hidden: {} };
    var root = el("div", { class: "report live-report", id: "report" });
    root.appendChild(masthead(view, ctx));
    root.appendChild(el("div", { class: "layout" }, [articleBody(view, ctx), legend(view, ctx)]));
    [flagsPanel(r), claimsPanel(r), sourcesPanel(r), hedgesPanel(r), consistencyPanel(r)].forEach(function (p) {
      if (p) { root.appendChild(p); }
    });
    root.appendChild(footer(r));
    root.addEventListener("change", function (ev) {
      var box = ev.target;
      var layer = box.getAttribute("data-layer-switch");
      var k = box.getAttribute("data-tq-switch");
      if (layer) { root.classList.toggle("off-" + layer, !box.checked); }
      if (k !== null) {
        ctx.hidden[k] = !box.checked;
        var marks = root.querySelectorAll('mark[data-tq="' + k + '"]');
        for (var i = 0; i < marks.length; i++) { marks[i].classList.toggle("tq-off", !box.checked); }
      }
      hideTip();
    });
    return root;
  }

  // --- tooltips (as in the HTML report) ------------------------------------------------------

  var tip = $("tip");
  var tipFor = null;

  function checked(id) { var box = $(id); return !box || box.checked; }

  function shown(mark) {
    if (!checked("show-" + mark.getAttribute("data-layer"))) { return false; }
    var tq = mark.getAttribute("data-tq");
    return tq === null || checked("show-tq-" + tq);
  }

  function describe(mark) {
    if (!current) { return null; }
    var report = current.report;
    var layer = mark.getAttribute("data-layer");
    var i = parseInt(mark.getAttribute("data-i"), 10);
    var item = el("div", { class: "tip-item" });
    var head = el("div", { class: "tip-head" });
    var body = "";
    item.appendChild(head);
    if (layer === "technique" && report.techniques[i]) {
      var t = report.techniques[i];
      var info = techniqueIndex(current.view)[t.technique];
      head.appendChild(el("span", { class: "swatch pal-" + (info ? info.info.color : 0) }));
      head.appendChild(el("span", null, pretty(t.technique)));
      head.appendChild(el("span", { class: "tip-score" }, "score " + fixed(t.score)));
      body = t.definition || (info ? info.info.definition : "");
    } else if (layer === "hedge" && report.hedges[i]) {
      var h = report.hedges[i];
      head.appendChild(el("span", null, "Hedge: " + pretty(h.kind)));
      body = HEDGE[h.kind] || "";
    } else if (layer === "quantity" && report.quantities[i]) {
      var q = report.quantities[i];
      head.appendChild(el("span", null, "Number (" + q.kind + ")"));
      body = q.number + (q.unit ? " " + q.unit : "") + (q.value !== null && String(q.value) !== q.number ? " = " + q.value : "");
    } else if (layer === "entity" && report.entities[i]) {
      var e = report.entities[i];
      head.appendChild(el("span", null, e.name));
      head.appendChild(el("span", { class: "tip-score" }, e.label));
      body = plural(e.mentions.length, "mention", "mentions") + " in the article";
    } else if (layer === "claim" && report.claims[i]) {
      var c = report.claims[i];
      var a = c.attribution;
      head.appendChild(el("span", null, "Claim C" + (i + 1)));
      head.appendChild(el("span", { class: "tip-score" }, "check-worthiness " + fixed(c.checkworthiness)));
      body = a ? (ATTRIBUTION[a.kind] || pretty(a.kind)) : "No attribution found.";
      if (a && a.source) { body += " Source: " + a.source.text + "."; }
      if (a && a.hedge) { body += " Hedge: \u201c" + a.hedge.text + "\u201d."; }
    } else {
      return null;
    }
    if (body) { item.appendChild(el("div", { class: "tip-body" }, body)); }
    return item;
  }

  function showTip(mark, x, y) {
    var root = $("report");
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
    if (!items.length) { hideTip(); return; }
    clear(tip);
    items.forEach(function (it) { tip.appendChild(it); });
    tip.hidden = false;
    if (tipFor && tipFor !== mark) { tipFor.removeAttribute("aria-describedby"); }
    tipFor = mark;
    mark.setAttribute("aria-describedby", "tip");
    placeTip(mark, x, y);
  }

  function placeTip(mark, x, y) {
    var rects = mark.getClientRects();
    var rect = rects.length ? rects[0] : mark.getBoundingClientRect();
    if (typeof x === "number") {
      for (var k = 0; k < rects.length; k++) {
        if (y >= rects[k].top && y <= rects[k].bottom) { rect = rects[k]; break; }
      }
    }
    var width = tip.offsetWidth;
    var height = tip.offsetHeight;
    var viewW = document.documentElement.clientWidth;
    var left = Math.max(8, Math.min(rect.left, viewW - width - 8));
    var top = rect.bottom + 8;
    if (top + height > window.innerHeight && rect.top - height - 8 > 0) { top = rect.top - height - 8; }
    tip.style.left = (left + window.scrollX) + "px";
    tip.style.top = (top + window.scrollY) + "px";
  }

  function hideTip() {
    if (!tip) { return; }
    tip.hidden = true;
    if (tipFor) { tipFor.removeAttribute("aria-describedby"); tipFor = null; }
  }

  function markOf(target) { return target && target.closest ? target.closest("#report mark.hl") : null; }

  var reportView = $("view-report");
  reportView.addEventListener("mouseover", function (ev) { var m = markOf(ev.target); if (m) { showTip(m, ev.clientX, ev.clientY); } });
  reportView.addEventListener("mouseout", function (ev) { if (!markOf(ev.relatedTarget)) { hideTip(); } });
  reportView.addEventListener("focusin", function (ev) { var m = markOf(ev.target); if (m) { showTip(m); } else { hideTip(); } });
  reportView.addEventListener("focusout", function (ev) { if (!markOf(ev.relatedTarget)) { hideTip(); } });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { hideTip(); } });
  window.addEventListener("resize", hideTip);

  // --- history ----------------------------------------------------------------------------

  var SEARCH_FIELDS = ["q", "outlet", "source", "technique", "flag", "genre", "date_from", "date_to"];

  function searchParams() {
    var qs = new URLSearchParams(location.search);
    var out = {};
    SEARCH_FIELDS.forEach(function (f) { out[f] = qs.get(f) || ""; });
    out.offset = Math.max(0, parseInt(qs.get("offset") || "0", 10) || 0);
    return out;
  }

  function fillSearchForm(p) {
    var form = $("search-form");
    ensureOption($("s-technique"), p.technique, pretty);
    ensureOption($("s-flag"), p.flag, flagName);
    SEARCH_FIELDS.forEach(function (f) { form.elements[f].value = p[f]; });
  }

  function runSearch(focus) {
    var p = searchParams();
    fillSearchForm(p);
    document.title = "History · unspin";
    var list = $("results");
    status("history-status", "Searching…", "busy");
    var params = {};
    SEARCH_FIELDS.forEach(function (f) { params[f] = p[f]; });
    params.limit = PAGE_SIZE;
    params.offset = p.offset;
    api("GET", "/api/reports" + query(params)).then(function (page) {
      clear(list);
      var filtered = SEARCH_FIELDS.some(function (f) { return p[f]; });
      if (!page.total) {
        status("history-status", filtered ? "No stored report matches." : "Nothing stored yet: analyse an article first.");
      } else {
        var last = Math.min(page.offset + page.items.length, page.total);
        status("history-status", plural(page.total, "report", "reports") + (filtered ? " match" + (page.total === 1 ? "es" : "") : " stored") +
               (page.total > page.items.length ? "; showing " + (page.offset + 1) + "–" + last : "") + ".");
      }
      page.items.forEach(function (item) { list.appendChild(resultItem(item)); });
      $("page-info").textContent = page.total ? "Page " + (Math.floor(page.offset / PAGE_SIZE) + 1) + " of " + Math.ceil(page.total / PAGE_SIZE) : "";
      $("page-prev").disabled = page.offset <= 0;
      $("page-next").disabled = page.offset + page.items.length >= page.total;
      if (focus) { $("history-h").focus(); }
    }, function (err) {
      clear(list);
      status("history-status", errorText(err), "error");
    });
  }

  function resultItem(item) {
    var li = el("li", { class: "result" });
    li.appendChild(el("h2", { class: "result-title" },
      el("a", { href: "/reports/" + item.id, "data-link": true }, item.title || "Untitled article")));
    var meta = el("p", { class: "result-meta" });
    var bits = [];
    if (item.outlet) { bits.push(historyLink({ outlet: item.outlet }, item.outlet, "outlet")); }
    bits.push(el("time", { datetime: item.day }, item.date || item.day));
    if (item.genre) { bits.push(el("span", null, pretty(item.genre))); }
    bits.push(el("span", null, plural(item.words, "word", "words")));
    bits.push(el("span", null, item.unattributed_claims + " of " + plural(item.claims, "claim", "claims") + " without a source"));
    bits.push(el("span", { class: "muted" }, "#" + item.id));
    bits.forEach(function (b, k) {
      if (k) { meta.appendChild(el("span", { class: "sep", "aria-hidden": "true" }, "·")); }
      meta.appendChild(b);
    });
    li.appendChild(meta);
    if (item.flags.length || item.techniques.length) {
      var chips = el("p", { class: "chips" });
      item.flags.forEach(function (f) {
        chips.appendChild(historyLink({ flag: f.name }, flagName(f.name) + (f.count > 1 ? " ×" + f.count : ""), "chip chip-flag"));
      });
      item.techniques.forEach(function (t) {
        chips.appendChild(historyLink({ technique: t.name }, pretty(t.name) + (t.count > 1 ? " ×" + t.count : ""), "chip chip-tech"));
      });
      li.appendChild(chips);
    }
    return li;
  }

  function submitSearch(ev) {
    ev.preventDefault();
    var form = $("search-form");
    var params = {};
    SEARCH_FIELDS.forEach(function (f) { params[f] = form.elements[f].value; });
    go("/history" + query(params));
  }

  function page(delta) {
    var p = searchParams();
    var params = {};
    SEARCH_FIELDS.forEach(function (f) { params[f] = p[f]; });
    params.offset = Math.max(0, p.offset + delta * PAGE_SIZE) || null;
    go("/history" + query(params));
  }

  // --- compare ------------------------------------------------------------------------------

  var compareMax = 20;
  var entrySerial = 0;
  var ATTRIBUTION_LABEL = {
    direct_quote: "direct quote", attributed: "attributed", anonymous: "unnamed source",
    hedged: "hedged", unattributed: "no source", not_a_claim: "not judged a claim"
  };

  /* One article of the compare form: text or URL, outlet and date. */
  function compareEntry() {
    var n = ++entrySerial;
    var id = function (what) { return "cmp-" + what + "-" + n; };
    var li = el("li", { class: "compare-entry", id: id("entry") });
    var box = el("fieldset", { class: "entry" });
    box.appendChild(el("legend", { class: "entry-legend" }, "Article"));
    var modes = el("div", { class: "entry-modes" });
    [["text", "Pasted text"], ["url", "A URL"]].forEach(function (m) {
      modes.appendChild(el("label", null, [
        el("input", { type: "radio", name: id("mode"), value: m[0], checked: m[0] === "text", "data-entry-mode": m[0] }),
        " " + m[1]]));
    });
    var remove = el("button", { type: "button", class: "entry-remove", "data-remove": true }, "Remove");
    modes.appendChild(remove);
    box.appendChild(modes);
    box.appendChild(el("div", { class: "field", "data-entry-field": "text" }, [
      el("label", { for: id("text") }, "Article text"),
      el("textarea", { id: id("text"), rows: 6, spellcheck: "false",
                       placeholder: "Title on the first line, then the paragraphs, separated by blank lines" })]));
    box.appendChild(el("div", { class: "field", "data-entry-field": "url", hidden: true }, [
      el("label", { for: id("url") }, "Address of the article"),
      el("input", { id: id("url"), type: "url", inputmode: "url", autocomplete: "off",
                    placeholder: "https://www.example.com/news/article" })]));
    box.appendChild(el("div", { class: "row" }, [
      el("div", { class: "field" }, [
        el("label", { for: id("outlet") }, [ "Outlet ", el("span", { class: "opt" }, "(optional)")]),
        el("input", { id: id("outlet"), list: "outlet-list", autocomplete: "off", maxlength: 200 })]),
      el("div", { class: "field" }, [
        el("label", { for: id("date") }, ["Date ", el("span", { class: "opt" }, "(optional)")]),
        el("input", { id: id("date"), type: "date" })])
    ]));
    li.appendChild(box);
    box.addEventListener("change", function (ev) {
      var m = ev.target.getAttribute("data-entry-mode");
      if (!m) { return; }
      var fields = box.querySelectorAll("[data-entry-field]");
      for (var i = 0; i < fields.length; i++) { fields[i].hidden = fields[i].getAttribute("data-entry-field") !== m; }
    });
    remove.addEventListener("click", function () {
      li.remove();
      numberEntries();
    });
    return li;
  }

  function entries() { return document.querySelectorAll("#compare-entries .compare-entry"); }

  /* Legends "Article 1", "Article 2", ...; Remove only while more than two are left; Add
     only below the server's limit. */
  function numberEntries() {
    var list = entries();
    for (var i = 0; i < list.length; i++) {
      list[i].querySelector(".entry-legend").textContent = "Article " + (i + 1);
      list[i].querySelector("[data-remove]").hidden = list.length <= 2;
    }
    $("compare-add").disabled = list.length >= compareMax;
  }

  function addEntry(focus) {
    if (entries().length >= compareMax) { return; }
    var li = compareEntry();
    $("compare-entries").appendChild(li);
    numberEntries();
    if (focus) { li.querySelector("textarea").focus(); }
  }

  /* {articles: [...]} from the form, or {error, field} for the first entry to fix. */
  function compareBody() {
    var list = entries();
    var articles = [];
    for (var i = 0; i < list.length; i++) {
      var li = list[i];
      var checkedMode = li.querySelector("input[data-entry-mode]:checked");
      var m = checkedMode ? checkedMode.value : "text";
      var name = "Article " + (i + 1);
      var article = {};
      if (m === "url") {
        var url = li.querySelector("input[type=url]");
        if (!/^https?:\/\//i.test(url.value.trim())) {
          return { error: name + ": give an address that starts with http:// or https://.", field: url };
        }
        article.url = url.value.trim();
      } else {
        var text = li.querySelector("textarea");
        if (!text.value.trim()) { return { error: name + " is empty: paste its text, or remove it.", field: text }; }
        article.text = text.value;
      }
      var outlet = li.querySelector("input[list]").value.trim();
      var date = li.querySelector("input[type=date]").value;
      if (outlet) { article.outlet = outlet; }
      if (date) { article.date = date; }
      articles.push(article);
    }
    if (articles.length < 2) { return { error: "Give at least two articles to compare.", field: null }; }
    return { articles: articles };
  }

  function submitCompare(ev) {
    ev.preventDefault();
    var got = compareBody();
    if (got.error) {
      status("compare-status", got.error, "error");
      if (got.field) { got.field.focus(); }
      return;
    }
    var button = $("compare-button");
    var box = $("compare-results");
    button.disabled = true;
    clear(box);
    status("compare-status", "Reading and analysing " + plural(got.articles.length, "article", "articles") + "…", "busy");
    api("POST", "/api/compare", { articles: got.articles }).then(function (comparison) {
      box.appendChild(renderComparison(comparison));
      status("compare-status", compareSummary(comparison) + ".", "ok");
      loadFacets();
      var first = box.querySelector("h2");
      if (first) { first.focus(); }
    }, function (err) {
      status("compare-status", errorText(err), "error");
    }).then(function () { button.disabled = false; });
  }

  function compareSummary(c) {
    var n = c.stories.reduce(function (k, s) { return k + s.articles.length; }, 0) + c.unrelated.length + c.errors.length;
    return plural(n, "article", "articles") + ": " + plural(c.stories.length, "story", "stories") + ", " +
      c.unrelated.length + " unrelated" + (c.errors.length ? ", " + c.errors.length + " not analysed" : "");
  }

  function renderComparison(c) {
    var root = el("div", { class: "comparison", id: "comparison" });
    if (!c.stories.length) {
      root.appendChild(el("p", { class: "notice" }, "No two of these articles tell the same story."));
    }
    c.stories.forEach(function (s) { root.appendChild(storySection(s)); });
    if (c.unrelated.length) {
      var ul = el("ul", { class: "unrelated-list" });
      c.unrelated.forEach(function (a) {
        ul.appendChild(el("li", null, [el("b", null, a.outlet || a.input), a.title ? " " + a.title : null,
          el("span", { class: "muted" }, " " + [a.date, a.outlet ? a.input : null].filter(Boolean).join(" · "))]));
      });
      root.appendChild(el("section", { class: "panel", id: "compare-unrelated", "aria-labelledby": "compare-unrelated-h" }, [
        el("h2", { id: "compare-unrelated-h", tabindex: "-1" }, ["Unrelated", el("span", { class: "count" }, String(c.unrelated.length))]),
        el("p", { class: "hint" }, "No other article tells the same story."), ul]));
    }
    if (c.errors.length) {
      var errs = el("ul", { class: "compare-errors" });
      c.errors.forEach(function (e) { errs.appendChild(el("li", null, [el("b", null, e.input), ": " + e.error])); });
      root.appendChild(el("section", { class: "panel", id: "compare-errors", "aria-labelledby": "compare-errors-h" }, [
        el("h2", { id: "compare-errors-h", tabindex: "-1" }, ["Not analysed", el("span", { class: "count" }, String(c.errors.length))]),
        errs]));
    }
    var g = c.grouping;
    root.appendChild(el("p", { class: "hint" }, "Articles are one story when their words and names overlap enough (score " +
      g.threshold + ", or " + g.undated_threshold + " when a date is unknown) and their dates are at most " + g.window_days +
      " days apart; encoder similarity " + (g.embeddings ? "counted a little." : "was not available.")));
    return root;
  }

  function articleHead(a) {
    return el("th", { scope: "col", class: "article-col" }, [
      el("span", { class: "col-outlet" }, a.outlet || a.input),
      a.title ? el("span", { class: "col-title" }, a.title) : null,
      el("span", { class: "col-meta" }, [a.date, a.outlet ? a.input : null].filter(Boolean).join(" · "))
    ]);
  }

  /* A table with a column per article of the story; rows are [label, cells...] trs. */
  function storyTable(articles, caption, rows, cls) {
    var head = el("tr", null, [el("td", { class: "corner" })].concat(articles.map(articleHead)));
    return el("div", { class: "table-wrap" }, el("table", { class: "compare-table" + (cls ? " " + cls : "") }, [
      el("caption", { class: "visually-hidden" }, caption), el("thead", null, head), el("tbody", null, rows)]));
  }

  function rowHead(content) { return el("th", { scope: "row", class: "row-head" }, content); }

  function emptyCells(n, text) {
    var out = [];
    for (var i = 0; i < n; i++) { out.push(el("td", { class: "missing" }, text)); }
    return out;
  }

  /* The attribution of a figure or claim: its kind, source and hedge ("differ": the
     articles' attributions of this figure do not agree). */
  function attributionLine(a, differ) {
    var kind = a.kind;
    var parts = [el("span", { class: "badge attr attr-" + kind, title: ATTRIBUTION[kind] || null }, ATTRIBUTION_LABEL[kind] || pretty(kind))];
    if (a.source) { parts.push(" ", el("span", { class: "fig-source" }, a.source.text)); }
    if (a.hedge) { parts.push(" ", el("span", { class: "cue" }, "(hedged: " + a.hedge.text + ")")); }
    return el("div", { class: "fig-attr" + (differ ? " attr-differ" : "") }, parts);
  }

  function claimRow(c, order, n) {
    var cells = emptyCells(n, "not given");
    var counts = {};
    var top = 0;
    c.figures.forEach(function (f) { counts[f.value] = (counts[f.value] || 0) + 1; top = Math.max(top, counts[f.value]); });
    var majority = top * 2 > c.figures.length;
    c.figures.forEach(function (f) {
      var k = order[f.input];
      if (k === undefined) { return; }
      var cls = "figure";
      if (!c.agree) { cls += " fig-differ" + (majority && counts[f.value] !== top ? " fig-odd" : ""); }
      cells[k] = el("td", { class: cls }, [
        el("span", { class: "fig-num" }, f.number),
        el("span", { class: "fig-qty" }, f.quantity.text),
        el("q", { class: "fig-sentence" }, clip(f.sentence.text, 260)),
        attributionLine(f.attribution, !c.attributions_agree)
      ]);
    });
    var verdict = !c.agree ? ["differ", "Figures differ"] : (!c.attributions_agree ? ["src-differ", "Sources differ"] :
      ["agree", c.agreement === "rounded" ? "Agree, rounded" : "Agree"]);
    var label = [el("span", { class: "claim-about" }, c.about)];
    if (c.context.length) { label.push(el("span", { class: "claim-context" }, c.context.join(", "))); }
    label.push(el("span", { class: "badge verdict verdict-" + verdict[0] }, verdict[1]));
    if (c.disagreement) {
      label.push(el("details", { class: "claim-note" }, [el("summary", null, "What differs"),
        c.disagreement.split(" | ").map(function (part) { return el("span", { class: "claim-note-part" }, part); })]));
    }
    return el("tr", { class: "claim-row " + verdict[0] }, [rowHead(label)].concat(cells));
  }

  function countsText(counts) {
    var keys = Object.keys(counts);
    if (!keys.length) { return "none"; }
    return keys.map(function (k) { return (ATTRIBUTION_LABEL[k] || k.replace(/_/g, " ")) + " " + counts[k]; }).join(", ");
  }

  function sourceRows(story, order, n) {
    var arts = story.articles;
    var overview = arts.map(function (a) {
      return el("td", null, [
        el("div", null, plural(a.words, "word", "words") + ", " + plural(a.claims, "check-worthy claim", "check-worthy claims")),
        el("div", { class: "muted" }, "Claims: " + countsText(a.attribution)),
        el("div", { class: "muted" }, "Sources: " + countsText(a.source_kinds))
      ]);
    });
    var rows = [el("tr", { class: "overview" }, [rowHead("Overview")].concat(overview))];
    story.sources.forEach(function (s) {
      var cells = emptyCells(n, "–");
      s.cited_by.forEach(function (cite) {
        var k = order[cite.input];
        if (k === undefined) { return; }
        cells[k] = el("td", { class: "cited" }, [
          el("span", { class: "src-name" }, cite.name), " ", el("span", { class: "chip" }, cite.kind),
          el("div", { class: "muted" }, plural(cite.mentions, "mention", "mentions") + ", " + plural(cite.claims, "claim", "claims") +
            (cite.where.length ? ", in the " + cite.where.join(", ") : ""))
        ]);
      });
      var label = [el("span", { class: "src-name" }, s.name), " ", el("span", { class: "chip" }, s.kind)];
      if (s.only_here) { label.push(" ", el("span", { class: "badge only-tag" }, "only here")); }
      rows.push(el("tr", { class: s.only_here ? "source-row only-here" : "source-row" }, [rowHead(label)].concat(cells)));
    });
    return rows;
  }

  function onlyHereRow(story) {
    var cells = story.articles.map(function (a) {
      var items = story.only_here.filter(function (o) { return o.input === a.input; });
      if (!items.length) { return el("td", { class: "missing" }, "none"); }
      return el("td", null, items.map(function (o) {
        return el("div", { class: "only-claim" }, [
          el("q", null, clip(o.sentence.text, 300)),
          o.quantities.length ? el("div", { class: "chips" }, o.quantities.map(function (q) { return el("span", { class: "chip chip-qty" }, q.text); })) : null,
          attributionLine(o.attribution)
        ]);
      }));
    });
    return [el("tr", { class: "only-row" }, [rowHead("Claims no other article makes")].concat(cells))];
  }

  function languageRows(story) {
    var langs = {};
    story.language.forEach(function (l) { langs[l.input] = l; });
    var arts = story.articles;
    function cell(a, draw) {
      var l = langs[a.input];
      return l ? draw(l) : el("td", { class: "missing" }, "–");
    }
    var rates = arts.map(function (a) {
      return cell(a, function (l) {
        return el("td", null, [
          el("div", null, [el("b", null, String(l.techniques_per_100_words)), " techniques and ",
                           el("b", null, String(l.loaded_per_100_words)), " loaded phrases per 100 words"]),
          l.top_techniques.length ? el("div", { class: "chips" }, l.top_techniques.map(function (t) {
            return el("span", { class: "chip chip-tech" }, pretty(t.technique) + " ×" + t.count);
          })) : el("div", { class: "muted" }, "No technique found.")
        ]);
      });
    });
    var wording = arts.map(function (a) {
      return cell(a, function (l) {
        if (!l.loaded_wording.length) { return el("td", { class: "missing" }, "none found"); }
        return el("td", null, el("div", { class: "chips" }, l.loaded_wording.slice(0, 8).map(function (w) {
          return el("span", { class: "loaded-word", title: "score " + fixed(w.score) }, w.text);
        })));
      });
    });
    var targets = arts.map(function (a) {
      return cell(a, function (l) {
        if (!l.targets.length) { return el("td", { class: "missing" }, "none found"); }
        return el("td", null, el("ul", { class: "targets" }, l.targets.map(function (t) {
          return el("li", null, [el("b", null, t.name), " ", el("span", { class: "chip" }, t.label), " ×" + t.count + ": ",
            t.wording.slice(0, 3).map(function (w, k) { return [k ? ", " : "", el("span", { class: "loaded-word" }, w.text)]; })]);
        })));
      });
    });
    return [
      el("tr", null, [rowHead("Rates and techniques")].concat(rates)),
      el("tr", null, [rowHead("Loaded wording")].concat(wording)),
      el("tr", null, [rowHead("Aimed at")].concat(targets))
    ];
  }

  function storySection(story) {
    var arts = story.articles;
    var n = arts.length;
    var order = {};
    arts.forEach(function (a, k) { order[a.input] = k; });
    var titled = arts.filter(function (a) { return a.title; })[0];
    var hid = "story-" + story.id + "-h";
    var sec = el("section", { class: "panel story", id: "story-" + story.id, "aria-labelledby": hid });
    sec.appendChild(el("h2", { id: hid, tabindex: "-1" }, ["Story " + story.id + ": " + (titled ? titled.title : "untitled"),
      el("span", { class: "count" }, plural(n, "article", "articles"))]));
    var differ = story.claims.filter(function (c) { return !c.agree; }).length;
    var srcDiffer = story.claims.filter(function (c) { return c.agree && !c.attributions_agree; }).length;
    sec.appendChild(el("p", { class: "hint" }, plural(story.claims.length, "figure", "figures") + " given by two or more articles" +
      (story.claims.length ? ": " + differ + " differ, " + srcDiffer + " agree but rest on different sources" : "") + "; " +
      plural(story.only_here.length, "claim", "claims") + " told only here."));
    sec.appendChild(el("h3", null, "Figures side by side"));
    if (story.claims.length) {
      sec.appendChild(storyTable(arts, "Figures side by side", story.claims.map(function (c) { return claimRow(c, order, n); }), "figures"));
    } else {
      sec.appendChild(el("p", { class: "none" }, "No figure is given by two or more articles."));
    }
    sec.appendChild(el("h3", null, "Told only here"));
    sec.appendChild(storyTable(arts, "Told only here", onlyHereRow(story), "only"));
    sec.appendChild(el("h3", null, "Who each outlet relies on"));
    sec.appendChild(storyTable(arts, "Sources", sourceRows(story, order, n), "sources"));
    sec.appendChild(el("h3", null, "Language"));
    sec.appendChild(storyTable(arts, "Language", languageRows(story), "language"));
    if (story.links.length) {
      var ul = el("ul", { class: "links" });
      story.links.forEach(function (lk) {
        ul.appendChild(el("li", null, lk.a + " and " + lk.b + ": score " + lk.score.toFixed(3) + " (words " + fixed(lk.words) +
          ", names " + fixed(lk.names) + ", encoder " + fixed(lk.embedding) + ")"));
      });
      sec.appendChild(el("details", { class: "numbers" }, [el("summary", null, "Why these articles are one story"), ul]));
    }
    return sec;
  }

  // --- trends -------------------------------------------------------------------------------

  var SERIES = [
    { key: "flags_per_100_words", count: "flags", label: "Flags", color: "#b45309", dash: "", shape: "circle" },
    { key: "unattributed_claims_per_100_words", count: "unattributed_claims", label: "Claims with no source", color: "#b91c1c", dash: "7 4", shape: "square" },
    { key: "loaded_wording_per_100_words", count: "loaded_wording", label: "Loaded wording", color: "#1d4ed8", dash: "2 3", shape: "diamond" }
  ];
  var chartCount = 0;

  function niceCeil(x) {
    if (x <= 0) { return 1; }
    var p = Math.pow(10, Math.floor(Math.log(x) / Math.LN10));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) { if (steps[i] * p >= x) { return steps[i] * p; } }
    return 10 * p;
  }

  function shortDate(iso) {
    var d = new Date(iso + "T00:00:00Z");
    if (isNaN(d.getTime())) { return iso; }
    return d.toLocaleDateString(undefined, { day: "numeric", month: "short", timeZone: "UTC" });
  }

  function marker(shape, x, y, color) {
    if (shape === "square") { return svg("rect", { x: x - 3.5, y: y - 3.5, width: 7, height: 7, fill: color }); }
    if (shape === "diamond") { return svg("polygon", { points: [x, y - 4.5, x + 4.5, y, x, y + 4.5, x - 4.5, y].join(" "), fill: color }); }
    return svg("circle", { cx: x, cy: y, r: 3.8, fill: color });
  }

  function chart(trend) {
    var id = "chart-" + (++chartCount);
    var weeks = trend.weeks;
    var W = 640, H = 230, L = 46, R = 14, T = 12, B = 34;
    var pw = W - L - R, ph = H - T - B;
    var max = 0;
    weeks.forEach(function (w) { SERIES.forEach(function (s) { max = Math.max(max, w[s.key]); }); });
    var top = niceCeil(max);
    var n = weeks.length;
    function x(i) { return L + (n === 1 ? pw / 2 : i * pw / (n - 1)); }
    function y(v) { return T + ph - (v / top) * ph; }
    var name = trend.outlet || "No outlet given";
    var root = svg("svg", { class: "chart", viewBox: "0 0 " + W + " " + H, role: "img", "aria-labelledby": id + "-t " + id + "-d", preserveAspectRatio: "xMidYMid meet" });
    root.appendChild(svg("title", { id: id + "-t" }, name + ": per 100 words, by week"));
    var last = weeks[n - 1];
    root.appendChild(svg("desc", { id: id + "-d" }, n + " week" + (n === 1 ? "" : "s") + " from " + weeks[0].week + " to " + last.week +
      ". Latest week: " + SERIES.map(function (s) { return s.label.toLowerCase() + " " + last[s.key].toFixed(2); }).join(", ") + " per 100 words."));
    for (var g = 0; g <= 4; g++) {
      var v = top * g / 4;
      root.appendChild(svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: g ? "grid" : "axis" }));
      root.appendChild(svg("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end", class: "tick" }, v % 1 ? v.toFixed(2).replace(/0$/, "") : String(v)));
    }
    var every = Math.max(1, Math.ceil(n / 8));
    weeks.forEach(function (w, i) {
      if (i % every === 0 || i === n - 1) {
        root.appendChild(svg("text", { x: x(i), y: H - B + 18, "text-anchor": n === 1 ? "middle" : (i === 0 ? "start" : (i === n - 1 ? "end" : "middle")), class: "tick" }, shortDate(w.week)));
      }
    });
    SERIES.forEach(function (s) {
      if (n > 1) {
        root.appendChild(svg("polyline", { points: weeks.map(function (w, i) { return x(i) + "," + y(w[s.key]); }).join(" "),
          fill: "none", stroke: s.color, "stroke-width": 2, "stroke-dasharray": s.dash || "none", "stroke-linejoin": "round" }));
      }
      weeks.forEach(function (w, i) {
        var m = marker(s.shape, x(i), y(w[s.key]), s.color);
        m.appendChild(svg("title", {}, "Week of " + w.week + ": " + s.label.toLowerCase() + " " + w[s.key].toFixed(2) +
          " per 100 words (" + w[s.count] + " in " + w.words + " words, " + plural(w.reports, "report", "reports") + ")"));
        root.appendChild(m);
      });
    });
    return root;
  }

  function chartLegend() {
    var ul = el("ul", { class: "chart-legend" });
    SERIES.forEach(function (s) {
      var key = svg("svg", { width: 30, height: 12, viewBox: "0 0 30 12", "aria-hidden": "true" });
      key.appendChild(svg("line", { x1: 1, x2: 29, y1: 6, y2: 6, stroke: s.color, "stroke-width": 2, "stroke-dasharray": s.dash || "none" }));
      key.appendChild(marker(s.shape, 15, 6, s.color));
      ul.appendChild(el("li", null, [key, " " + s.label + " per 100 words"]));
    });
    return ul;
  }

  function trendTable(trend) {
    var rows = trend.weeks.map(function (w) {
      return el("tr", null, [
        el("td", null, w.week), el("td", { class: "num" }, String(w.reports)), el("td", { class: "num" }, String(w.words)),
        el("td", { class: "num" }, w.flags + " (" + w.flags_per_100_words.toFixed(2) + ")"),
        el("td", { class: "num" }, w.unattributed_claims + " (" + w.unattributed_claims_per_100_words.toFixed(2) + ")"),
        el("td", { class: "num" }, w.loaded_wording + " (" + w.loaded_wording_per_100_words.toFixed(2) + ")")
      ]);
    });
    return el("details", { class: "numbers" }, [el("summary", null, "The numbers"),
      table(["Week of", "Reports", "Words", "Flags (per 100 words)", "No source (per 100)", "Loaded (per 100)"], rows)]);
  }

  function runTrends(focus) {
    var qs = new URLSearchParams(location.search);
    var form = $("trends-form");
    ["outlet", "date_from", "date_to"].forEach(function (f) { form.elements[f].value = qs.get(f) || ""; });
    document.title = "Trends · unspin";
    var box = $("charts");
    status("trends-status", "Loading…", "busy");
    api("GET", "/api/trends" + query({ outlet: qs.get("outlet"), date_from: qs.get("date_from"), date_to: qs.get("date_to") })).then(function (trends) {
      clear(box);
      chartCount = 0;
      status("trends-status", trends.length ? plural(trends.length, "outlet", "outlets") + "." : "No stored reports to chart yet.");
      if (trends.length) { box.appendChild(chartLegend()); }
      trends.forEach(function (t) {
        var title = t.outlet ? historyLink({ outlet: t.outlet }, t.outlet) : "No outlet given";
        var h = el("h2", null, [title, el("span", { class: "count" }, plural(t.reports, "report", "reports"))]);
        box.appendChild(el("section", { class: "panel trend" }, [h, el("div", { class: "chart-wrap" }, chart(t)), trendTable(t)]));
      });
      if (focus) { $("trends-h").focus(); }
    }, function (err) {
      clear(box);
      status("trends-status", errorText(err), "error");
    });
  }

  function submitTrends(ev) {
    ev.preventDefault();
    var form = $("trends-form");
    go("/trends" + query({ outlet: form.elements.outlet.value, date_from: form.elements.date_from.value, date_to: form.elements.date_to.value }));
  }

  // --- start --------------------------------------------------------------------------------

  function start() {
    ["analyse-h", "compare-h", "history-h", "trends-h"].forEach(function (id) { $(id).setAttribute("tabindex", "-1"); });
    var radios = document.querySelectorAll("input[name=mode]");
    for (var i = 0; i < radios.length; i++) { radios[i].addEventListener("change", showMode); }
    showMode();
    $("analyse-form").addEventListener("submit", analyse);
    $("search-form").addEventListener("submit", submitSearch);
    $("search-clear").addEventListener("click", function () { go("/history"); });
    $("page-prev").addEventListener("click", function () { page(-1); });
    $("page-next").addEventListener("click", function () { page(1); });
    $("trends-form").addEventListener("submit", submitTrends);
    $("compare-form").addEventListener("submit", submitCompare);
    $("compare-add").addEventListener("click", function () { addEntry(true); });
    addEntry(false);
    addEntry(false);
    $("token-button").addEventListener("click", function () {
      askToken().then(function (value) { if (value) { setToken(value); loadFacets(); } });
    });
    fetch("/api/limits", { headers: { Accept: "application/json" } }).then(function (r) { return r.json(); }).then(function (limits) {
      auth = !!limits.auth;
      if (limits.max_compare_articles) { compareMax = limits.max_compare_articles; numberEntries(); }
      $("token-button").hidden = !auth;
      if (!auth || token) { loadFacets(); }
    }, function () { /* the views report their own errors */ });
    route(false);
  }

  start();
})();
