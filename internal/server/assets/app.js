// Draws every chart on the page from the option document the server put in
// a <script type="application/json"> element. No option text is ever
// evaluated as code, so names from files and sources stay data. A chart is
// drawn when it comes near the screen (a profile has one per indicator, the
// overview one per cell), and every chart not yet drawn is drawn before
// printing.
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

  // Compact Swedish numbers for crowded axes: 20 tn, 1,2 mn.
  var compact = typeof Intl !== "undefined" ? new Intl.NumberFormat("sv-SE", { notation: "compact", maximumFractionDigits: 1 }) : null;

  // narrowWidth is where a chart counts as narrow (phones): fewer ticks,
  // compact numbers, smaller margins and titles.
  var narrowWidth = 600;

  function narrowOption(option, kind) {
    valueAxes(option).forEach(function (a) {
      a.splitNumber = 3;
      a.axisLabel = a.axisLabel || {};
      a.axisLabel.hideOverlap = true;
      a.axisLabel.formatter = function (v) {
        return compact && Math.abs(v) >= 10000 ? compact.format(v) : fmtNumber(v, 0);
      };
    });
    var grids = option.grid ? (Array.isArray(option.grid) ? option.grid : [option.grid]) : [];
    grids.forEach(function (g) {
      g.left = 8; g.right = 16; g.containLabel = true;
      if (kind === "line") { g.top = 64; g.bottom = 56; }
    });
    ["xAxis", "yAxis"].forEach(function (k) {
      var axes = option[k];
      if (!axes) { return; }
      (Array.isArray(axes) ? axes : [axes]).forEach(function (a) {
        if (a && a.type === "category" && kind === "bar") {
          a.axisLabel = a.axisLabel || {};
          a.axisLabel.width = 96; a.axisLabel.overflow = "truncate"; a.axisLabel.fontSize = 11;
        }
      });
    });
    var titles = option.title ? (Array.isArray(option.title) ? option.title : [option.title]) : [];
    titles.forEach(function (t) {
      t.textStyle = t.textStyle || {}; t.textStyle.fontSize = 14;
      t.subtextStyle = t.subtextStyle || {}; t.subtextStyle.fontSize = 11;
      t.left = 4;
    });
    if (option.toolbox) { option.toolbox.show = false; }
    return option;
  }

  function prepare(option, kind, width) {
    var f = option._fmt || { decimals: 0, unit: "" };
    delete option._fmt;
    // Bars drawn from a baseline (an index from 100) carry value − baseline;
    // print the value itself.
    var off = f.offset || 0;
    option.tooltip = option.tooltip || {};
    if (kind === "map") {
      option.tooltip.formatter = function (p) {
        var d = p.data || {};
        return escapeHTML(d.kommun || p.name) + ": " + escapeHTML(fmtValue(p.value, f));
      };

    } else {
      option.tooltip.valueFormatter = function (v) { return fmtValue(typeof v === "number" ? v + off : v, f); };
      valueAxes(option).forEach(function (a) {
        a.axisLabel = a.axisLabel || {};
        a.axisLabel.formatter = function (v) { return fmtNumber(v + off, Math.min(f.decimals, 1)); };
      });
      if (kind !== "spark" && width < narrowWidth) { narrowOption(option, kind); }
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

  // Every drawn chart but the sparklines, for resizing when printing;
  // sparks too, for drawing them at once when printing.
  var drawn = [];
  var sparks = [];

  function draw(el) {
    if (el.hasAttribute("data-drawn")) { return; }
    el.setAttribute("data-drawn", "1");
    var src = document.getElementById(el.getAttribute("data-option"));
    if (!src) { return; }
    var kind = el.getAttribute("data-kind");
    var option = prepare(JSON.parse(src.textContent), kind, el.clientWidth);
    var start = function () {
      var chart = echarts.init(el, null, { renderer: "canvas", locale: "SV" });
      chart.on("finished", function () { el.setAttribute("data-rendered", "1"); });
      chart.setOption(option);
      if (kind !== "spark") { drawn.push({ el: el, chart: chart }); } else { sparks.push(chart); }
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

  // Printing: charts are redrawn at the printed width (the canvas keeps
  // its screen size otherwise and is cut off or blurred), and the footer
  // gets the page's full address and today's date.
  // lazy draws a chart when it comes within a screen's height of view;
  // null where the browser cannot tell (every chart is drawn at once).
  var lazy = null;

  function drawCharts() {
    if (typeof echarts === "undefined") { return; }
    var charts = document.querySelectorAll("[data-option]");
    if (!("IntersectionObserver" in window)) {
      charts.forEach(draw);
      return;
    }
    lazy = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (e.isIntersecting) {
          lazy.unobserve(e.target);
          draw(e.target);
        }
      });
    }, { rootMargin: "100% 0px" });
    charts.forEach(function (el) { lazy.observe(el); });
  }

  // drawAll draws the charts not drawn yet (for printing: the sheet holds
  // every chart, not only those scrolled past).
  function drawAll() {
    if (typeof echarts === "undefined") { return; }
    if (lazy) { lazy.disconnect(); }
    document.querySelectorAll("[data-option]").forEach(draw);
  }

  function toPrint() {
    printStamp();
    drawAll();
    sparks.forEach(function (c) { c.getZr().refreshImmediately(); });
    drawn.forEach(function (d) {
      d.chart.resize({ width: d.el.clientWidth, animation: { duration: 0 } });
      d.el.setAttribute("data-print-width", String(d.el.clientWidth));
      d.chart.getZr().refreshImmediately();
    });
  }
  function toScreen() {
    drawn.forEach(function (d) { d.chart.resize({ width: "auto", animation: { duration: 0 } }); });
  }
  function printStamp() {
    var now = new Date();
    var date = now.getFullYear() + "-" + String(now.getMonth() + 1).padStart(2, "0") + "-" + String(now.getDate()).padStart(2, "0");
    var text = location.href + " · utskriven " + date;
    document.querySelectorAll("[data-print-url]").forEach(function (e) { e.textContent = location.href; });
    document.querySelectorAll("[data-print-date]").forEach(function (e) { e.textContent = ", utskriven " + date; });
    document.documentElement.style.setProperty("--print-stamp", JSON.stringify(text));
  }
  function watchPrint() {
    printStamp();
    window.addEventListener("beforeprint", toPrint);
    window.addEventListener("afterprint", toScreen);
    if (window.matchMedia) {
      var mq = window.matchMedia("print");
      var onChange = function (e) { if (e.matches) { toPrint(); } else { toScreen(); } };
      if (mq.addEventListener) { mq.addEventListener("change", onChange); }
    }
  }

  // Search in lists and pickers. Text is compared in lower case with
  // Swedish rules, anywhere in the name or code ("ström" finds Olofström).
  function norm(s) { return String(s).toLocaleLowerCase("sv-SE").trim(); }

  // A block marked data-filter-for="ID" holds a search box that narrows
  // the items (data-filter-text) in element ID: groups (data-filter-group)
  // with no match are hidden, and <details> groups with a match open.
  function filters() {
    document.querySelectorAll("[data-filter-for]").forEach(function (box) {
      var list = document.getElementById(box.getAttribute("data-filter-for"));
      var input = box.querySelector("input[type=search]");
      var count = box.querySelector(".filter-count");
      if (!list || !input) { return; }
      box.hidden = false;
      var openAtStart = [].map.call(list.querySelectorAll("details"), function (d) { return d.open; });
      var run = function () {
        var q = norm(input.value), hits = 0;
        list.querySelectorAll("[data-filter-text]").forEach(function (it) {
          var hit = q === "" || norm(it.getAttribute("data-filter-text")).indexOf(q) >= 0;
          it.hidden = !hit;
          if (hit) { hits++; }
        });
        list.querySelectorAll("[data-filter-group]").forEach(function (g, i) {
          var any = g.querySelector("[data-filter-text]:not([hidden])") !== null;
          g.hidden = !any;
          if (g.tagName === "DETAILS") { g.open = q === "" ? openAtStart[i] : any; }
        });
        if (count) { count.textContent = q === "" ? "" : hits === 1 ? "1 träff" : hits + " träffar"; }
      };
      input.addEventListener("input", run);
    });
  }

  // A select marked data-search gets a search box in front of it: typing
  // hides the options (and county groups) that do not match; Enter picks
  // the first match, which submits an auto form.
  function searchableSelects() {
    document.querySelectorAll("select[data-search]").forEach(function (sel, n) {
      var label = document.createElement("label");
      label.className = "picker-search";
      label.appendChild(document.createTextNode("Sök kommun "));
      var input = document.createElement("input");
      input.type = "search";
      input.autocomplete = "off";
      input.id = "sok-" + n;
      label.appendChild(input);
      var host = sel.closest("label") || sel;
      host.parentNode.insertBefore(label, host);
      var first = null;
      input.addEventListener("input", function () {
        var q = norm(input.value);
        first = null;
        [].forEach.call(sel.options, function (o) {
          var hit = q === "" || (o.value !== "" && (norm(o.text).indexOf(q) >= 0 || o.value.indexOf(q) === 0));
          o.hidden = !hit;
          if (hit && !first && o.value !== "") { first = o; }
        });
        sel.querySelectorAll("optgroup").forEach(function (g) {
          g.hidden = g.querySelector("option:not([hidden])") === null;
        });
      });
      input.addEventListener("keydown", function (e) {
        if (e.key === "Enter") {
          e.preventDefault();
          if (first) {
            sel.value = first.value;
            sel.dispatchEvent(new Event("change"));
          }
        }
      });
    });
  }

  // A fieldset of checkboxes marked data-max allows that many: once full,
  // the unchecked boxes are disabled until one is unchecked.
  function checkboxLimits() {
    document.querySelectorAll("fieldset[data-max]").forEach(function (fs) {
      var max = parseInt(fs.getAttribute("data-max"), 10);
      var boxes = fs.querySelectorAll("input[type=checkbox]");
      var update = function () {
        var n = fs.querySelectorAll("input[type=checkbox]:checked").length;
        boxes.forEach(function (b) { b.disabled = !b.checked && n >= max; });
      };
      fs.addEventListener("change", update);
      update();
    });
  }

  // On a phone the navigation is one row that scrolls sideways: bring the
  // current page's link into view.
  function showCurrentNav() {
    var cur = document.querySelector("header.top a[aria-current=page]");
    var bar = document.querySelector("header.top");
    if (cur && bar && bar.scrollWidth > bar.clientWidth) {
      bar.scrollLeft = Math.max(0, cur.offsetLeft - bar.clientWidth / 3);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts();
    autoSubmit();
    filters();
    searchableSelects();
    checkboxLimits();
    watchPrint();
    showCurrentNav();
  });
})();
