/* Draws the OpenAPI document (/openapi.json) as a readable reference. Text goes in with
   textContent only. */
(function () {
  "use strict";

  function el(tag, cls, content) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (content !== undefined && content !== null) {
      (Array.isArray(content) ? content : [content]).forEach(function (c) {
        if (c === null || c === undefined) { return; }
        node.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
      });
    }
    return node;
  }

  function refName(ref) { return String(ref).split("/").pop(); }

  function typeOf(schema) {
    if (!schema) { return "any"; }
    if (schema.$ref) { return refName(schema.$ref); }
    if (schema.anyOf) { return schema.anyOf.map(typeOf).join(" | "); }
    if (schema.oneOf) { return schema.oneOf.map(typeOf).join(" | "); }
    if (schema.enum) { return schema.enum.map(function (v) { return JSON.stringify(v); }).join(" | "); }
    if (schema.const !== undefined) { return JSON.stringify(schema.const); }
    if (schema.type === "array") { return "list[" + typeOf(schema.items) + "]"; }
    if (schema.type === "object" && schema.additionalProperties) { return "dict[str, " + typeOf(schema.additionalProperties) + "]"; }
    return (schema.type || "object") + (schema.format ? " (" + schema.format + ")" : "");
  }

  function table(head, rows) {
    var t = el("table");
    var tr = el("tr", null, head.map(function (h) { var th = el("th", null, h); th.setAttribute("scope", "col"); return th; }));
    t.appendChild(el("thead", null, tr));
    t.appendChild(el("tbody", null, rows));
    return el("div", "table-wrap", t);
  }

  function endpoint(path, method, op) {
    var box = el("section", "endpoint");
    box.appendChild(el("h3", null, [el("span", "method method-" + method, method.toUpperCase()), path]));
    if (op.summary) { box.appendChild(el("p", "summary-line", op.summary)); }
    if (op.description && op.description !== op.summary) { box.appendChild(el("p", null, op.description)); }
    var params = op.parameters || [];
    if (params.length) {
      box.appendChild(table(["Parameter", "In", "Type", "About"], params.map(function (p) {
        return el("tr", null, [el("td", null, el("code", null, p.name + (p.required ? "" : "?"))), el("td", null, p.in),
          el("td", null, typeOf(p.schema)), el("td", null, p.description || (p.schema && p.schema.description) || "")]);
      })));
    }
    if (op.requestBody && op.requestBody.content) {
      Object.keys(op.requestBody.content).forEach(function (type) {
        box.appendChild(el("p", null, ["Body (", el("code", null, type), "): ", typeOf(op.requestBody.content[type].schema)]));
      });
    }
    var responses = el("ul", "responses");
    Object.keys(op.responses || {}).forEach(function (code) {
      var r = op.responses[code];
      var content = r.content && r.content["application/json"];
      responses.appendChild(el("li", null, [el("b", null, code), " " + (r.description || ""), content && content.schema ? " → " + typeOf(content.schema) : ""]));
    });
    box.appendChild(responses);
    return box;
  }

  function model(name, schema) {
    var details = el("details", "model");
    details.id = "model-" + name;
    details.appendChild(el("summary", null, name));
    if (schema.description) { details.appendChild(el("p", null, schema.description)); }
    var props = schema.properties || {};
    var required = schema.required || [];
    var rows = Object.keys(props).map(function (key) {
      var p = props[key];
      return el("tr", null, [el("td", null, el("code", null, key + (required.indexOf(key) >= 0 ? "" : "?"))),
        el("td", null, typeOf(p)), el("td", null, p.description || "")]);
    });
    if (rows.length) { details.appendChild(table(["Field", "Type", "About"], rows)); }
    return details;
  }

  fetch("/openapi.json").then(function (r) { return r.json(); }).then(function (doc) {
    document.getElementById("docs-title").textContent = (doc.info.title || "API") + " " + (doc.info.version || "");
    document.getElementById("docs-description").textContent = doc.info.description || "";
    var box = document.getElementById("endpoints");
    Object.keys(doc.paths).forEach(function (path) {
      Object.keys(doc.paths[path]).forEach(function (method) { box.appendChild(endpoint(path, method, doc.paths[path][method])); });
    });
    var models = document.getElementById("models");
    var schemas = (doc.components && doc.components.schemas) || {};
    Object.keys(schemas).sort().forEach(function (name) { models.appendChild(model(name, schemas[name])); });
  }, function () {
    document.getElementById("docs-status").textContent = "Could not load /openapi.json.";
  });
})();
