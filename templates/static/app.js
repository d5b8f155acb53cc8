// Progressive enhancement for the signup and preference forms (the pages work without it):
// pre-fill the time zone, offer time-zone suggestions, show the weekday only for weekly digests,
// and a live preview of the papers the topics would have matched on the latest day.
(function () {
  'use strict';
  var tz = document.getElementById('timeZone');
  if (tz) {
    try {
      var browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (browserZone && tz.value === 'UTC' && !tz.form.matches('#preferences-form')) tz.value = browserZone;
      var list = document.getElementById('time-zones');
      if (list && typeof Intl.supportedValuesOf === 'function') {
        Intl.supportedValuesOf('timeZone').forEach(function (z) {
          var o = document.createElement('option');
          o.value = z;
          list.appendChild(o);
        });
      }
    } catch (e) { /* keep the server default */ }
  }

  var weekday = document.getElementById('weekday-field');
  var radios = document.querySelectorAll('input[name="frequency"]');
  function syncWeekday() {
    var weekly = document.querySelector('input[name="frequency"][value="weekly"]');
    if (weekday && weekly) weekday.classList.toggle('hidden', !weekly.checked);
  }
  radios.forEach(function (r) { r.addEventListener('change', syncWeekday); });
  syncWeekday();

  var topics = document.getElementById('topics');
  var panel = document.getElementById('preview');
  if (!topics || !panel) return;
  var status = document.getElementById('preview-status');
  var listEl = document.getElementById('preview-list');
  var maxPapers = document.getElementById('maxPapers');
  var timer = null;
  var seq = 0;
  panel.hidden = false;

  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function render(data, lines) {
    clear(listEl);
    var problems = [];
    (data.topicErrors || []).forEach(function (err, i) { if (err) problems.push('Topic ' + (i + 1) + ' (' + lines[i] + '): ' + err); });
    (data.unusedWords || []).forEach(function (words, i) {
      if (words && words.length) {
        problems.push('Topic ' + (i + 1) + ': no paper of ' + data.day + ' uses ' + words.map(function (w) { return '\u201c' + w.replace(/^"|"$/g, '') + '\u201d'; }).join(', ') + ' \u2014 check the spelling, or try the word the papers use.');
      }
    });
    if (!data.day) {
      status.textContent = 'No papers are stored yet, so there is nothing to preview.';
    } else if (data.matches.length === 0) {
      status.textContent = 'None of the ' + data.papersThatDay + ' papers of ' + data.day + ' would have matched.';
    } else {
      status.textContent = data.matches.length + ' of the ' + data.papersThatDay + ' papers of ' + data.day + ' would have matched:';
    }
    if (problems.length) status.textContent += ' ' + problems.join(' ');
    data.matches.forEach(function (m) {
      var li = el('li');
      var title = m.url ? el('a', null, m.title) : el('strong', null, m.title);
      if (m.url) { title.href = m.url; title.rel = 'noopener noreferrer'; title.target = '_blank'; }
      li.appendChild(title);
      if (m.authors && m.authors.length) li.appendChild(el('span', 'authors', m.authors.join(', ')));
      li.appendChild(el('span', 'why', m.why));
      listEl.appendChild(li);
    });
  }

  function run() {
    var lines = topics.value.split(/\r?\n/).map(function (t) { return t.trim(); }).filter(Boolean).slice(0, 10);
    if (!lines.length) {
      clear(listEl);
      status.textContent = 'Type a topic to see which papers of the latest day would have matched.';
      return;
    }
    var mine = ++seq;
    var max = parseInt(maxPapers && maxPapers.value, 10);
    var body = { topics: lines };
    if (max >= 1 && max <= 50) body.maxPapers = max;
    status.textContent = 'Looking…';
    fetch('/api/preview', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : r.json().then(function (j) { throw new Error(j.error && j.error.message || 'Preview unavailable.'); }); })
      .then(function (data) { if (mine === seq) render(data, lines); })
      .catch(function (e) { if (mine === seq) status.textContent = e.message || 'Preview unavailable.'; });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(run, 350);
  }
  topics.addEventListener('input', schedule);
  if (maxPapers) maxPapers.addEventListener('change', schedule);
  if (topics.value.trim()) run();
}());
