// Report charts, drawn with Chart.js from the JSON the page embeds. Every chart has a table with
// the same numbers, so the page is complete without this script.
(function () {
  var printButtons = document.querySelectorAll('[data-print]');
  printButtons.forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () { window.print(); });
  });
  if (!window.Chart) return;
  var Chart = window.Chart;
  Chart.defaults.animation = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
  // Ticks and tooltips write numbers as the page's language does ("4,25" in French and German).
  Chart.defaults.locale = document.documentElement.lang || 'en';
  Chart.defaults.color = '#1b2333';
  Chart.defaults.maintainAspectRatio = false;

  // Paper is narrower than the screen: redraw every chart at the printed width.
  var charts = [];
  function resizeAll() { charts.forEach(function (chart) { chart.resize(); }); }
  window.addEventListener('beforeprint', resizeAll);
  if (window.matchMedia) window.matchMedia('print').addEventListener('change', resizeAll);

  // Long labels are drawn as several lines (Chart.js draws an array as lines) rather than cut at
  // the chart's edge: as many characters a line as a share of the chart's width allows, at least
  // ten, and never a word split. Tooltips keep the whole label.
  function wrapLabel(text, maxChars) {
    var lines = [];
    String(text).split(/\s+/).forEach(function (word) {
      var last = lines[lines.length - 1];
      if (last !== undefined && (last + ' ' + word).length <= maxChars) lines[lines.length - 1] = last + ' ' + word;
      else lines.push(word);
    });
    return lines;
  }
  function charsFor(chart, share) {
    return Math.max(10, Math.floor((chart.width * share) / 7));
  }
  /** Category ticks (the competencies of a horizontal bar chart), every one drawn, wrapped. */
  function wrappedTicks(share) {
    return { autoSkip: false, callback: function (value) { return wrapLabel(this.getLabelForValue(value), charsFor(this.chart, share)); } };
  }

  function readData(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function overviewConfig(data, type) {
    var datasets = data.datasets.map(function (dataset) {
      return {
        label: dataset.label,
        data: dataset.data,
        backgroundColor: type === 'radar' ? dataset.colour + '22' : dataset.colour,
        borderColor: dataset.colour,
        borderWidth: type === 'radar' ? 2 : 0,
        pointBackgroundColor: dataset.colour,
        spanGaps: false,
      };
    });
    var legend = { legend: { position: 'bottom' } };
    if (type === 'radar') {
      // A ring and a label for every scale point 1..K. Chart.js leaves the centre's tick unlabelled
      // and thins out the others on a small chart, so the centre is 0 (not a scale point) and the
      // ticks are set to exactly the scale points.
      var points = [];
      for (var point = 0; point <= data.max; point += 1) points.push({ value: point });
      var radial = {
        min: 0,
        max: data.max,
        ticks: { stepSize: 1, precision: 0, z: 1 },
        afterBuildTicks: function (scale) { scale.ticks = points.slice(); },
        pointLabels: { font: function (context) { return { size: context.chart.width < 420 ? 9 : 11 }; }, callback: function (label) { return wrapLabel(label, 14); } },
      };
      // Chart.js fits the point labels in one pass and lets the widest ones overhang the canvas
      // by a few pixels on a narrow chart; the side padding gives them that room.
      return { type: type, data: { labels: data.labels, datasets: datasets }, options: { scales: { r: radial }, plugins: legend, layout: { padding: { left: 24, right: 24 } } } };
    }
    return {
      type: type,
      data: { labels: data.labels, datasets: datasets },
      options: {
        indexAxis: 'y',
        scales: { x: { min: data.min, max: data.max, ticks: { stepSize: 1 } }, y: { ticks: wrappedTicks(0.35) } },
        plugins: legend,
        datasets: { bar: { barPercentage: 0.85, categoryPercentage: 0.8 } },
      },
    };
  }

  var overview = readData('chart-overview-data');
  var overviewCanvas = document.getElementById('chart-overview');
  if (overview && overviewCanvas) {
    var chart = new Chart(overviewCanvas, overviewConfig(overview, 'bar'));
    charts.push(chart);
    var toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.className = 'btn-secondary btn-small no-print';
    // The page gives every text (data-* on the canvas), in its own language.
    toggle.textContent = overviewCanvas.dataset.showRadar;
    toggle.addEventListener('click', function () {
      var radar = chart.config.type !== 'radar';
      charts.splice(charts.indexOf(chart), 1);
      chart.destroy();
      overviewCanvas.parentNode.classList.toggle('chart-radar', radar);
      chart = new Chart(overviewCanvas, overviewConfig(overview, radar ? 'radar' : 'bar'));
      charts.push(chart);
      toggle.textContent = radar ? overviewCanvas.dataset.showBar : overviewCanvas.dataset.showRadar;
    });
    overviewCanvas.parentNode.parentNode.insertBefore(toggle, overviewCanvas.parentNode);
  }

  var gap = readData('chart-gap-data');
  var gapCanvas = document.getElementById('chart-gap');
  if (gap && gapCanvas) {
    var colours = { 'blind-spot': '#b45309', 'hidden-strength': '#0f766e', none: '#94a3b8' };
    // Dashed lines at -tau and +tau: where a gap becomes a finding.
    var thresholds = {
      id: 'thresholds',
      afterDatasetsDraw: function (chartInstance) {
        var ctx = chartInstance.ctx;
        var x = chartInstance.scales.x;
        var area = chartInstance.chartArea;
        ctx.save();
        ctx.setLineDash([4, 4]);
        ctx.strokeStyle = '#525c6e';
        [-gap.tau, gap.tau].forEach(function (value) {
          var position = x.getPixelForValue(value);
          ctx.beginPath();
          ctx.moveTo(position, area.top);
          ctx.lineTo(position, area.bottom);
          ctx.stroke();
        });
        ctx.restore();
      },
    };
    charts.push(new Chart(gapCanvas, {
      type: 'bar',
      data: { labels: gap.labels, datasets: [{ label: gapCanvas.dataset.series, data: gap.data, backgroundColor: gap.markers.map(function (marker) { return colours[marker]; }) }] },
      options: { indexAxis: 'y', scales: { x: { min: -gap.limit, max: gap.limit, ticks: { stepSize: 0.5 } }, y: { ticks: wrappedTicks(0.35) } }, plugins: { legend: { display: false } } },
      plugins: [thresholds],
    }));
  }

  var SERIES = ['#1d5b86', '#b45309', '#0f766e', '#7c3aed', '#be185d'];

  var change = readData('chart-change-competencies-data');
  var changeCanvas = document.getElementById('chart-change-competencies');
  if (change && changeCanvas) {
    charts.push(new Chart(changeCanvas, {
      type: 'bar',
      data: {
        labels: change.labels,
        datasets: change.datasets.map(function (dataset) {
          return { label: dataset.label, data: dataset.data, backgroundColor: dataset.key === 'baseline' ? '#94a3b8' : '#1d5b86' };
        }),
      },
      options: { indexAxis: 'y', scales: { x: { min: 1, max: change.max, ticks: { stepSize: 1 } }, y: { ticks: wrappedTicks(0.35) } }, plugins: { legend: { position: 'bottom' } } },
    }));
  }

  var focus = readData('chart-change-focus-data');
  var focusCanvas = document.getElementById('chart-change-focus');
  if (focus && focusCanvas) {
    charts.push(new Chart(focusCanvas, {
      type: 'line',
      data: {
        labels: [focusCanvas.dataset.baseline, focusCanvas.dataset.evaluation],
        datasets: focus.areas.map(function (area, index) {
          var colour = SERIES[index % SERIES.length];
          return { label: area.label, data: [area.baseline, area.evaluation], borderColor: colour, backgroundColor: colour, borderWidth: 3, pointRadius: 5 };
        }),
      },
      options: { scales: { y: { min: 1, max: focus.max, ticks: { stepSize: 1 } } }, plugins: { legend: { position: 'bottom' } } },
    }));
  }

  var trend = readData('chart-pulse-trend-data');
  var trendCanvas = document.getElementById('chart-pulse-trend');
  if (trend && trendCanvas) {
    charts.push(new Chart(trendCanvas, {
      type: 'line',
      data: {
        labels: trend.labels,
        datasets: trend.series.map(function (series, index) {
          var colour = SERIES[index % SERIES.length];
          return { label: series.label, data: series.data, borderColor: colour, backgroundColor: colour, borderWidth: 3, pointRadius: 5, spanGaps: false };
        }),
      },
      options: { scales: { y: { min: -3, max: 3, ticks: { stepSize: 1 } } }, plugins: { legend: { position: 'bottom' } } },
    }));
  }
})();
