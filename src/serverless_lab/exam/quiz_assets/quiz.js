/* Serverless Lab Book: chapter quizzes and the revision app (plain ES2017, no dependencies).
 *
 * Every fragment inlines this file, so it may run several times on one page (a Sphinx page,
 * or JupyterLab output cells added at any time): it defines window.SLBQuiz once and then
 * initialises every .slb-quiz element that is not initialised yet. All DOM queries are scoped
 * to the quiz element.
 *
 * The pure logic (PRNG, mock-exam draw, Leitner boxes, score reports, the history plot) is in
 * quiz_logic.js, inlined just before this file (window.SLBQuizLogic).
 *
 * localStorage (this browser only):
 *   "serverless-lab-book/progress" = {"<question id>": {"box": 1-5, "right": n, "wrong": n, "last": ms}}
 *   "serverless-lab-book/exam" = the running mock exam or retake (survives a reload).
 *   "serverless-lab-book/history" = [attempt, ...], the finished attempts, oldest first.
 *
 * The revision page embeds the exam's weights and task titles (data.exam, see quiz_html.py).
 */
(function () {
  'use strict';

  if (window.SLBQuiz) {
    window.SLBQuiz.initAll();
    return;
  }

  var STORAGE_KEY = 'serverless-lab-book/progress';
  var SESSION_KEY = 'serverless-lab-book/exam';
  var HISTORY_KEY = 'serverless-lab-book/history';
  var L = window.SLBQuizLogic;
  var grade = L.grade;
  var clampBox = L.clampBox;
  var examConfig = L.examConfig;
  var percent = L.percent;

  /* ---------- storage ---------- */

  var memory = {};

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function readJson(key, fallback, accept) {
    var store = storage();
    try {
      var raw = store ? store.getItem(key) : memory[key];
      var data = raw ? JSON.parse(raw) : fallback;
      return accept(data) ? data : fallback;
    } catch (e) {
      return fallback;
    }
  }

  function writeJson(key, value) {
    var text = value === null ? null : JSON.stringify(value);
    if (text === null) delete memory[key]; else memory[key] = text;
    var store = storage();
    try {
      if (!store) return;
      if (text === null) store.removeItem(key); else store.setItem(key, text);
    } catch (e) { /* full or blocked: the copy in memory lasts as long as the page */ }
  }

  function isObject(data) {
    return !!data && typeof data === 'object' && !Array.isArray(data);
  }

  function loadProgress() {
    return readJson(STORAGE_KEY, {}, isObject);
  }

  function saveResults(results) {
    var progress = loadProgress();
    var now = Date.now();
    results.forEach(function (r) { progress[r.id] = L.record(progress[r.id], r.right, now); });
    writeJson(STORAGE_KEY, progress);
    window.dispatchEvent(new CustomEvent('slb-progress'));
    return progress;
  }

  function loadHistory() {
    return readJson(HISTORY_KEY, [], Array.isArray);
  }

  function loadSession() {
    return readJson(SESSION_KEY, null, function (s) { return isObject(s) && Array.isArray(s.ids); });
  }

  /* ---------- one question's form ---------- */

  function letters(keys) {
    return keys.map(function (k) { return k.toUpperCase(); }).join(', ');
  }

  function selectedKeys(form) {
    return Array.from(form.querySelectorAll('.slb-options input:checked')).map(function (i) { return i.value; }).sort();
  }

  function setKeys(form, keys) {
    Array.from(form.querySelectorAll('.slb-options input')).forEach(function (input) {
      input.checked = keys.indexOf(input.value) >= 0;
    });
  }

  function verdictText(question, keys, right) {
    var many = question.answer.length > 1;
    if (right) return 'Right! ' + letters(question.answer) + (many ? ' are' : ' is') + ' correct.';
    return (keys.length ? 'Wrong. ' : 'Not answered. ') + 'The correct ' + (many ? 'answers are ' : 'answer is ') +
      letters(question.answer) + '.';
  }

  function reveal(form, question, keys, right) {
    var feedback = form.querySelector('.slb-feedback');
    var verdict = feedback.querySelector('.slb-verdict');
    verdict.textContent = verdictText(question, keys, right);
    verdict.className = 'slb-verdict ' + (right ? 'slb-right' : 'slb-wrong');
    Array.from(form.querySelectorAll('.slb-option')).forEach(function (li) {
      var key = li.getAttribute('data-key');
      li.classList.toggle('slb-chosen', keys.indexOf(key) >= 0);
      li.classList.toggle('slb-correct', question.answer.indexOf(key) >= 0);
    });
    Array.from(form.querySelectorAll('.slb-why')).forEach(function (li) {
      li.classList.toggle('slb-chosen', keys.indexOf(li.getAttribute('data-key')) >= 0);
    });
    Array.from(form.querySelectorAll('.slb-options input')).forEach(function (i) { i.disabled = true; });
    Array.from(form.querySelectorAll('.slb-whys, .slb-links')).forEach(function (e) { e.hidden = false; });
    form.classList.add('slb-answered');
    form.querySelector('.slb-check').hidden = true;
    feedback.hidden = false;
  }

  function resetForm(form) {
    Array.from(form.querySelectorAll('.slb-options input')).forEach(function (i) { i.disabled = false; i.checked = false; });
    Array.from(form.querySelectorAll('.slb-option, .slb-why')).forEach(function (li) {
      li.classList.remove('slb-chosen', 'slb-correct');
    });
    form.classList.remove('slb-answered');
    form.querySelector('.slb-feedback').hidden = true;
    form.querySelector('.slb-check').hidden = false;
  }

  function askFirst(form) {
    var verdict = form.querySelector('.slb-verdict');
    verdict.textContent = 'Choose an answer first.';
    verdict.className = 'slb-verdict';
    form.querySelector('.slb-feedback').hidden = false;
    Array.from(form.querySelectorAll('.slb-whys, .slb-links')).forEach(function (e) { e.hidden = true; });
  }

  /* Wire Check, and Try again if onRetry is given; onAnswer(question, keys, right) runs after
   * each check. */
  function wireForm(form, question, onAnswer, onRetry) {
    form.addEventListener('submit', function (event) { event.preventDefault(); });
    var retry = form.querySelector('.slb-retry');
    form.querySelector('.slb-check').addEventListener('click', function () {
      var keys = selectedKeys(form);
      if (!keys.length) { askFirst(form); return; }
      var right = grade(question, keys);
      reveal(form, question, keys, right);
      retry.hidden = !onRetry;
      showBadge(form, null);
      if (onAnswer) onAnswer(question, keys, right);
    });
    retry.addEventListener('click', function () {
      resetForm(form);
      retry.hidden = true;
      if (onRetry) onRetry();
      focusQuestion(form);
    });
  }

  /* Focus a question's stem (it has tabindex=-1), so that keyboard and screen-reader users
   * land on the question rather than on the page body. */
  function focusQuestion(container) {
    var target = container && container.querySelector('.slb-stem');
    if (target) target.focus();
  }

  function showBadge(form, entry) {
    var badge = form.querySelector('.slb-badge');
    if (!badge) return;
    badge.hidden = !entry;
    if (!entry) return;
    var right = clampBox(entry.box) >= 2;
    badge.textContent = right ? '\u2713 answered right before' : '\u2717 missed last time';
    badge.className = 'slb-badge ' + (right ? 'slb-badge-right' : 'slb-badge-wrong');
  }

  function readData(root) {
    var node = root.querySelector('script.slb-quiz-data');
    return JSON.parse(node.textContent);
  }

  function index(questions) {
    var byId = {};
    questions.forEach(function (q) { byId[q.id] = q; });
    return byId;
  }

  function onStorage(key, callback) {
    window.addEventListener('storage', function (event) { if (event.key === key) callback(); });
  }

  function onProgressChange(callback) {
    window.addEventListener('slb-progress', callback);
    onStorage(STORAGE_KEY, callback);
  }

  /* ---------- a chapter's quiz ---------- */

  function initChapter(root, data) {
    var byId = index(data.questions);
    var forms = Array.from(root.querySelectorAll('form.slb-question'));
    var score = root.querySelector('.slb-score');
    function refresh() {
      var progress = loadProgress();
      var right = 0;
      forms.forEach(function (form) {
        var entry = progress[form.getAttribute('data-qid')];
        showBadge(form, form.classList.contains('slb-answered') ? null : entry);
        if (entry && clampBox(entry.box) >= 2) right += 1;
      });
      score.textContent = 'Score: ' + right + ' / ' + forms.length + ' answered right';
    }
    score.setAttribute('tabindex', '-1');
    forms.forEach(function (form, i) {
      wireForm(form, byId[form.getAttribute('data-qid')], function (q, keys, right) {
        saveResults([{ id: q.id, right: right }]);
        if (forms[i + 1]) focusQuestion(forms[i + 1]); else score.focus();
      }, refresh);
    });
    onProgressChange(refresh);
    refresh();
  }

  /* ---------- small DOM helpers ---------- */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function button(label, onClick, className) {
    var b = el('button', 'slb-button' + (className ? ' ' + className : ''), label);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  }

  function clock(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000));
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ':' + (s < 10 ? '0' : '') + s;
  }

  function checkedValues(root, group) {
    return Array.from(root.querySelectorAll('fieldset[data-filter="' + group + '"] input:checked')).map(function (i) { return i.value; });
  }

  function scoreTable(className, label, rows) {
    var table = el('table', 'slb-plan ' + className);
    var head = table.appendChild(el('thead')).appendChild(el('tr'));
    [label, 'Right', 'Questions', 'Score'].forEach(function (h) { head.appendChild(el('th', '', h)); });
    var body = table.appendChild(el('tbody'));
    rows.forEach(function (r) {
      var row = body.appendChild(el('tr'));
      row.setAttribute(r.attr, r.key);
      [r.label, r.right, r.total, r.total ? percent(r.right, r.total) + ' %' : '\u2013'].forEach(function (v, i) {
        var cell = row.appendChild(el(i ? 'td' : 'th', '', String(v)));
        if (!i) cell.setAttribute('scope', 'row');
      });
    });
    return table;
  }

  function missedCard(app, id, keys) {
    var q = app.byId[id];
    var holder = el('div', 'slb-card');
    holder.insertAdjacentHTML('beforeend', q.html);
    var form = holder.querySelector('form.slb-question');
    setKeys(form, keys);
    reveal(form, q, keys, false);
    return holder;
  }

  /* ---------- the revision app: practice ---------- */

  function initPractice(root, app) {
    var area = root.querySelector('.slb-practice-area');
    var status = root.querySelector('.slb-practice-status');
    var session = { queue: [], pos: 0, right: 0, answered: 0 };
    var hasTasks = !!root.querySelector('fieldset[data-filter="tasks"]');

    function filtered() {
      var domains = checkedValues(root, 'domains');
      var chapters = checkedValues(root, 'chapters');
      var tasks = checkedValues(root, 'tasks');
      return app.questions.filter(function (q) {
        return domains.indexOf(q.domain) >= 0 && chapters.indexOf(q.chapter) >= 0 &&
          (!hasTasks || !q.task || tasks.indexOf(q.task) >= 0);
      });
    }
    function renderBoxes() {
      var counts = L.boxCounts(filtered(), loadProgress(), Date.now());
      Object.keys(counts).forEach(function (box) {
        var row = root.querySelector('.slb-boxes tr[data-box="' + box + '"]');
        row.querySelector('.slb-box-total').textContent = counts[box].total;
        row.querySelector('.slb-box-due').textContent = counts[box].due;
      });
    }
    function showStatus() {
      status.textContent = session.answered ? 'This session: ' + session.right + ' right of ' + session.answered + '.' : '';
    }
    function roundFinished() {
      var plan = L.practiceQueue(filtered(), loadProgress(), Date.now(), app.seed());
      var done = el('p', 'slb-note', plan.due.length ? 'Round finished: ' + plan.due.length + ' questions are due again.'
        : 'Nothing is due in the chosen domains, tasks and chapters.');
      done.setAttribute('tabindex', '-1');
      area.appendChild(done);
      if (!plan.due.length && plan.later.length) {
        area.appendChild(button('Practise questions not due yet', function () { start(plan.later); }));
      }
      done.focus();
    }
    function showNext() {
      area.textContent = '';
      if (session.pos >= session.queue.length) { roundFinished(); return; }
      var question = app.byId[session.queue[session.pos]];
      var holder = el('div', 'slb-card');
      holder.appendChild(el('p', 'slb-note', 'Question ' + (session.pos + 1) + ' of ' + session.queue.length + ' \u00b7 ' + question.chapter));
      holder.insertAdjacentHTML('beforeend', question.html);
      area.appendChild(holder);
      var form = holder.querySelector('form.slb-question');
      showBadge(form, loadProgress()[question.id]);
      wireForm(form, question, function (q, keys, right) {
        session.answered += 1;
        if (right) session.right += 1;
        saveResults([{ id: q.id, right: right }]);
        showStatus();
        var next = button('Next question', function () { session.pos += 1; showNext(); }, 'slb-next');
        form.appendChild(next);
        next.focus();
      });
      focusQuestion(holder);
    }
    function start(ids) {
      session.queue = ids;
      session.pos = 0;
      showNext();
    }
    root.querySelector('.slb-practice-start').addEventListener('click', function () {
      if (!app.endExamFor('Starting practice')) return;
      start(L.practiceQueue(filtered(), loadProgress(), Date.now(), app.seed()).due);
    });
    Array.from(root.querySelectorAll('fieldset.slb-filter input')).forEach(function (i) { i.addEventListener('change', renderBoxes); });
    onProgressChange(renderBoxes);
    renderBoxes();
    return { clear: function () { area.textContent = ''; session.queue = []; } };
  }

  /* ---------- the revision app: history of attempts ---------- */

  function attemptRow(app, attempt, number) {
    var row = el('tr');
    row.setAttribute('data-attempt', String(number));
    var what = (attempt.kind === 'retake' ? 'Retake' : 'Mock exam') + ', ' + (attempt.mode === 'review' ? 'review' : 'timed');
    var cells = [String(number), new Date(attempt.at).toISOString().slice(0, 10), what,
      attempt.right + ' / ' + attempt.total + ' (' + percent(attempt.right, attempt.total) + ' %)'];
    app.config.domains.forEach(function (d) {
      var pair = attempt.domains && attempt.domains[d];
      cells.push(pair ? percent(pair[0], pair[1]) + ' %' : '\u2013');
    });
    cells.forEach(function (text, i) { row.appendChild(el(i ? 'td' : 'th', '', text)); });
    var action = row.appendChild(el('td'));
    var missed = (attempt.missed || []).filter(function (id) { return app.byId[id]; });
    if (missed.length) {
      action.appendChild(button('Retake ' + missed.length + ' wrong', function () {
        app.retake(missed, attempt.seed);
      }, 'slb-history-retake'));
    }
    return row;
  }

  function initHistory(root, app) {
    var plot = root.querySelector('.slb-history-plot');
    var table = root.querySelector('.slb-history-table');
    var empty = root.querySelector('.slb-history-empty');
    function render() {
      var attempts = loadHistory();
      empty.hidden = attempts.length > 0;
      plot.hidden = table.hidden = !attempts.length;
      root.querySelector('.slb-history-clear').hidden = !attempts.length;
      plot.innerHTML = attempts.length ? L.historySvg(attempts, app.config.domains) +
        L.historyLegend(app.config.domains, app.config.titles) : '';
      var body = table.querySelector('tbody');
      body.textContent = '';
      attempts.forEach(function (a, i) { body.appendChild(attemptRow(app, a, i + 1)); });
    }
    root.querySelector('.slb-history-clear').addEventListener('click', function () {
      if (!window.confirm('Delete the history of your attempts in this browser?')) return;
      writeJson(HISTORY_KEY, null);
      render();
    });
    onStorage(HISTORY_KEY, render);
    render();
    return {
      add: function (attempt) { writeJson(HISTORY_KEY, L.addAttempt(loadHistory(), attempt)); render(); }
    };
  }

  /* ---------- the revision app: the mock exam and retakes ---------- */

  function examResult(app, session, report, timeUp) {
    var result = app.root.querySelector('.slb-exam-result');
    result.textContent = '';
    var heading = result.appendChild(el('p', 'slb-heading', session.kind === 'retake' ? 'Result of the retake' : 'Result of the mock exam'));
    heading.setAttribute('tabindex', '-1');
    if (timeUp) result.appendChild(el('p', 'slb-note slb-wrong', 'Time is up.'));
    result.appendChild(el('p', 'slb-exam-overall', 'Overall: ' + report.right + ' / ' + report.total + ' right (' +
      percent(report.right, report.total) + ' %)'));
    result.appendChild(scoreTable('slb-exam-domains', 'Domain', app.config.domains.map(function (d) {
      return { attr: 'data-domain', key: d, label: app.config.titles[d] || d, right: report.domains[d].right, total: report.domains[d].total };
    })));
    var tasks = Object.keys(report.tasks).sort(L.byTask);
    if (tasks.length) {
      result.appendChild(scoreTable('slb-exam-tasks', 'Task', tasks.map(function (t) {
        var title = app.config.tasks[t];
        return { attr: 'data-task', key: t, label: title ? t + ' ' + title : t, right: report.tasks[t].right, total: report.tasks[t].total };
      })));
    }
    result.appendChild(el('p', 'slb-note', 'Seed ' + session.seed + ': enter it again to replay this exam. AWS reports a scaled score (100\u20131,000, pass at 720), not this percentage.'));
    if (report.missed.length) {
      result.appendChild(button('Retake the ' + report.missed.length + ' questions I got wrong', function () {
        app.retake(report.missed, session.seed);
      }, 'slb-exam-retake'));
      result.appendChild(el('p', 'slb-heading', 'Missed questions (' + report.missed.length + ')'));
    }
    report.missed.forEach(function (id) { result.appendChild(missedCard(app, id, session.answers[id] || [])); });
    result.hidden = false;
    heading.focus();
  }

  function reviewList(title, entries, onPick) {
    var box = el('div', 'slb-review-group');
    box.appendChild(el('p', 'slb-review-title', title + ' (' + entries.length + ')'));
    var list = box.appendChild(el('ul', 'slb-review-list'));
    entries.forEach(function (pos) {
      list.appendChild(el('li')).appendChild(button('Question ' + (pos + 1), function () { onPick(pos); }));
    });
    return box;
  }

  function initExam(root, app) {
    var run = root.querySelector('.slb-exam-run');
    var area = root.querySelector('.slb-exam-area');
    var holder = root.querySelector('.slb-exam-question');
    var review = root.querySelector('.slb-exam-review');
    var timer = root.querySelector('.slb-timer');
    var progressText = root.querySelector('.slb-exam-progress');
    var flag = root.querySelector('.slb-exam-flag');
    var s = null;
    var interval = null;

    function save() { if (s && !s.done) writeJson(SESSION_KEY, s); }
    function running() { return !!(s && !s.done); }
    function idAt(pos) { return s.ids[pos]; }
    function isAnswered(id) { return (s.answers[id] || []).length > 0; }
    function positions(test) {
      return s.ids.map(function (id, pos) { return test(id) ? pos : -1; }).filter(function (p) { return p >= 0; });
    }
    function answeredCount() { return positions(isAnswered).length; }
    function flaggedCount() { return positions(function (id) { return s.flags[id]; }).length; }

    function tick() {
      if (!running()) return;
      if (s.end === null) { timer.textContent = 'No time limit'; return; }
      var left = s.end - Date.now();
      timer.textContent = clock(left);
      if (left <= 0) finish(true);
    }
    function showProgress() {
      var flagged = flaggedCount();
      progressText.textContent = 'Question ' + (s.pos + 1) + ' of ' + s.ids.length + ' \u00b7 answered ' + answeredCount() +
        (flagged ? ' \u00b7 flagged ' + flagged : '');
      var on = !!s.flags[idAt(s.pos)];
      flag.setAttribute('aria-pressed', on ? 'true' : 'false');
      flag.textContent = on ? '\u2691 Flagged' : 'Flag for review';
    }
    function wireTimed(form, id) {
      form.addEventListener('submit', function (event) { event.preventDefault(); });
      form.addEventListener('change', function () { s.answers[id] = selectedKeys(form); save(); showProgress(); });
    }
    function wireReview(form, q) {
      var id = q.id;
      if (s.checked[id]) {
        form.addEventListener('submit', function (event) { event.preventDefault(); });
        reveal(form, q, s.answers[id] || [], grade(q, s.answers[id] || []));
        return;
      }
      form.addEventListener('change', function () { s.answers[id] = selectedKeys(form); save(); showProgress(); });
      wireForm(form, q, function (question, keys, right) {
        s.answers[id] = keys;
        s.checked[id] = true;
        save();
        showProgress();
        app.announce(right ? 'Right.' : 'Wrong.');
        var last = s.pos === s.ids.length - 1;
        root.querySelector(last ? '.slb-exam-review-open' : '.slb-exam-next').focus();
      });
    }
    function show(pos, focus) {
      s.pos = Math.min(Math.max(pos, 0), s.ids.length - 1);
      save();
      var q = app.byId[idAt(s.pos)];
      holder.innerHTML = q.html;
      var form = holder.querySelector('form.slb-question');
      setKeys(form, s.answers[q.id] || []);
      if (s.mode === 'review') wireReview(form, q); else wireTimed(form, q.id);
      root.querySelector('.slb-exam-prev').disabled = s.pos === 0;
      root.querySelector('.slb-exam-next').disabled = s.pos === s.ids.length - 1;
      showProgress();
      if (focus) focusQuestion(holder);
    }
    function pick(pos) {
      review.hidden = true;
      area.hidden = false;
      show(pos, true);
    }
    function openReview() {
      var unanswered = positions(function (id) { return !isAnswered(id); });
      var flagged = positions(function (id) { return s.flags[id]; });
      var lists = review.querySelector('.slb-review-lists');
      lists.textContent = '';
      lists.appendChild(reviewList('Unanswered', unanswered, pick));
      lists.appendChild(reviewList('Flagged for review', flagged, pick));
      lists.appendChild(reviewList('Answered', positions(isAnswered), pick));
      review.querySelector('.slb-review-summary').textContent = s.ids.length + ' questions: ' + (s.ids.length - unanswered.length) +
        ' answered, ' + unanswered.length + ' unanswered, ' + flagged.length + ' flagged.';
      area.hidden = true;
      review.hidden = false;
      review.querySelector('.slb-review-heading').focus();
    }
    function stop() {
      if (interval) clearInterval(interval);
      interval = null;
      run.hidden = true;
      document.documentElement.classList.remove('slb-exam-running');
      holder.textContent = '';
    }
    function finish(timeUp) {
      if (!running()) return;
      s.done = true;
      writeJson(SESSION_KEY, null);
      stop();
      var report = L.scoreReport(app.byId, s.ids, s.answers, app.config.domains);
      saveResults(s.ids.filter(isAnswered).map(function (id) { return { id: id, right: report.missed.indexOf(id) < 0 }; }));
      app.history.add(L.attemptOf(s, report, Date.now()));
      examResult(app, s, report, timeUp);
      app.announce((timeUp ? 'Time is up. ' : '') + 'Score: ' + report.right + ' of ' + report.total + ' right.');
    }
    function requestFinish() {
      var left = s.ids.length - answeredCount();
      if (left && !window.confirm(left + ' of ' + s.ids.length + ' questions are unanswered and will count as wrong. Finish anyway?')) return;
      finish(false);
    }
    function noteFor(plan) {
      var note = (s.kind === 'retake' ? 'Retake of ' + s.ids.length + ' questions you got wrong. ' : 'Seed ' + s.seed + '. ') +
        (s.mode === 'review' ? 'Review mode: check each answer as you go; no time limit.' : 'Timed mode: ' + s.minutes + ' minutes, feedback at the end.');
      if (!plan || plan.ids.length >= plan.total) return note;
      var short = app.config.domains.filter(function (d) { return plan.used[d] < plan.shares[d]; }).map(function (d) {
        return d + ' ' + plan.used[d] + ' of ' + plan.shares[d];
      });
      return note + ' The bank has ' + plan.bankSize + ' questions: this mock exam uses ' + plan.ids.length + ' of ' + plan.total +
        ' (all the questions of ' + short.join(', ') + ').';
    }
    function open(plan, focus) {
      root.querySelector('.slb-exam-note').textContent = noteFor(plan);
      root.querySelector('.slb-exam-result').hidden = true;
      area.classList.toggle('slb-mode-review', s.mode === 'review');
      area.classList.toggle('slb-mode-timed', s.mode !== 'review');
      run.hidden = false;
      area.hidden = false;
      document.documentElement.classList.add('slb-exam-running');  // see quiz.css
      review.hidden = true;
      if (interval) clearInterval(interval);
      interval = setInterval(tick, 1000);
      tick();
      if (running()) show(s.pos, focus);
    }
    function begin(kind, ids, seed, plan) {
      if (!app.endExamFor('Starting a new one')) return;
      app.clearPractice();
      var mode = app.mode();
      var minutes = plan ? plan.minutes : L.timedMinutes(ids.length, app.config);
      var now = Date.now();
      s = { kind: kind, mode: mode, seed: seed, ids: ids, answers: {}, flags: {}, checked: {}, pos: 0,
        minutes: minutes, started: now, end: mode === 'review' ? null : now + minutes * 60000, done: false };
      save();
      open(plan, true);
    }
    function discard() {
      s.done = true;
      writeJson(SESSION_KEY, null);
      stop();
    }
    function resume() {
      var saved = loadSession();
      if (!saved || !saved.ids.length || !saved.ids.every(function (id) { return app.byId[id]; })) {
        if (saved) writeJson(SESSION_KEY, null);
        return;
      }
      s = saved;
      s.done = false;
      ['answers', 'flags', 'checked'].forEach(function (k) { if (!isObject(s[k])) s[k] = {}; });
      open(null, false);
      if (running()) app.announce('Your ' + (s.kind === 'retake' ? 'retake' : 'mock exam') + ' was restored: question ' + (s.pos + 1) + ' of ' + s.ids.length + '.');
    }
    root.querySelector('.slb-exam-start').addEventListener('click', function () {
      var seed = app.seed();
      var plan = L.examPlan(app.questions, seed, app.config);
      begin('mock', plan.ids, seed, plan);
    });
    root.querySelector('.slb-exam-prev').addEventListener('click', function () { show(s.pos - 1, true); });
    root.querySelector('.slb-exam-next').addEventListener('click', function () { show(s.pos + 1, true); });
    flag.addEventListener('click', function () {
      var id = idAt(s.pos);
      if (s.flags[id]) delete s.flags[id]; else s.flags[id] = true;
      save();
      showProgress();
      app.announce('Question ' + (s.pos + 1) + (s.flags[id] ? ' flagged for review.' : ' no longer flagged.'));
    });
    root.querySelector('.slb-exam-review-open').addEventListener('click', openReview);
    root.querySelector('.slb-review-back').addEventListener('click', function () { pick(s.pos); });
    root.querySelector('.slb-review-submit').addEventListener('click', requestFinish);
    root.querySelector('.slb-exam-finish').addEventListener('click', requestFinish);
    return {
      running: running, discard: discard, resume: resume,
      retake: function (ids, seed) { begin('retake', ids, seed, null); },
      describe: function () { return 'question ' + (s.pos + 1) + ' of ' + s.ids.length + ', ' + answeredCount() + ' answered'; }
    };
  }

  /* ---------- the revision app ---------- */

  function initRevision(root, data) {
    var seedInput = root.querySelector('.slb-seed');
    seedInput.value = String(Math.floor(Math.random() * 1000000));
    var live = root.querySelector('.slb-exam-live');
    var app = {
      root: root,
      config: examConfig(data),
      questions: data.questions,
      byId: index(data.questions),
      seed: function () {
        var seed = L.parseSeed(seedInput.value);
        seedInput.value = String(seed);
        return seed;
      },
      mode: function () {
        var chosen = root.querySelector('fieldset.slb-mode input:checked');
        return chosen && chosen.value === 'review' ? 'review' : 'timed';
      },
      announce: function (text) { live.textContent = text; }
    };
    root.querySelector('.slb-new-seed').addEventListener('click', function () {
      seedInput.value = String(Math.floor(Math.random() * 1000000));
    });
    app.history = initHistory(root, app);
    var exam = initExam(root, app);
    var practice = initPractice(root, app);
    app.clearPractice = practice.clear;
    app.retake = exam.retake;
    /* A running mock is never dropped silently: ask, and say what would be lost. */
    app.endExamFor = function (what) {
      if (!exam.running()) return true;
      if (!window.confirm('A mock exam is in progress (' + exam.describe() + '). ' + what +
        ' ends it without a score. End the mock exam?')) return false;
      exam.discard();
      return true;
    };
    exam.resume();
  }

  /* ---------- start-up ---------- */

  function init(root) {
    if (root.getAttribute('data-slb-ready')) return;
    root.setAttribute('data-slb-ready', '1');
    try {
      var data = readData(root);
      if (data.kind === 'revision') initRevision(root, data); else initChapter(root, data);
    } catch (error) {
      root.setAttribute('data-slb-error', String(error));
      if (window.console) console.error('Serverless Lab Book quiz:', error);
    }
  }

  function initAll() {
    Array.from(document.querySelectorAll('.slb-quiz')).forEach(init);
  }

  /* The pure logic (quiz_logic.js) and the storage, for the tests and the console. */
  window.SLBQuiz = Object.assign({}, L, {
    STORAGE_KEY: STORAGE_KEY, SESSION_KEY: SESSION_KEY, HISTORY_KEY: HISTORY_KEY,
    loadProgress: loadProgress, saveResults: saveResults, loadHistory: loadHistory,
    init: init, initAll: initAll
  });

  initAll();
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', initAll);
})();
