// The HTML report's browser code, inlined into the page. It reads the report from the page's
// JSON block and renders the findings table and the timeline; totals are rendered on the server
// side (html.ts) so they show even with scripts off. Every value from the report reaches the DOM
// through textContent or setAttribute, never as markup: paths and authors come from the scanned
// input and may hold anything. Plain ES2020 without template literals (this file is one).
export const SCRIPT = `
'use strict';
(function () {
  var data = JSON.parse(document.getElementById('leaksweep-data').textContent);
  var SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
  var DAY = 86400000;
  var state = { text: '', severity: '', kind: '', sortKey: 'severity', sortDir: 1, open: {} };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) for (var k in attrs) if (attrs[k] !== undefined && attrs[k] !== null) node.setAttribute(k, String(attrs[k]));
    (children || []).forEach(function (c) { node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }
  function svg(tag, attrs, children) {
    var node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (var k in attrs) node.setAttribute(k, String(attrs[k]));
    (children || []).forEach(function (c) { node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }
  function day(iso) { return iso ? iso.slice(0, 10) : ''; }
  function place(l) {
    var s = l.path + ':' + l.line + ':' + l.column;
    var extra = [];
    if (l.commit) extra.push('commit ' + l.commit.slice(0, 12));
    if (l.author) extra.push('by ' + l.author);
    if (l.date) extra.push(day(l.date));
    if (l.resource) extra.push('resource ' + l.resource + (l.attribute ? '.' + l.attribute : ''));
    if (l.workspace && l.workspace !== 'default') extra.push('workspace ' + l.workspace);
    if (l.versionId) extra.push('version ' + l.versionId);
    if (l.lastModified) extra.push('modified ' + day(l.lastModified));
    if (l.encoding) extra.push('decoded from ' + l.encoding.join(' > '));
    return extra.length ? s + '  (' + extra.join(', ') + ')' : s;
  }

  // With --cache: the sweeps that first and last reported a finding (not where it was found).
  function sightings(f) {
    if (!f.firstSeen && !f.lastSeen) return '';
    return 'seen ' + day(f.firstSeen || f.lastSeen) + (f.lastSeen && day(f.lastSeen) !== day(f.firstSeen) ? ' to ' + day(f.lastSeen) : '');
  }
  function sweeps(f) {
    var lines = [];
    if (f.firstSeen) lines.push('first seen ' + f.firstSeen);
    if (f.lastSeen) lines.push('last seen ' + f.lastSeen);
    if (f.secretRedacted) lines.push('secret from the scan cache, which keeps no secret in clear');
    return lines.map(function (t) { return el('div', { 'class': 'muted mono sweep' }, [t]); });
  }

  // What the text filter searches: everything shown about a finding and its places.
  data.findings.forEach(function (f) {
    var parts = [f.ruleId, f.title, f.severity, f.secret, f.fingerprint].concat(f.kinds);
    f.locations.forEach(function (l) {
      parts.push(l.path, l.commit, l.author, l.email, l.date, l.ref, l.resource, l.attribute, l.workspace, l.object, l.versionId);
    });
    f.haystack = parts.filter(Boolean).join('\\n').toLowerCase();
  });

  var SORTS = {
    severity: function (f) { return SEVERITIES.indexOf(f.severity); },
    rule: function (f) { return f.ruleId; },
    secret: function (f) { return f.secret; },
    where: function (f) { return f.locations[0] ? f.locations[0].path : ''; },
    locations: function (f) { return f.locations.length; },
    introduced: function (f) { return f.exposure ? f.exposure.first : '~'; },
    exposed: function (f) { return f.exposure ? f.exposure.days : -1; }
  };

  function visible() {
    var words = state.text.toLowerCase().split(/\\s+/).filter(Boolean);
    var rows = data.findings.filter(function (f) {
      if (state.severity && f.severity !== state.severity) return false;
      if (state.kind && f.kinds.indexOf(state.kind) < 0) return false;
      return words.every(function (w) { return f.haystack.indexOf(w) >= 0; });
    });
    var key = SORTS[state.sortKey];
    return rows.sort(function (a, b) {
      var x = key(a), y = key(b);
      var c = x < y ? -1 : x > y ? 1 : 0;
      return c * state.sortDir || SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || (a.fingerprint < b.fingerprint ? -1 : 1);
    });
  }

  // A sweep can find tens of thousands of secrets: the DOM gets the first rows, the filter the rest.
  var TABLE_ROWS = 2000;
  function renderTable(rows) {
    var body = document.querySelector('#findings tbody');
    body.textContent = '';
    rows.slice(0, TABLE_ROWS).forEach(function (f) {
      var first = f.locations[0];
      var where = first ? first.path + ':' + first.line : '';
      if (f.locations.length > 1) where += '  (+' + (f.locations.length - 1) + ' more)';
      var tr = el('tr', { 'class': 'finding', 'data-fingerprint': f.fingerprint, title: 'Show every location' }, [
        el('td', null, [el('span', { 'class': 'sev sev-' + f.severity }, [f.severity])]),
        el('td', null, [el('code', null, [f.ruleId]), el('div', { 'class': 'muted' }, [f.title])]),
        el('td', { 'class': 'mono' }, [f.secret].concat(sightings(f) ? [el('div', { 'class': 'muted seen' }, [sightings(f)])] : [])),
        el('td', { 'class': 'mono' }, [where]),
        el('td', { 'class': 'num' }, [String(f.locations.length)]),
        el('td', null, [f.exposure ? day(f.exposure.first) : '']),
        el('td', { 'class': 'num' }, [f.exposure ? String(f.exposure.days) : '']),
        el('td', null, [f.kinds.join(', ')])
      ]);
      tr.addEventListener('click', function () {
        state.open[f.fingerprint] = !state.open[f.fingerprint];
        render();
      });
      body.appendChild(tr);
      if (state.open[f.fingerprint]) {
        var items = f.locations.map(function (l) { return el('li', { 'class': 'mono' }, [place(l)]); });
        body.appendChild(el('tr', { 'class': 'detail' }, [
          el('td', { colspan: 8 }, [el('div', { 'class': 'muted mono' }, ['fingerprint ' + f.fingerprint])].concat(sweeps(f), [el('ul', null, items)]))
        ]));
      }
    });
    document.getElementById('shown').textContent =
      'Showing ' + rows.length + ' of ' + data.findings.length + ' finding' + (data.findings.length === 1 ? '' : 's') +
      (rows.length > TABLE_ROWS ? ' (the first ' + TABLE_ROWS + ' in the table: filter to see the others)' : '');
    document.querySelectorAll('#findings thead th').forEach(function (th) {
      if (th.getAttribute('data-sort') === state.sortKey) th.setAttribute('aria-sort', state.sortDir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    });
  }

  // Axis ticks at whole years, months or days, whichever gives a handful over the span.
  function ticks(min, max) {
    var span = max - min, out = [], d = new Date(min), step;
    if (span > 3 * 365 * DAY) { d = new Date(Date.UTC(d.getUTCFullYear(), 0, 1)); step = function (t) { t.setUTCFullYear(t.getUTCFullYear() + 1); }; }
    else if (span > 90 * DAY) { d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)); step = function (t) { t.setUTCMonth(t.getUTCMonth() + (span > 540 * DAY ? 3 : 1)); }; }
    else { d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())); var every = Math.max(1, Math.ceil(span / DAY / 8)); step = function (t) { t.setUTCDate(t.getUTCDate() + every); }; }
    for (; d.getTime() <= max && out.length < 40; step(d)) if (d.getTime() >= min) out.push(new Date(d.getTime()));
    return out;
  }

  var TIMELINE_ROWS = 300;
  function renderTimeline(rows) {
    var box = document.getElementById('timeline');
    box.textContent = '';
    var dated = rows.filter(function (f) { return f.exposure; })
      .sort(function (a, b) { return a.exposure.first < b.exposure.first ? -1 : a.exposure.first > b.exposure.first ? 1 : 0; });
    if (dated.length === 0) { box.appendChild(el('p', { 'class': 'muted' }, ['No dated findings: dates come from git commits and state object versions.'])); return; }
    var shown = dated.slice(0, TIMELINE_ROWS);
    var min = Infinity, max = -Infinity;
    shown.forEach(function (f) { min = Math.min(min, Date.parse(f.exposure.first)); max = Math.max(max, Date.parse(f.exposure.last)); });
    if (max - min < DAY) { min -= DAY / 2; max += DAY / 2; }
    var left = 250, right = 20, top = 24, rowH = 14, width = 1000;
    var plot = width - left - right, height = top + shown.length * rowH + 8;
    var x = function (t) { return left + (t - min) / (max - min) * plot; };
    var root = svg('svg', { width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': 'When each secret was introduced and how long it stayed exposed' });
    var axis = svg('g', { 'class': 'axis' });
    ticks(min, max).forEach(function (t) {
      var tx = x(t.getTime());
      axis.appendChild(svg('line', { x1: tx, x2: tx, y1: top - 6, y2: height }));
      axis.appendChild(svg('text', { x: tx + 2, y: top - 10 }, [t.toISOString().slice(0, max - min > 90 * DAY ? 7 : 10)]));
    });
    root.appendChild(axis);
    shown.forEach(function (f, i) {
      var y = top + i * rowH;
      var x1 = x(Date.parse(f.exposure.first)), x2 = x(Date.parse(f.exposure.last));
      var label = f.ruleId + '  ' + f.secret;
      root.appendChild(svg('text', { 'class': 'label', x: left - 6, y: y + 10, 'text-anchor': 'end' }, [label.length > 38 ? label.slice(0, 37) + '\\u2026' : label]));
      var bar = svg('rect', { 'class': 'bar-' + f.severity, x: x1 - 2, y: y + 2, width: Math.max(4, x2 - x1 + 4), height: rowH - 4, rx: 2 });
      bar.appendChild(svg('title', {}, [f.ruleId + ' ' + f.secret + ': introduced ' + day(f.exposure.first) + ', last seen ' + day(f.exposure.last) + ' (' + f.exposure.days + ' days exposed)']));
      root.appendChild(bar);
    });
    box.appendChild(root);
    if (dated.length > shown.length) box.appendChild(el('p', { 'class': 'muted' }, ['The ' + shown.length + ' earliest of ' + dated.length + ' dated findings.']));
  }

  function render() {
    var rows = visible();
    renderTable(rows);
    renderTimeline(rows);
  }

  var kinds = {};
  data.findings.forEach(function (f) { f.kinds.forEach(function (k) { kinds[k] = true; }); });
  var kindSelect = document.getElementById('kind');
  Object.keys(kinds).sort().forEach(function (k) { kindSelect.appendChild(el('option', { value: k }, [k])); });

  document.getElementById('filter').addEventListener('input', function (e) { state.text = e.target.value; render(); });
  document.getElementById('severity').addEventListener('change', function (e) { state.severity = e.target.value; render(); });
  kindSelect.addEventListener('change', function (e) { state.kind = e.target.value; render(); });
  document.querySelectorAll('#findings thead th').forEach(function (th) {
    th.addEventListener('click', function () {
      var key = th.getAttribute('data-sort');
      state.sortDir = state.sortKey === key ? -state.sortDir : 1;
      state.sortKey = key;
      render();
    });
  });
  render();
})();
`;
