// Ferry dashboard: plain JavaScript, no framework, no build step.
// The token comes from '#token=<JWT>' (then leaves the address) or the sign-in form, stays in this
// tab's sessionStorage, and is sent only in the Authorization header. Live updates come from
// GET /api/events (server-sent events read through fetch, so that the token stays in a header);
// when streaming fails the page polls GET /api/dashboard.
(function () {
  'use strict';
  var KEY = 'ferry.token';
  var panel = document.getElementById('panel');
  var signin = document.getElementById('signin');
  var reason = document.getElementById('signin-reason');
  var form = document.getElementById('signin-form');
  var input = document.getElementById('token-input');
  var signout = document.getElementById('signout');
  var modeBadge = document.getElementById('mode');
  var live = document.getElementById('live');
  var liveText = document.getElementById('live-text');
  var params = new URLSearchParams(location.search);
  var forcePolling = params.get('transport') === 'poll';
  var eventInterval = params.get('interval');
  var version = null;
  var stream = null;      // the AbortController of the open event stream
  var pollTimer = null;
  var generation = 0;     // bumps at each sign-in / sign-out: stale loops stop
  var samples = {};       // job id -> [{t: seconds, processed: n}]
  var COLORS = ['#2f6fed', '#1f9d55', '#c98a06', '#8e44ad'];

  function takeTokenFromAddress() {
    var match = /(?:^#|&)token=([^&]*)/.exec(location.hash);
    if (!match) return;
    var token = decodeURIComponent(match[1]);
    if (token) sessionStorage.setItem(KEY, token);
    history.replaceState(null, '', location.pathname + location.search);
  }

  function token() { return sessionStorage.getItem(KEY); }
  function headers(accept) { return { 'Authorization': 'Bearer ' + token(), 'Accept': accept }; }

  function setLive(state, text) {
    live.setAttribute('data-state', state);
    liveText.textContent = text;
  }

  function showSignIn(message, refused) {
    generation += 1;
    stopTransports();
    panel.innerHTML = '';
    panel.hidden = true;
    signin.hidden = false;
    signout.hidden = true;
    modeBadge.hidden = true;
    reason.textContent = message;
    reason.className = refused ? 'reason refused' : 'reason';
    setLive('off', 'not connected');
    input.focus();
  }

  function refused() {
    sessionStorage.removeItem(KEY);
    showSignIn('That token was refused: it is expired, malformed or not signed by this server. Paste another.', true);
  }

  function stopTransports() {
    if (stream) { stream.abort(); stream = null; }
    if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
  }

  // The panel, rendered by the server for the token's mode.
  var loading = null;
  function loadPanel() {
    if (loading) return loading;
    var mine = generation;
    loading = fetch('/api/dashboard', { headers: headers('text/html'), cache: 'no-store' }).then(function (response) {
      if (mine !== generation) return false;
      if (response.status === 401) { refused(); return false; }
      if (!response.ok) { setLive('error', 'server answered ' + response.status); return true; }
      return response.text().then(function (html) {
        if (mine !== generation) return false;
        panel.innerHTML = html;
        panel.hidden = false;
        signin.hidden = true;
        signout.hidden = false;
        var root = panel.firstElementChild;
        version = root ? root.getAttribute('data-version') : null;
        var mode = root ? root.getAttribute('data-mode') : '';
        modeBadge.textContent = mode;
        modeBadge.className = 'mode ' + mode + '-mode';
        modeBadge.hidden = !mode;
        if (pollTimer) sampleRows();
        drawPlot();
        return true;
      });
    }).catch(function () {
      if (mine === generation) setLive('error', 'server unreachable');
      return true;
    }).finally(function () { loading = null; });
    return loading;
  }

  // Server-sent events over fetch: 'event: snapshot' blocks with each job's live numbers.
  function openStream(mine) {
    var controller = new AbortController();
    stream = controller;
    var url = '/api/events' + (eventInterval ? '?interval=' + encodeURIComponent(eventInterval) : '');
    return fetch(url, { headers: headers('text/event-stream'), cache: 'no-store', signal: controller.signal }).then(function (response) {
      if (response.status === 401) { refused(); return 'refused'; }
      if (!response.ok || !response.body || !response.body.getReader) throw new Error('no stream');
      setLive('live', 'live');
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      var buffer = '';
      function next() {
        return reader.read().then(function (chunk) {
          if (chunk.done || mine !== generation) return 'ended';
          buffer += decoder.decode(chunk.value, { stream: true });
          var blocks = buffer.split('\n\n');
          buffer = blocks.pop();
          blocks.forEach(handleBlock);
          return next();
        });
      }
      return next();
    });
  }

  function handleBlock(block) {
    var event = 'message', data = [];
    block.split('\n').forEach(function (line) {
      if (line.indexOf('event:') === 0) event = line.slice(6).trim();
      else if (line.indexOf('data:') === 0) data.push(line.slice(5).replace(/^ /, ''));
    });
    if (event !== 'snapshot' || data.length === 0) return;
    var snapshot;
    try { snapshot = JSON.parse(data.join('\n')); } catch (e) { return; }
    applySnapshot(snapshot);
  }

  function applySnapshot(snapshot) {
    if (snapshot.version !== version) loadPanel();
    snapshot.jobs.forEach(function (job) {
      var row = document.getElementById('job-' + job.id);
      if (row) {
        var percent = Math.floor(job.progress);
        var fill = row.querySelector('.fill');
        if (fill) fill.style.width = percent + '%';
        var bar = row.querySelector('.bar');
        if (bar) bar.setAttribute('aria-valuenow', String(percent));
        setText(row, '.processed', job.processed_text);
        setText(row, '.pct', percent + '%');
        setText(row, '.rate', job.rate_text);
        setText(row, '.eta', job.eta_text);
        row.setAttribute('data-processed', String(job.processed));
      }
      if (job.status === 'in_progress') addSample(job.id, snapshot.taken_at, job.processed);
    });
    drawPlot();
  }

  function setText(row, selector, text) {
    var cell = row.querySelector(selector);
    if (cell && cell.textContent !== text) cell.textContent = text;
  }

  function addSample(id, t, processed) {
    var list = samples[id] || (samples[id] = []);
    var last = list[list.length - 1];
    if (last && last.t >= t) return;
    list.push({ t: t, processed: processed });
    if (list.length > 240) list.shift();
  }

  // When polling, the rows themselves give the samples (streaming, the events do).
  function sampleRows() {
    var now = Date.now() / 1000;
    Array.prototype.forEach.call(panel.querySelectorAll('tr.job[data-status="in_progress"]'), function (row) {
      addSample(row.getAttribute('data-id'), now, Number(row.getAttribute('data-processed')));
    });
  }

  // Throughput: records a second between successive samples, for the last two minutes.
  function drawPlot() {
    var svg = document.getElementById('plot');
    var legend = document.getElementById('plot-legend');
    if (!svg) return;
    // Drawn in the element's own pixels, so that text is not stretched; the time axis spans what
    // was sampled, from 10 s up to two minutes.
    var width = Math.max(200, Math.round(svg.getBoundingClientRect().width)), height = 150, top = 14, bottom = 8, left = 56;
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    var now = Date.now() / 1000, first = now;
    Object.keys(samples).forEach(function (id) {
      samples[id].forEach(function (s) { if (s.t >= now - 120 && s.t < first) first = s.t; });
    });
    var span = Math.min(120, Math.max(10, now - first));
    var series = [];
    Object.keys(samples).forEach(function (id) {
      var list = samples[id].filter(function (s) { return s.t >= now - span - 5; });
      var points = [];
      // Over a sliding two-second window: progress is stored in steps, not continuously.
      var j = 0;
      for (var i = 1; i < list.length; i++) {
        while (j < i - 1 && list[i].t - list[j + 1].t >= 2) j++;
        var dt = list[i].t - list[j].t;
        if (dt > 0) points.push({ t: list[i].t, rate: Math.max(0, (list[i].processed - list[j].processed) / dt) });
      }
      if (points.length > 0) series.push({ id: id, points: points });
    });
    series = series.slice(-COLORS.length);
    var max = 1;
    series.forEach(function (s) { s.points.forEach(function (p) { if (p.rate > max) max = p.rate; }); });
    var ns = 'http://www.w3.org/2000/svg';
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    for (var g = 0; g <= 3; g++) {
      var y = top + (height - top - bottom) * g / 3;
      var line = document.createElementNS(ns, 'line');
      line.setAttribute('class', 'grid');
      line.setAttribute('x1', String(left)); line.setAttribute('x2', String(width));
      line.setAttribute('y1', String(y)); line.setAttribute('y2', String(y));
      svg.appendChild(line);
      var label = document.createElementNS(ns, 'text');
      label.setAttribute('class', 'axis-label');
      label.setAttribute('x', String(left - 6)); label.setAttribute('y', String(y + 4));
      label.setAttribute('text-anchor', 'end');
      label.textContent = Math.round(max * (3 - g) / 3).toLocaleString('en-US') + '/s';
      svg.appendChild(label);
    }
    legend.innerHTML = '';
    series.forEach(function (s, index) {
      var polyline = document.createElementNS(ns, 'polyline');
      polyline.setAttribute('stroke', COLORS[index]);
      var area = document.createElementNS(ns, 'polygon');
      var baseline = (height - bottom).toFixed(1);
      var coords = s.points.map(function (p) {
        return (left + (width - left) * (1 - (now - p.t) / span)).toFixed(1) + ',' + (height - bottom - p.rate / max * (height - top - bottom)).toFixed(1);
      });
      area.setAttribute('points', coords[0].split(',')[0] + ',' + baseline + ' ' + coords.join(' ') + ' ' + coords[coords.length - 1].split(',')[0] + ',' + baseline);
      area.setAttribute('fill', COLORS[index]);
      area.setAttribute('fill-opacity', '0.12');
      svg.appendChild(area);
      polyline.setAttribute('points', s.points.map(function (p) {
        var x = left + (width - left) * (1 - (now - p.t) / span);
        var y = height - bottom - p.rate / max * (height - top - bottom);
        return x.toFixed(1) + ',' + y.toFixed(1);
      }).join(' '));
      svg.appendChild(polyline);
      var item = document.createElement('span');
      var swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = COLORS[index];
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(s.id));
      legend.appendChild(item);
    });
    var caption = document.getElementById('plot-caption');
    if (caption) caption.textContent = series.length ? 'records a second, last ' + Math.round(span) + ' s' : 'no job running now';
  }

  function startPolling(mine) {
    if (mine !== generation || pollTimer) return;
    setLive('polling', 'polling every 2 s');
    pollTimer = setInterval(function () {
      if (mine !== generation) return;
      loadPanel();
    }, 2000);
  }

  function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  // Stream, reconnecting when a stream ends; after two failures in a row, poll instead.
  function run(mine) {
    if (forcePolling) { startPolling(mine); return; }
    var failures = 0;
    (function loop() {
      if (mine !== generation) return;
      openStream(mine).then(function (outcome) {
        if (outcome === 'refused') return;
        failures = 0;
        return sleep(500).then(loop);
      }).catch(function () {
        if (mine !== generation) return;
        failures += 1;
        if (failures >= 2) { startPolling(mine); return; }
        return sleep(1000).then(loop);
      });
    })();
  }

  function start() {
    if (!token()) { showSignIn('Paste an access token to see this server\'s exports, imports and pipelines.', false); return; }
    generation += 1;
    var mine = generation;
    loadPanel().then(function (ok) { if (ok && mine === generation) run(mine); });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var value = input.value.trim();
    if (!value) return;
    sessionStorage.setItem(KEY, value);
    input.value = '';
    start();
  });

  signout.addEventListener('click', function () {
    sessionStorage.removeItem(KEY);
    showSignIn('Signed out. Paste a token to sign in again.', false);
  });

  window.addEventListener('hashchange', function () {
    if (/token=/.test(location.hash)) { takeTokenFromAddress(); start(); }
  });

  setInterval(drawPlot, 1000);
  takeTokenFromAddress();
  start();
})();
