// Draws every chart on the page from the option document the server put in
// a <script type="application/json"> element. No option text is ever
// evaluated as code, so names from files and sources stay data.
(function () {
  "use strict";

  // Swedish number format: 1 234 567 and 12,3.
  function fmtNumber(v, decimals) {
    if (v === null || v === undefined || v === "-" || typeof v !== "number" || !isFinite(v)) {
      return "saknas";
    }
    return v.toLocaleString("sv-SE", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  }

  function fmtValue(v, f) {
    var s = fmtNumber(v, f.decimals);
    if (s !== "saknas" && f.unit === "%") {
      s += "\u00a0%";
    }
    return s;
  }

  function escapeHTML(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function valueAxes(option) {
    var out = [];
    ["xAxis", "yAxis"].forEach(function (k) {
      var axes = option[k];
      if (!axes) { return; }
      if (!Array.isArray(axes)) { axes = [axes]; }
      axes.forEach(function (a) {
        if (a && a.type !== "category" && !Array.isArray(a.data)) { out.push(a); }
      });
    });
    return out;
  }

  function prepare(option, kind) {
    var f = option._fmt || { decimals: 0, unit: "" };
    delete option._fmt;
    option.tooltip = option.tooltip || {};
    if (kind === "map") {
      option.tooltip.formatter = function (p) {
        var d = p.data || {};
        return escapeHTML(d.kommun || p.name) + ": " + escapeHTML(fmtValue(p.value, f));
      };

    } else {
      option.tooltip.valueFormatter = function (v) { return fmtValue(v, f); };
      valueAxes(option).forEach(function (a) {
        a.axisLabel = a.axisLabel || {};
        a.axisLabel.formatter = function (v) { return fmtNumber(v, Math.min(f.decimals, 1)); };
      });
    }
    return option;
  }

  var geoCache = {};
  function loadGeo(url, name) {
    if (!geoCache[url]) {
      geoCache[url] = fetch(url, { credentials: "same-origin" })
        .then(function (r) {
          if (!r.ok) { throw new Error("kartan kunde inte hämtas: " + r.status); }
          return r.json();
        })
        .then(function (geo) { echarts.registerMap(name, geo); });
    }
    return geoCache[url];
  }

  function draw(el) {
    var src = document.getElementById(el.getAttribute("data-option"));
    if (!src) { return; }
    var option = prepare(JSON.parse(src.textContent), el.getAttribute("data-kind"));
    var start = function () {
      var chart = echarts.init(el, null, { renderer: "canvas", locale: "SV" });
      chart.on("finished", function () { el.setAttribute("data-rendered", "1"); });
      chart.setOption(option);
      window.addEventListener("resize", function () { chart.resize(); });
    };
    var geo = el.getAttribute("data-geo");
    if (geo) {
      loadGeo(geo, el.getAttribute("data-map")).then(start, function (err) {
        el.textContent = "Kartan kunde inte ritas. Tabellen nedan har alla siffror.";
        el.setAttribute("data-error", String(err));
      });
    } else {
      start();
    }
  }

  // Forms marked "auto" submit when a choice changes; they keep a submit
  // button for keyboards and for browsers without script.
  function autoSubmit() {
    document.querySelectorAll("form.auto select, form.auto input[type=radio]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-option]").forEach(draw);
    autoSubmit();
  });
})();
