// The dashboard's only script: draws the charts whose data the page carries in data-chart, and
// follows the live stream on the feed page. No inline script, so the CSP can forbid it.
(function () {
  "use strict";

  function drawCharts() {
    if (typeof echarts === "undefined") return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var spec = JSON.parse(el.dataset.chart);
      var option = spec.type === "pie"
        ? { tooltip: {}, series: [{ type: "pie", radius: "65%",
            data: spec.labels.map(function (l, i) { return { name: l, value: spec.values[i] }; })
              .filter(function (d) { return d.value > 0; }) }] }
        : { tooltip: {}, grid: { left: 40, right: 10, top: 10, bottom: 60 },
            xAxis: { type: "category", data: spec.labels, axisLabel: { rotate: 30 } },
            yAxis: { type: "value", minInterval: 1 },
            series: [{ type: "bar", data: spec.values }] };
      option.animation = false;
      echarts.init(el, null, { renderer: "svg" }).setOption(option);
    });
  }

  function cell(text) {
    var td = document.createElement("td");
    td.textContent = text;
    return td;
  }

  function shortType(type) {
    var parts = type.split(".");
    return parts.length >= 2 ? parts[parts.length - 2] : type;
  }

  function link(e) {
    if (e.aggregateType === "cluster" || e.aggregateType === "reconcile") return "/clusters/" + encodeURIComponent(e.aggregateId);
    if (e.aggregateType === "profile") return "/profiles/" + encodeURIComponent(e.aggregateId);
    return "";
  }

  function followFeed() {
    var table = document.getElementById("feed");
    if (!table) return;
    var body = table.querySelector("tbody");
    var state = document.getElementById("live-state");
    // the cookie goes along (same origin); EventSource resumes with Last-Event-ID by itself
    var source = new EventSource(table.dataset.stream);
    source.onopen = function () { state.textContent = "live"; state.className = "live on"; };
    source.onerror = function () { state.textContent = "reconnecting…"; state.className = "live"; };
    source.addEventListener("audit", function (msg) {
      var e = JSON.parse(msg.data);
      if (body.querySelector('tr[data-seq="' + e.seq + '"]')) return;
      var tr = document.createElement("tr");
      tr.dataset.seq = e.seq;
      tr.className = "fresh";
      tr.appendChild(cell(e.seq));
      tr.appendChild(cell(e.time));
      tr.appendChild(cell(shortType(e.type) + (e.flag ? " [" + e.flag + "]" : "")));
      var agg = document.createElement("td");
      var href = link(e);
      if (href) {
        var a = document.createElement("a");
        a.href = href;
        a.textContent = e.aggregateId;
        agg.appendChild(a);
      } else {
        agg.textContent = e.aggregateId;
      }
      tr.appendChild(agg);
      tr.appendChild(cell(e.actor));
      tr.appendChild(cell(e.project));
      body.insertBefore(tr, body.firstChild);
      while (body.children.length > 500) body.removeChild(body.lastChild);
    });
  }

  function whenReady() {
    drawCharts();
    followFeed();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", whenReady);
  else whenReady();
})();
