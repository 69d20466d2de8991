/* lineage view: draws the embedded graph data with vis-network; every text goes in as text. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("lineage-data").textContent);
  var styles = data.styles;
  var SEVERITY_MARK = { error: "\u2716", warning: "\u25B2", info: "\u25CF" };
  var FONT = "DejaVu Sans, Helvetica, Arial, sans-serif";

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function propValue(n, prop) {
    for (var i = 0; i < n.props.length; i++) if (n.props[i][0] === prop) return n.props[i][1];
    return null;
  }

  function plural(count, word) {
    return count + " " + (count === 1 || word === "info" ? word : word + "s");
  }

  function visNode(n) {
    var k = styles.kinds[n.kind] || { shape: "dot", color: "#999999", size: 10 };
    var sev = n.severity ? styles.severities[n.severity] : null;
    var border = sev ? sev.color : n.highlight ? "#000000" : "#555555";
    return {
      id: n.id,
      label: n.label || undefined,
      x: n.x,
      y: n.y,
      shape: k.shape,
      size: k.size,
      color: {
        background: k.color,
        border: border,
        highlight: { background: k.color, border: "#000000" },
        hover: { background: k.color, border: "#000000" }
      },
      borderWidth: sev ? 4 : n.highlight ? 3 : 1,
      borderWidthSelected: sev ? 6 : 4,
      font: { color: n.kind === "Pipeline" ? "#ffffff" : "#1a1a1a", face: FONT, size: 14 },
      shadow: n.highlight ? { enabled: true, color: "rgba(0,0,0,0.6)", size: 16, x: 0, y: 0 } : false,
      hidden: false
    };
  }

  function visEdge(e, i) {
    var r = styles.rels[e[2]] || { color: "#999999", width: 1, dashes: false, label: "" };
    return {
      id: i,
      from: e[0],
      to: e[1],
      arrows: { to: { enabled: true, scaleFactor: 0.6 } },
      color: { color: r.color, highlight: "#000000", hover: "#000000", inherit: false },
      width: r.width,
      dashes: r.dashes,
      label: r.label || undefined,
      font: { size: 11, face: FONT, align: "middle", color: r.color },
      smooth: data.large ? false : { enabled: true, type: "cubicBezier", forceDirection: "vertical", roundness: 0.4 }
    };
  }

  var nodes = new vis.DataSet(data.nodes.map(visNode));
  var edges = new vis.DataSet(data.edges.map(visEdge));
  var network = new vis.Network(
    document.getElementById("graph"),
    { nodes: nodes, edges: edges },
    {
      autoResize: true,
      physics: { enabled: false },
      layout: { improvedLayout: false, hierarchical: { enabled: false } },
      interaction: {
        hover: true,
        hideEdgesOnDrag: data.large,
        hideEdgesOnZoom: data.large,
        keyboard: false,
        multiselect: false
      },
      edges: { selectionWidth: 2, hoverWidth: 1 }
    }
  );

  var panel = document.getElementById("panel");
  var selected = null;

  function nodeName(n) {
    return propValue(n, "name") || n.key;
  }

  function showFindings(n) {
    if (!n.findings.length) return;
    panel.appendChild(el("h3", "Findings (" + n.findings.length + ")"));
    var list = el("ul", null, "findings");
    n.findings.forEach(function (index) {
      var f = data.findings[index];
      var item = el("li", null, "finding");
      var head = el("p", null, "finding-head");
      head.appendChild(el("span", f.severity, "sev sev-" + f.severity));
      head.appendChild(document.createTextNode(" "));
      head.appendChild(el("strong", f.code + " " + f.name));
      item.appendChild(head);
      item.appendChild(el("p", f.message, "message"));
      if (f.recommendation) item.appendChild(el("p", "Fix: " + f.recommendation, "fix"));
      var where = (f.source || "") + (f.line ? ":" + f.line : "") + (f.pointer ? " at " + f.pointer : "");
      if (where.trim()) item.appendChild(el("p", where.trim(), "where"));
      list.appendChild(item);
    });
    panel.appendChild(list);
  }

  function show(id) {
    panel.replaceChildren();
    if (id === null || id === undefined) {
      panel.appendChild(el("p", "Hover over or click a node to see its properties and findings.", "hint"));
      return;
    }
    var n = data.nodes[id];
    var head = el("h2", null, "node-head");
    head.appendChild(el("span", n.kind, "badge"));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(el("span", nodeName(n), "node-name"));
    panel.appendChild(head);
    panel.appendChild(el("p", n.key, "node-key"));
    showFindings(n);
    if (n.props.length) {
      panel.appendChild(el("h3", "Properties"));
      var table = el("dl", null, "props");
      n.props.forEach(function (row) {
        table.appendChild(el("dt", row[0]));
        table.appendChild(el("dd", row[1]));
      });
      panel.appendChild(table);
    }
  }

  network.on("hoverNode", function (event) { show(event.node); });
  network.on("blurNode", function () { show(selected); });
  network.on("selectNode", function (event) {
    selected = event.nodes[0];
    show(selected);
  });
  network.on("deselectNode", function () {
    selected = null;
    show(null);
  });

  /* Filters by kind and by worst severity. */
  var kindOn = {};
  var severityOn = { error: true, warning: true, info: true, none: true };

  function applyFilters() {
    nodes.update(data.nodes.map(function (n) {
      return { id: n.id, hidden: !(kindOn[n.kind] && severityOn[n.severity || "none"]) };
    }));
    matches = [];
    lastQuery = null;
  }

  function checkbox(container, text, color, onChange) {
    var label = el("label", null, "filter");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.addEventListener("change", function () { onChange(box.checked); applyFilters(); });
    label.appendChild(box);
    if (color) {
      var swatch = el("span", null, "swatch");
      swatch.style.background = color;
      label.appendChild(swatch);
    }
    label.appendChild(document.createTextNode(text));
    container.appendChild(label);
    return box;
  }

  var kindCounts = {};
  var severityCounts = { error: 0, warning: 0, info: 0, none: 0 };
  data.nodes.forEach(function (n) {
    kindCounts[n.kind] = (kindCounts[n.kind] || 0) + 1;
    severityCounts[n.severity || "none"] += 1;
  });
  var kindBox = document.getElementById("kind-filters");
  Object.keys(styles.kinds).forEach(function (kind) {
    if (!kindCounts[kind]) return;
    kindOn[kind] = true;
    var box = checkbox(kindBox, kind + " (" + kindCounts[kind] + ")", styles.kinds[kind].color,
      function (on) { kindOn[kind] = on; });
    box.dataset.kind = kind;
  });
  var severityBox = document.getElementById("severity-filters");
  ["error", "warning", "info", "none"].forEach(function (sev) {
    var color = sev === "none" ? "#ffffff" : styles.severities[sev].color;
    var text = (sev === "none" ? "no findings" : sev) + " (" + severityCounts[sev] + ")";
    var box = checkbox(severityBox, text, color, function (on) { severityOn[sev] = on; });
    box.dataset.severity = sev;
  });

  /* Search by name, key or URI: Enter (or Find) goes to the next match. */
  var search = document.getElementById("search");
  var result = document.getElementById("search-result");
  var haystacks = data.nodes.map(function (n) {
    return (nodeName(n) + "\n" + n.key + "\n" + (propValue(n, "uri") || "")).toLowerCase();
  });
  var matches = [];
  var cursor = -1;
  var lastQuery = null;

  function find(query) {
    var q = query.trim().toLowerCase();
    if (!q) { result.textContent = ""; return null; }
    if (q !== lastQuery) {
      lastQuery = q;
      cursor = -1;
      matches = data.nodes.filter(function (n) {
        return haystacks[n.id].indexOf(q) >= 0 && !nodes.get(n.id).hidden;
      }).map(function (n) { return n.id; });
      matches.sort(function (a, b) {
        var exactA = nodeName(data.nodes[a]).toLowerCase() === q ? 0 : 1;
        var exactB = nodeName(data.nodes[b]).toLowerCase() === q ? 0 : 1;
        return exactA - exactB || a - b;
      });
    }
    if (!matches.length) {
      result.textContent = "No visible node matches \u201C" + query.trim() + "\u201D.";
      return null;
    }
    cursor = (cursor + 1) % matches.length;
    var id = matches[cursor];
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1), animation: false });
    selected = id;
    show(id);
    result.textContent = "Match " + (cursor + 1) + " of " + matches.length + ": " + nodeName(data.nodes[id]);
    return id;
  }

  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); find(search.value); }
  });
  document.getElementById("search-next").addEventListener("click", function () { find(search.value); });
  var names = document.getElementById("names");
  Array.from(new Set(data.nodes.map(nodeName))).sort().forEach(function (name) {
    var option = el("option");
    option.value = name;
    names.appendChild(option);
  });

  /* Title, counts and legend. */
  document.getElementById("title").textContent = data.title;
  var s = data.stats;
  document.getElementById("stats").textContent =
    plural(s.nodes, "node") + " \u00B7 " + plural(s.edges, "edge") + " \u00B7 " +
    plural(s.findings, "finding") + " (" + plural(s.error, "error") + ", " +
    plural(s.warning, "warning") + ", " + s.info + " info)";
  var legendKinds = document.getElementById("legend-kinds");
  Object.keys(styles.kinds).forEach(function (kind) {
    if (!kindCounts[kind]) return;
    var k = styles.kinds[kind];
    var item = el("li");
    var swatch = el("span", null, "swatch shape-" + k.shape);
    swatch.style.background = k.color;
    item.appendChild(swatch);
    item.appendChild(el("strong", kind));
    item.appendChild(document.createTextNode(" (" + k.shape + "): " + k.legend));
    legendKinds.appendChild(item);
  });
  var relsPresent = {};
  data.edges.forEach(function (e) { relsPresent[e[2]] = true; });
  var legendRels = document.getElementById("legend-rels");
  Object.keys(styles.rels).forEach(function (rel) {
    if (!relsPresent[rel]) return;
    var r = styles.rels[rel];
    var item = el("li");
    var line = el("span", null, "line" + (r.dashes ? " dashed" : ""));
    line.style.borderTopColor = r.color;
    item.appendChild(line);
    item.appendChild(el("strong", rel));
    item.appendChild(document.createTextNode(": " + r.legend));
    legendRels.appendChild(item);
  });
  var legendSeverities = document.getElementById("legend-severities");
  ["error", "warning", "info"].forEach(function (sev) {
    var item = el("li");
    var swatch = el("span", null, "swatch ring");
    swatch.style.borderColor = styles.severities[sev].color;
    item.appendChild(swatch);
    item.appendChild(document.createTextNode(SEVERITY_MARK[sev] + " worst finding: " + sev));
    legendSeverities.appendChild(item);
  });

  window.lineageView = {
    network: network,
    nodes: nodes,
    edges: edges,
    data: data,
    show: show,
    find: find,
    ready: false
  };
  network.once("afterDrawing", function () {
    window.lineageView.ready = true;
    window.lineageView.drawnAt = performance.now();
  });
  network.fit({ animation: false });
})();
