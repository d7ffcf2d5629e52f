// The resources panel: loads the project's record over REST, then follows its events over a WebSocket.
// Everything that comes from the server is put into the page with textContent, never as HTML.
(function () {
  'use strict';

  var guid = decodeURIComponent(location.pathname.split('/').pop() || '');
  var token = readToken();
  // counts the events that change the record (resources, deployed, error), so a REST read that was under way
  // while one arrived is known to be possibly older than what the panel shows
  var recordEvents = 0;
  // what the panel shows; a resources event is merged into it, as the server merges it into the stored record
  var current = {};
  var socket = null;
  var retryDelay = 1000;

  function $(id) { return document.getElementById(id); }

  function readToken() {
    var m = /(?:^#|&)token=([^&]+)/.exec(location.hash || '');
    if (m) {
      var t = decodeURIComponent(m[1]);
      try { sessionStorage.setItem('oneclick.token', t); } catch (e) { /* storage off: keep it in memory */ }
      history.replaceState(null, '', location.pathname + location.search);
      return t;
    }
    try { return sessionStorage.getItem('oneclick.token') || ''; } catch (e) { return ''; }
  }

  function setText(id, value) {
    $(id).textContent = value == null || value === '' ? '—' : String(value);
  }

  function showProblem(text) {
    var p = $('problem');
    p.textContent = text;
    p.hidden = !text;
  }

  function setConnection(state) {
    var c = $('connection');
    c.textContent = state;
    c.className = 'conn ' + (state === 'live' ? 'live' : state === 'connecting…' ? '' : 'down');
  }

  function safeHttpUrl(text) {
    if (typeof text !== 'string') { return null; }
    try {
      var u = new URL(text);
      // https only; http only for a loopback preview (the schema refuses other http links too)
      if (u.protocol === 'https:') { return u.href; }
      var loopback = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(u.hostname) || u.hostname === 'localhost'
          || u.hostname === '[::1]';
      return (u.protocol === 'http:' && loopback) ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  function showRow(key, visible) {
    $('row-' + key).hidden = !visible;
  }

  function showLastError(text) {
    var present = typeof text === 'string' && text !== '';
    $('lastError').textContent = present ? text : '';
    showRow('lastError', present);
  }

  function renderResources(res) {
    res = res && typeof res === 'object' ? res : {};
    var any = false;
    ['s3Bucket', 'ecsCluster', 'rdsEndpoint'].forEach(function (key) {
      var v = res[key];
      var present = typeof v === 'string' && v !== '';
      showRow(key, present);
      $(key).textContent = present ? v : '';
      any = any || present;
    });
    var cell = $('cloudFront');
    while (cell.firstChild) { cell.removeChild(cell.firstChild); }
    var url = res.cloudFrontUrl;
    var hasUrl = typeof url === 'string' && url !== '';
    showRow('cloudFrontUrl', hasUrl);
    if (hasUrl) {
      var href = safeHttpUrl(url);
      if (href) {
        var a = document.createElement('a');
        a.id = 'cloudFrontUrl';
        a.href = href;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        a.textContent = url;
        cell.appendChild(a);
      } else {
        var span = document.createElement('span');
        span.id = 'cloudFrontUrl';
        span.textContent = url;
        cell.appendChild(span);
      }
      any = true;
    }
    $('empty').hidden = any;
  }

  function plainObject(value) {
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  }

  function merged(under, over) {
    var out = {};
    [under, over].forEach(function (src) {
      Object.keys(src).forEach(function (k) { out[k] = src[k]; });
    });
    return out;
  }

  function renderRecord(record, stale) {
    if (!record) { return; }
    setText('projectName', record.projectName);
    var stored = plainObject(record.awsResources);
    if (!stale) {
      setText('status', record.status);
      showLastError(record.lastError);
      setText('updatedAt', record.updatedAt);
      current = stored;
    } else {
      // events newer than this read were shown already: keep them on top of the stored keys
      current = merged(stored, current);
    }
    renderResources(current);
  }

  function addActivity(event) {
    var li = document.createElement('li');
    li.textContent = '[' + (event.at || '') + '] ' + event.type + (event.message != null ? ': ' + event.message : '');
    var list = $('activity');
    list.insertBefore(li, list.firstChild);
    while (list.childNodes.length > 50) { list.removeChild(list.lastChild); }
  }

  function onEvent(event) {
    if (!event || typeof event.type !== 'string' || event.guid !== guid) { return; }
    if (event.type === 'subscribed') {
      setConnection('live');
      retryDelay = 1000;
      load();
      return;
    }
    addActivity(event);
    if (event.type === 'resources') {
      recordEvents++;
      current = merged(current, plainObject(event.data));
      renderResources(current);
      setText('updatedAt', event.at);
    } else {
      $('lastType').textContent = event.type;
      $('lastMessage').textContent = typeof event.message === 'string' ? event.message : '';
      if (event.type === 'deployed' || event.type === 'error') {
        // the server stored this outcome in the record before sending it
        recordEvents++;
        setText('status', event.type === 'deployed' ? 'DEPLOYED' : 'FAILED');
        showLastError(event.type === 'error' ? event.message : '');
        setText('updatedAt', event.at);
      }
    }
  }

  function load() {
    var eventsBefore = recordEvents;
    fetch('/api/projects/' + encodeURIComponent(guid) + '/resources', {
      headers: { 'Authorization': 'Bearer ' + token },
      cache: 'no-store'
    }).then(function (r) {
      return r.json().then(function (body) { return { status: r.status, body: body }; });
    }).then(function (r) {
      if (r.status !== 200) {
        showProblem((r.body && r.body.error) || ('The server answered ' + r.status + '.'));
        return;
      }
      showProblem('');
      renderRecord(r.body.resources, recordEvents !== eventsBefore);
    }).catch(function () {
      showProblem('Cannot reach the server.');
    });
  }

  function connect() {
    setConnection('connecting…');
    var scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(scheme + '//' + location.host + '/ws/projects/' + encodeURIComponent(guid));
    socket.onopen = function () {
      socket.send(JSON.stringify({ type: 'auth', token: token }));
    };
    socket.onmessage = function (m) {
      var event;
      try { event = JSON.parse(m.data); } catch (e) { return; }
      onEvent(event);
    };
    socket.onclose = function (e) {
      if (e.code === 1008) {
        setConnection('refused');
        showProblem('Live updates refused: ' + (e.reason || 'not allowed') + '.');
        return;
      }
      setConnection('offline');
      setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    };
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('guid').textContent = guid;
    if (!token) {
      showProblem('Sign in first: open this page as /projects/<guid>#token=<token>.');
      setConnection('signed out');
      return;
    }
    load();
    connect();
  });
}());
