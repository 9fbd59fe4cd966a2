/**
 * The HTML view's script, inlined into the page: it reads the embedded model and draws one lane per
 * node (session, leadership and VIP bands, event ticks, task bars, anomaly marks), a time axis, zoom
 * buttons, a hover tooltip and the anomaly list. Plain ES2017, no library, nothing fetched.
 */
export const HTML_SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('replay-data').textContent);
  var NS = 'http://www.w3.org/2000/svg';
  var lanesEl = document.getElementById('lanes');
  var tip = document.getElementById('tip');
  var zoom = 1;
  var LABEL = 130;

  function clock(at) { return new Date(at).toISOString().slice(11, 23); }
  function svg(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    for (var key in attrs) node.setAttribute(key, String(attrs[key]));
    if (parent) parent.appendChild(node);
    return node;
  }
  function withTip(node, text) { node.tipText = text; return node; }
  function slug(text) { return String(text).replace(/[^a-z0-9_]+/gi, '_'); }

  function packRows(bars) {
    var ends = [];
    return bars.map(function (bar) {
      for (var row = 0; row < ends.length; row++) if (ends[row] <= bar.from) break;
      ends[row] = bar.to;
      return row;
    });
  }

  function drawAxis(width, x) {
    var axis = document.createElement('div');
    axis.className = 'lane';
    var label = document.createElement('div');
    label.className = 'lane-label';
    label.textContent = 'UTC';
    axis.appendChild(label);
    var root = svg('svg', { width: width, height: 18, 'class': 'axis' });
    var ticks = Math.max(2, Math.floor(width / 140));
    for (var i = 0; i <= ticks; i++) {
      var at = data.start + ((data.end - data.start) * i) / ticks;
      svg('line', { x1: x(at), x2: x(at), y1: 12, y2: 18, stroke: '#9aa0a6' }, root);
      var text = svg('text', { x: Math.min(x(at) + 2, width - 70), y: 10 }, root);
      text.textContent = clock(at);
    }
    axis.appendChild(root);
    lanesEl.appendChild(axis);
  }

  function drawBands(root, bands, y, cls, x) {
    bands.forEach(function (band) {
      var rect = svg('rect', { x: x(band.from), y: y, width: Math.max(1, x(band.to) - x(band.from)), height: 11,
        'class': 'band ' + (cls === 'session' ? 'session-' + slug(band.label) : cls) }, root);
      withTip(rect, band.label + '\\n' + clock(band.from) + ' → ' + clock(band.to));
    });
  }

  function drawLane(lane, width, x) {
    var section = document.createElement('section');
    section.className = 'lane';
    section.setAttribute('data-node', lane.node);
    var label = document.createElement('div');
    label.className = 'lane-label';
    label.textContent = lane.node;
    section.appendChild(label);
    var bars = data.tasks.filter(function (bar) { return bar.node === lane.node; });
    var rows = packRows(bars);
    var taskRows = rows.reduce(function (max, row) { return Math.max(max, row + 1); }, 0);
    var root = svg('svg', { width: width, height: 66 + taskRows * 9 + 2 });
    drawBands(root, lane.session, 0, 'session', x);
    drawBands(root, lane.leader, 14, 'leader', x);
    drawBands(root, lane.vip, 28, 'vip', x);
    lane.events.forEach(function (event) {
      var cls = 'ev cat-' + slug(event.category) + (event.anomalies.length > 0 ? ' ev-anomaly' : '');
      var tick = svg('rect', { x: x(event.at) - 1, y: 44, width: 3, height: 16, 'class': cls }, root);
      var marks = event.anomalies.length > 0 ? '\\n⚠ ' + event.anomalies.join(', ') : '';
      withTip(tick, clock(event.at) + '  ' + event.type + '\\n' + event.text + marks);
    });
    bars.forEach(function (bar, i) {
      var rect = svg('rect', { x: x(bar.from), y: 64 + rows[i] * 9, width: Math.max(2, x(bar.to) - x(bar.from)), height: 7,
        'class': 'bar bar-' + slug(bar.status) }, root);
      withTip(rect, 'task ' + bar.taskId + ' attempt ' + bar.attempt + ' on ' + bar.node + ': ' + bar.status +
        '\\n' + clock(bar.from) + ' → ' + clock(bar.to));
    });
    data.anomalies.forEach(function (anomaly) {
      if (anomaly.nodes.indexOf(lane.node) === -1) return;
      var until = anomaly.until === undefined ? anomaly.at : anomaly.until;
      var mark = svg('rect', { x: x(anomaly.at) - 2, y: 0, width: Math.max(4, x(until) - x(anomaly.at) + 4),
        height: 64 + taskRows * 9, 'class': 'anomaly' }, root);
      withTip(mark, '⚠ ' + anomaly.kind + ' (' + anomaly.severity + ')\\n' + anomaly.message);
    });
    section.appendChild(root);
    lanesEl.appendChild(section);
  }

  function render() {
    lanesEl.textContent = '';
    var width = Math.max(600, ((lanesEl.clientWidth || 1200) - LABEL - 40) * zoom);
    var span = Math.max(1, data.end - data.start);
    var x = function (at) { return ((at - data.start) / span) * width; };
    drawAxis(width, x);
    data.lanes.forEach(function (lane) { drawLane(lane, width, x); });
  }

  function listAnomalies() {
    var root = document.getElementById('anomalies');
    var title = document.createElement('h2');
    title.textContent = 'Anomalies (' + data.anomalyTotal + ')';
    root.appendChild(title);
    var list = document.createElement('ol');
    data.anomalies.forEach(function (anomaly) {
      var item = document.createElement('li');
      var head = document.createElement('span');
      head.className = anomaly.severity;
      head.textContent = clock(anomaly.at) + ' ' + anomaly.kind + ' ';
      item.appendChild(head);
      item.appendChild(document.createTextNode(anomaly.nodes.join(', ') + ': ' + anomaly.message));
      anomaly.evidence.forEach(function (evidence) {
        var line = document.createElement('div');
        var code = document.createElement('code');
        code.textContent = '← ' + clock(evidence.at) + ' ' + evidence.node + ' ' + evidence.type + '  ' + evidence.where +
          (evidence.note ? '  (' + evidence.note + ')' : '');
        line.appendChild(code);
        item.appendChild(line);
      });
      list.appendChild(item);
    });
    if (data.anomalies.length === 0) list.textContent = 'none found';
    root.appendChild(list);
  }

  document.addEventListener('mousemove', function (event) {
    var text = event.target && event.target.tipText;
    if (!text) { tip.style.display = 'none'; return; }
    tip.textContent = text;
    tip.style.display = 'block';
    tip.style.left = Math.min(event.clientX + 12, window.innerWidth - 540) + 'px';
    tip.style.top = (event.clientY + 14) + 'px';
  });
  document.getElementById('zoom-in').addEventListener('click', function () { zoom *= 2; render(); });
  document.getElementById('zoom-out').addEventListener('click', function () { zoom = Math.max(1, zoom / 2); render(); });
  document.getElementById('zoom-reset').addEventListener('click', function () { zoom = 1; render(); });
  var notes = document.getElementById('notes');
  data.notes.forEach(function (note) {
    var line = document.createElement('p');
    line.textContent = note;
    notes.appendChild(line);
  });
  render();
  listAnomalies();
})();
`;
