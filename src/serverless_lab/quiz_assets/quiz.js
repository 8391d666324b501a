/* Serverless Lab Book: chapter quizzes and the revision app (plain ES2017, no dependencies).
 *
 * Every fragment inlines this file, so it may run several times on one page (a Sphinx page,
 * or JupyterLab output cells added at any time): it defines window.SLBQuiz once and then
 * initialises every .slb-quiz element that is not initialised yet. All DOM queries are scoped
 * to the quiz element.
 *
 * Progress: localStorage["serverless-lab-book/progress"] =
 *   {"<question id>": {"box": 1-5, "right": n, "wrong": n, "last": ms since epoch}}
 * Leitner boxes: right -> box + 1 (at most 5), wrong -> box 1; an entry is due when
 * last + INTERVAL_DAYS[box - 1] days <= now; a question never answered is due.
 */
(function () {
  'use strict';

  if (window.SLBQuiz) {
    window.SLBQuiz.initAll();
    return;
  }

  var STORAGE_KEY = 'serverless-lab-book/progress';
  var INTERVAL_DAYS = [0, 1, 3, 7, 14];
  var DAY_MS = 24 * 60 * 60 * 1000;
  var DOMAINS = ['Development', 'Security', 'Deployment', 'Troubleshooting'];
  var DOMAIN_WEIGHTS = { Development: 32, Security: 26, Deployment: 24, Troubleshooting: 18 };
  var EXAM_QUESTIONS = 65;
  var EXAM_MINUTES = 130;

  /* ---------- pure logic ---------- */

  function mulberry32(seed) {
    var a = seed >>> 0;
    return function () {
      a = (a + 0x6D2B79F5) >>> 0;
      var t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function shuffle(list, random) {
    var copy = list.slice();
    for (var i = copy.length - 1; i > 0; i--) {
      var j = Math.floor(random() * (i + 1));
      var swap = copy[i]; copy[i] = copy[j]; copy[j] = swap;
    }
    return copy;
  }

  function parseSeed(text) {
    var value = String(text).trim();
    if (/^\d+$/.test(value)) return Number(value) >>> 0;
    var hash = 2166136261;  // FNV-1a, so that a word works as a seed too
    for (var i = 0; i < value.length; i++) {
      hash = Math.imul(hash ^ value.charCodeAt(i), 16777619) >>> 0;
    }
    return hash;
  }

  function grade(question, selectedKeys) {
    var chosen = Array.from(new Set(selectedKeys || [])).sort();
    var answer = question.answer.slice().sort();
    return chosen.length === answer.length && chosen.every(function (k, i) { return k === answer[i]; });
  }

  function clampBox(box) {
    return Math.min(Math.max(Math.floor(Number(box)) || 1, 1), INTERVAL_DAYS.length);
  }

  function nextBox(box, right) {
    return right ? Math.min(clampBox(box) + 1, INTERVAL_DAYS.length) : 1;
  }

  function dueAt(entry) {
    return entry.last + INTERVAL_DAYS[clampBox(entry.box) - 1] * DAY_MS;
  }

  function isDue(entry, now) {
    return !entry || dueAt(entry) <= now;
  }

  function record(entry, right, now) {
    var e = entry || { box: 1, right: 0, wrong: 0, last: 0 };
    return {
      box: nextBox(e.box, right),
      right: (e.right || 0) + (right ? 1 : 0),
      wrong: (e.wrong || 0) + (right ? 0 : 1),
      last: now
    };
  }

  /* Questions per domain in a total-question exam, by largest remainder. */
  function shares(total, weights) {
    var w = weights || DOMAIN_WEIGHTS;
    var sum = DOMAINS.reduce(function (s, d) { return s + w[d]; }, 0);
    var out = {};
    var given = 0;
    DOMAINS.forEach(function (d) { out[d] = Math.floor(total * w[d] / sum); given += out[d]; });
    var byRest = DOMAINS.slice().sort(function (a, b) {
      return (total * w[b] % sum) - (total * w[a] % sum) || DOMAINS.indexOf(a) - DOMAINS.indexOf(b);
    });
    byRest.slice(0, total - given).forEach(function (d) { out[d] += 1; });
    return out;
  }

  /* A domain-weighted mock exam drawn with a seeded PRNG: the same seed, the same exam. */
  function examPlan(questions, seed) {
    var random = mulberry32(seed);
    var wanted = shares(EXAM_QUESTIONS);
    var used = {};
    var bank = {};
    var drawn = [];
    DOMAINS.forEach(function (d) {
      var pool = questions.filter(function (q) { return q.domain === d; });
      bank[d] = pool.length;
      var picked = shuffle(pool, random).slice(0, wanted[d]);
      used[d] = picked.length;
      drawn = drawn.concat(picked.map(function (q) { return q.id; }));
    });
    return {
      seed: seed >>> 0, ids: shuffle(drawn, random), shares: wanted, used: used, bank: bank,
      bankSize: questions.length, total: EXAM_QUESTIONS, minutes: EXAM_MINUTES
    };
  }

  /* Practice order: missed (box 1), then other due ones (lowest box first), then never seen;
   * "later" holds those not due yet, soonest first. */
  function practiceQueue(questions, progress, now, seed) {
    var random = mulberry32(seed);
    var rank = function (q) {
      var entry = progress[q.id];
      if (!entry) return 6;
      return clampBox(entry.box);
    };
    var mixed = shuffle(questions, random);
    var due = mixed.filter(function (q) { return isDue(progress[q.id], now); });
    due.sort(function (a, b) { return rank(a) - rank(b); });
    var later = mixed.filter(function (q) { return !isDue(progress[q.id], now); });
    later.sort(function (a, b) { return dueAt(progress[a.id]) - dueAt(progress[b.id]); });
    return { due: due.map(function (q) { return q.id; }), later: later.map(function (q) { return q.id; }) };
  }

  /* How many questions sit in each box and how many of them are due; "new" = never answered. */
  function boxCounts(questions, progress, now) {
    var counts = { new: { total: 0, due: 0 } };
    INTERVAL_DAYS.forEach(function (_, i) { counts[i + 1] = { total: 0, due: 0 }; });
    questions.forEach(function (q) {
      var entry = progress[q.id];
      var slot = counts[entry ? clampBox(entry.box) : 'new'];
      slot.total += 1;
      if (isDue(entry, now)) slot.due += 1;
    });
    return counts;
  }

  /* ---------- storage ---------- */

  var memory = {};

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function loadProgress() {
    var store = storage();
    if (!store) return Object.assign({}, memory);
    try {
      var data = JSON.parse(store.getItem(STORAGE_KEY) || '{}');
      return data && typeof data === 'object' && !Array.isArray(data) ? data : {};
    } catch (e) {
      return Object.assign({}, memory);
    }
  }

  function saveResults(results) {
    var progress = loadProgress();
    var now = Date.now();
    results.forEach(function (r) { progress[r.id] = record(progress[r.id], r.right, now); });
    memory = progress;
    var store = storage();
    try { if (store) store.setItem(STORAGE_KEY, JSON.stringify(progress)); } catch (e) { /* full or blocked */ }
    window.dispatchEvent(new CustomEvent('slb-progress'));
    return progress;
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

  function reveal(form, question, keys, right) {
    var feedback = form.querySelector('.slb-feedback');
    var verdict = feedback.querySelector('.slb-verdict');
    var plural = question.answer.length > 1 ? 'answers are ' : 'answer is ';
    verdict.textContent = right ? 'Right! ' + letters(question.answer) + (question.answer.length > 1 ? ' are' : ' is') + ' correct.'
      : (keys.length ? 'Wrong. ' : 'Not answered. ') + 'The correct ' + plural + letters(question.answer) + '.';
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

  /* Wire Check, and Try again if onRetry is given; onAnswer(question, keys, right) runs after
   * each check. */
  function wireForm(form, question, onAnswer, onRetry) {
    form.addEventListener('submit', function (event) { event.preventDefault(); });
    var verdict = form.querySelector('.slb-verdict');
    var retry = form.querySelector('.slb-retry');
    form.querySelector('.slb-check').addEventListener('click', function () {
      var keys = selectedKeys(form);
      if (!keys.length) {
        verdict.textContent = 'Choose an answer first.';
        verdict.className = 'slb-verdict';
        form.querySelector('.slb-feedback').hidden = false;
        Array.from(form.querySelectorAll('.slb-whys, .slb-links')).forEach(function (e) { e.hidden = true; });
        return;
      }
      Array.from(form.querySelectorAll('.slb-whys, .slb-links')).forEach(function (e) { e.hidden = false; });
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
    });
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

  function onProgressChange(callback) {
    window.addEventListener('slb-progress', callback);
    window.addEventListener('storage', function (event) { if (event.key === STORAGE_KEY) callback(); });
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
    forms.forEach(function (form) {
      wireForm(form, byId[form.getAttribute('data-qid')], function (q, keys, right) {
        saveResults([{ id: q.id, right: right }]);
      }, refresh);
    });
    onProgressChange(refresh);
    refresh();
  }

  /* ---------- the revision app ---------- */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function button(label, onClick) {
    var b = el('button', 'slb-button', label);
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

  function initPractice(root, app) {
    var area = root.querySelector('.slb-practice-area');
    var status = root.querySelector('.slb-practice-status');
    var session = { queue: [], pos: 0, right: 0, answered: 0 };

    function filtered() {
      var domains = checkedValues(root, 'domains');
      var chapters = checkedValues(root, 'chapters');
      return app.questions.filter(function (q) {
        return domains.indexOf(q.domain) >= 0 && chapters.indexOf(q.chapter) >= 0;
      });
    }
    function renderBoxes() {
      var counts = boxCounts(filtered(), loadProgress(), Date.now());
      Object.keys(counts).forEach(function (box) {
        var row = root.querySelector('.slb-boxes tr[data-box="' + box + '"]');
        row.querySelector('.slb-box-total').textContent = counts[box].total;
        row.querySelector('.slb-box-due').textContent = counts[box].due;
      });
    }
    function showStatus() {
      status.textContent = session.answered ? 'This session: ' + session.right + ' right of ' + session.answered + '.' : '';
    }
    function showNext() {
      area.textContent = '';
      if (session.pos >= session.queue.length) {
        var plan = practiceQueue(filtered(), loadProgress(), Date.now(), app.seed());
        var done = el('p', 'slb-note', plan.due.length ? 'Round finished: ' + plan.due.length + ' questions are due again.'
          : 'Nothing is due in the chosen domains and chapters.');
        area.appendChild(done);
        if (!plan.due.length && plan.later.length) {
          area.appendChild(button('Practise questions not due yet', function () { start(plan.later); }));
        }
        return;
      }
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
        var next = button('Next question', function () { session.pos += 1; showNext(); });
        next.classList.add('slb-next');
        form.appendChild(next);
        next.focus();
      });
    }
    function start(ids) {
      session.queue = ids;
      session.pos = 0;
      showNext();
    }
    root.querySelector('.slb-practice-start').addEventListener('click', function () {
      app.clearExam();
      start(practiceQueue(filtered(), loadProgress(), Date.now(), app.seed()).due);
    });
    Array.from(root.querySelectorAll('fieldset.slb-filter input')).forEach(function (i) { i.addEventListener('change', renderBoxes); });
    onProgressChange(renderBoxes);
    renderBoxes();
    return { clear: function () { area.textContent = ''; session.queue = []; } };
  }

  function examResult(app, exam, timeUp) {
    var result = app.root.querySelector('.slb-exam-result');
    result.textContent = '';
    var perDomain = {};
    DOMAINS.forEach(function (d) { perDomain[d] = { right: 0, total: 0 }; });
    var missed = [];
    var answered = [];
    exam.plan.ids.forEach(function (id) {
      var q = app.byId[id];
      var keys = exam.answers[id] || [];
      var right = grade(q, keys);
      perDomain[q.domain].total += 1;
      if (right) perDomain[q.domain].right += 1; else missed.push(id);
      if (keys.length) answered.push({ id: id, right: right });
    });
    saveResults(answered);
    var total = exam.plan.ids.length;
    var right = total - missed.length;
    if (timeUp) result.appendChild(el('p', 'slb-note slb-wrong', 'Time is up.'));
    result.appendChild(el('p', 'slb-exam-overall', 'Overall: ' + right + ' / ' + total + ' right (' + Math.round(100 * right / total) + ' %)'));
    var table = el('table', 'slb-plan slb-exam-domains');
    var head = table.appendChild(el('thead')).appendChild(el('tr'));
    ['Domain', 'Right', 'Questions', 'Score'].forEach(function (h) { head.appendChild(el('th', '', h)); });
    var body = table.appendChild(el('tbody'));
    DOMAINS.forEach(function (d) {
      var row = body.appendChild(el('tr'));
      row.setAttribute('data-domain', d);
      var s = perDomain[d];
      [d, s.right, s.total, s.total ? Math.round(100 * s.right / s.total) + ' %' : '\u2013'].forEach(function (v, i) {
        row.appendChild(el(i ? 'td' : 'th', '', String(v)));
      });
    });
    result.appendChild(table);
    result.appendChild(el('p', 'slb-note', 'Seed ' + exam.plan.seed + ': enter it again to replay this exam. AWS reports a scaled score (100\u20131,000, pass at 720), not this percentage.'));
    if (missed.length) result.appendChild(el('p', 'slb-heading', 'Missed questions (' + missed.length + ')'));
    missed.forEach(function (id) {
      var q = app.byId[id];
      var holder = el('div', 'slb-card');
      holder.insertAdjacentHTML('beforeend', q.html);
      var form = holder.querySelector('form.slb-question');
      var keys = exam.answers[id] || [];
      setKeys(form, keys);
      reveal(form, q, keys, false);
      result.appendChild(holder);
    });
    result.hidden = false;
  }

  function initExam(root, app) {
    var area = root.querySelector('.slb-exam-area');
    var holder = root.querySelector('.slb-exam-question');
    var timer = root.querySelector('.slb-timer');
    var progressText = root.querySelector('.slb-exam-progress');
    var exam = null;

    function answeredCount() {
      return exam.plan.ids.filter(function (id) { return (exam.answers[id] || []).length; }).length;
    }
    function tick() {
      var left = exam.end - Date.now();
      timer.textContent = clock(left);
      if (left <= 0) finish(true);
    }
    function show(pos) {
      exam.pos = Math.min(Math.max(pos, 0), exam.plan.ids.length - 1);
      var id = exam.plan.ids[exam.pos];
      holder.innerHTML = app.byId[id].html;
      var form = holder.querySelector('form.slb-question');
      form.addEventListener('submit', function (event) { event.preventDefault(); });
      setKeys(form, exam.answers[id] || []);
      form.addEventListener('change', function () {
        exam.answers[id] = selectedKeys(form);
        showProgress();
      });
      root.querySelector('.slb-exam-prev').disabled = exam.pos === 0;
      root.querySelector('.slb-exam-next').disabled = exam.pos === exam.plan.ids.length - 1;
      showProgress();
    }
    function showProgress() {
      progressText.textContent = 'Question ' + (exam.pos + 1) + ' of ' + exam.plan.ids.length + ' \u00b7 answered ' + answeredCount();
    }
    function stop() {
      if (exam && exam.interval) clearInterval(exam.interval);
      area.hidden = true;
      holder.textContent = '';
    }
    function finish(timeUp) {
      if (!exam || exam.done) return;
      exam.done = true;
      stop();
      examResult(app, exam, timeUp);
    }
    function start() {
      stop();
      app.clearPractice();
      var seed = app.seed();
      var plan = examPlan(app.questions, seed);
      exam = { plan: plan, answers: {}, pos: 0, end: Date.now() + plan.minutes * 60000, done: false };
      var note = 'Seed ' + seed + '. ';
      if (plan.ids.length < plan.total) {
        var short = DOMAINS.filter(function (d) { return plan.used[d] < plan.shares[d]; }).map(function (d) {
          return d + ' ' + plan.used[d] + ' of ' + plan.shares[d];
        });
        note += 'The bank has ' + plan.bankSize + ' questions: this mock exam uses ' + plan.ids.length + ' of ' + plan.total +
          ' (all the questions of ' + short.join(', ') + ').';
      }
      root.querySelector('.slb-exam-note').textContent = note;
      root.querySelector('.slb-exam-result').hidden = true;
      area.hidden = false;
      exam.interval = setInterval(tick, 1000);
      tick();
      show(0);
    }
    root.querySelector('.slb-exam-start').addEventListener('click', start);
    root.querySelector('.slb-exam-prev').addEventListener('click', function () { show(exam.pos - 1); });
    root.querySelector('.slb-exam-next').addEventListener('click', function () { show(exam.pos + 1); });
    root.querySelector('.slb-exam-finish').addEventListener('click', function () { finish(false); });
    return {
      clear: function () {
        if (exam && !exam.done) { exam.done = true; }
        stop();
        root.querySelector('.slb-exam-result').hidden = true;
      }
    };
  }

  function initRevision(root, data) {
    var seedInput = root.querySelector('.slb-seed');
    seedInput.value = String(Math.floor(Math.random() * 1000000));
    var app = {
      root: root,
      questions: data.questions,
      byId: index(data.questions),
      seed: function () {
        var seed = parseSeed(seedInput.value);
        seedInput.value = String(seed);
        return seed;
      }
    };
    root.querySelector('.slb-new-seed').addEventListener('click', function () {
      seedInput.value = String(Math.floor(Math.random() * 1000000));
    });
    var practice = initPractice(root, app);
    var exam = initExam(root, app);
    app.clearPractice = practice.clear;
    app.clearExam = exam.clear;
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

  window.SLBQuiz = {
    STORAGE_KEY: STORAGE_KEY, INTERVAL_DAYS: INTERVAL_DAYS, DOMAINS: DOMAINS,
    DOMAIN_WEIGHTS: DOMAIN_WEIGHTS, EXAM_QUESTIONS: EXAM_QUESTIONS, EXAM_MINUTES: EXAM_MINUTES,
    mulberry32: mulberry32, parseSeed: parseSeed, grade: grade, nextBox: nextBox, isDue: isDue,
    record: record, shares: shares, examPlan: examPlan, practiceQueue: practiceQueue,
    boxCounts: boxCounts, loadProgress: loadProgress, saveResults: saveResults,
    init: init, initAll: initAll
  };

  initAll();
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', initAll);
})();
