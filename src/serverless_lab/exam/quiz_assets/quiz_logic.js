/* Serverless Lab Book quizzes: the pure logic, without the DOM (plain ES2017, no dependencies).
 *
 * Inlined before quiz.js in every fragment; it defines window.SLBQuizLogic once, however many
 * fragments a page holds. quiz.js re-exports all of it on window.SLBQuiz.
 *
 * Leitner boxes: right -> box + 1 (at most 5), wrong -> box 1; an entry is due when
 * last + INTERVAL_DAYS[box - 1] days <= now; a question never answered is due.
 *
 * The mock exam follows DVA-C03 (in use since 1 December 2026): 65 questions in 130 minutes,
 * domains weighted 30/26/22/22 % (FACTS.md section 0; AWS Certification user guide,
 * "Comparison of DVA-C02 and DVA-C03"). A page passes the weights it was rendered with
 * (examConfig(data)), so the browser draws exactly what grading.exam_plan draws in Python.
 */
window.SLBQuizLogic = window.SLBQuizLogic || (function () {
  'use strict';

  var INTERVAL_DAYS = [0, 1, 3, 7, 14];
  var DAY_MS = 24 * 60 * 60 * 1000;
  var HISTORY_LIMIT = 100;
  var DOMAINS = ['Development', 'Security', 'Deployment', 'Troubleshooting'];
  var DOMAIN_WEIGHTS = { Development: 30, Security: 26, Deployment: 22, Troubleshooting: 22 };
  var EXAM_QUESTIONS = 65;
  var EXAM_MINUTES = 130;

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

  /* The exam's shape: what the page was rendered with, else DVA-C03's. */
  function examConfig(data) {
    var c = (data && data.exam) || {};
    return {
      domains: c.domains || DOMAINS, weights: c.weights || DOMAIN_WEIGHTS,
      total: c.total || EXAM_QUESTIONS, minutes: c.minutes || EXAM_MINUTES, tasks: c.tasks || {},
      titles: c.titles || {}
    };
  }

  /* Questions per domain in a total-question exam, by largest remainder (grading.allocation). */
  function shares(total, weights, domains) {
    var w = weights || DOMAIN_WEIGHTS;
    var names = domains || DOMAINS;
    var sum = names.reduce(function (s, d) { return s + w[d]; }, 0);
    var out = {};
    var given = 0;
    names.forEach(function (d) { out[d] = Math.floor(total * w[d] / sum); given += out[d]; });
    var byRest = names.slice().sort(function (a, b) {
      return (total * w[b] % sum) - (total * w[a] % sum) || names.indexOf(a) - names.indexOf(b);
    });
    byRest.slice(0, total - given).forEach(function (d) { out[d] += 1; });
    return out;
  }

  /* A domain-weighted mock exam drawn with a seeded PRNG: the same seed, the same exam
   * (and the same as grading.exam_plan in Python). */
  function examPlan(questions, seed, config) {
    var c = config || examConfig(null);
    var random = mulberry32(seed);
    var wanted = shares(c.total, c.weights, c.domains);
    var used = {};
    var bank = {};
    var drawn = [];
    c.domains.forEach(function (d) {
      var pool = questions.filter(function (q) { return q.domain === d; });
      bank[d] = pool.length;
      var picked = shuffle(pool, random).slice(0, wanted[d]);
      used[d] = picked.length;
      drawn = drawn.concat(picked.map(function (q) { return q.id; }));
    });
    return {
      seed: seed >>> 0, ids: shuffle(drawn, random), shares: wanted, used: used, bank: bank,
      bankSize: questions.length, total: c.total, minutes: c.minutes
    };
  }

  /* Minutes for a timed set of n questions: the exam's pace (130 min for 65), at least 1. */
  function timedMinutes(n, config) {
    var c = config || examConfig(null);
    return Math.max(1, Math.round(c.minutes * n / c.total));
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

  function tally(map, key, right) {
    var slot = map[key] || (map[key] = { right: 0, total: 0 });
    slot.total += 1;
    if (right) slot.right += 1;
  }

  function byTask(a, b) {
    return a.localeCompare(b, 'en', { numeric: true });
  }

  /* Score per domain and per task; unanswered counts as wrong, as on the real exam. */
  function scoreReport(byId, ids, answers, domains) {
    var out = { right: 0, total: ids.length, unanswered: 0, domains: {}, tasks: {}, missed: [] };
    (domains || DOMAINS).forEach(function (d) { out.domains[d] = { right: 0, total: 0 }; });
    ids.forEach(function (id) {
      var q = byId[id];
      var keys = answers[id] || [];
      var right = grade(q, keys);
      tally(out.domains, q.domain, right);
      if (q.task) tally(out.tasks, q.task, right);
      if (right) out.right += 1; else out.missed.push(id);
      if (!keys.length) out.unanswered += 1;
    });
    return out;
  }

  function percent(right, total) {
    return total ? Math.round(100 * right / total) : 0;
  }

  /* ---------- history of attempts and its plot ---------- */

  function attemptOf(session, report, now) {
    var pairs = function (map) {
      var out = {};
      Object.keys(map).forEach(function (k) { if (map[k].total) out[k] = [map[k].right, map[k].total]; });
      return out;
    };
    return {
      at: now, kind: session.kind, mode: session.mode, seed: session.seed,
      right: report.right, total: report.total, domains: pairs(report.domains),
      tasks: pairs(report.tasks), missed: report.missed.slice()
    };
  }

  function addAttempt(list, attempt, limit) {
    return list.concat([attempt]).slice(-(limit || HISTORY_LIMIT));
  }

  function esc(text) {
    return String(text).replace(/&/g, '&amp;').replace(/[<]/g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  }

  function num(value) {
    return String(Math.round(value * 10) / 10);
  }

  var PLOT = { width: 360, height: 170, left: 36, right: 10, top: 10, bottom: 24 };

  function plotX(i, n) {
    var span = PLOT.width - PLOT.left - PLOT.right;
    return n > 1 ? PLOT.left + i * span / (n - 1) : PLOT.left + span / 2;
  }

  function plotY(pct) {
    return PLOT.top + (100 - pct) * (PLOT.height - PLOT.top - PLOT.bottom) / 100;
  }

  /* One series: a polyline through the attempts that have a value, and a dot on each. */
  function plotSeries(values, n, index) {
    var points = [];
    values.forEach(function (v, i) { if (v !== null) points.push(num(plotX(i, n)) + ',' + num(plotY(v))); });
    if (!points.length) return '';
    var dots = points.map(function (p) {
      var xy = p.split(',');
      return '<circle cx="' + xy[0] + '" cy="' + xy[1] + '" r="2.5"><\/circle>';
    }).join('');
    return '<g class="slb-series slb-series-' + index + '"><polyline fill="none" points="' +
      points.join(' ') + '"><\/polyline>' + dots + '<\/g>';
  }

  function plotAxes(n) {
    var out = '';
    [0, 25, 50, 75, 100].forEach(function (p) {
      var y = num(plotY(p));
      out += '<line class="slb-grid" x1="' + PLOT.left + '" x2="' + (PLOT.width - PLOT.right) +
        '" y1="' + y + '" y2="' + y + '"><\/line><text class="slb-axis" x="' + (PLOT.left - 4) +
        '" y="' + y + '" text-anchor="end" dominant-baseline="middle">' + p + ' %<\/text>';
    });
    var step = Math.max(1, Math.ceil(n / 10));
    for (var i = 0; i < n; i += step) {
      out += '<text class="slb-axis" x="' + num(plotX(i, n)) + '" y="' + (PLOT.height - 6) +
        '" text-anchor="middle">' + (i + 1) + '<\/text>';
    }
    return out;
  }

  /* The score per attempt (series 0) and per domain (series 1..), as deterministic SVG markup. */
  function historySvg(attempts, domains) {
    var n = attempts.length;
    var names = domains || DOMAINS;
    var overall = attempts.map(function (a) { return percent(a.right, a.total); });
    var label = 'Score per attempt: ' + overall.map(function (p, i) { return (i + 1) + ': ' + p + ' %'; }).join(', ');
    var body = plotAxes(n) + plotSeries(overall, n, 0);
    names.forEach(function (d, k) {
      body += plotSeries(attempts.map(function (a) {
        var pair = a.domains && a.domains[d];
        return pair && pair[1] ? percent(pair[0], pair[1]) : null;
      }), n, k + 1);
    });
    return '<svg class="slb-history-svg" viewBox="0 0 ' +
      PLOT.width + ' ' + PLOT.height + '" width="' + PLOT.width + '" height="' + PLOT.height +
      '" role="img" aria-label="' + esc(label) + '"><title>' + esc(label) + '<\/title>' + body + '<\/svg>';
  }

  /* The plot's key: a short line in each series' style, then its name. */
  function historyLegend(domains, titles) {
    var names = ['Overall'].concat((domains || DOMAINS).map(function (d) { return (titles || {})[d] || d; }));
    return '<ul class="slb-legend">' + names.map(function (name, i) {
      return '<li><svg class="slb-swatch" viewBox="0 0 24 8" width="24" height="8" aria-hidden="true">' +
        '<g class="slb-series slb-series-' + i + '"><polyline fill="none" points="0,4 24,4"><\/polyline><\/g><\/svg> ' +
        esc(name) + '<\/li>';
    }).join('') + '<\/ul>';
  }

    return {
      INTERVAL_DAYS: INTERVAL_DAYS,
      DOMAINS: DOMAINS,
      DOMAIN_WEIGHTS: DOMAIN_WEIGHTS,
      EXAM_QUESTIONS: EXAM_QUESTIONS,
      EXAM_MINUTES: EXAM_MINUTES,
      mulberry32: mulberry32,
      shuffle: shuffle,
      parseSeed: parseSeed,
      grade: grade,
      clampBox: clampBox,
      nextBox: nextBox,
      dueAt: dueAt,
      isDue: isDue,
      record: record,
      examConfig: examConfig,
      shares: shares,
      examPlan: examPlan,
      timedMinutes: timedMinutes,
      practiceQueue: practiceQueue,
      boxCounts: boxCounts,
      scoreReport: scoreReport,
      byTask: byTask,
      percent: percent,
      attemptOf: attemptOf,
      addAttempt: addAttempt,
      esc: esc,
      historySvg: historySvg,
      historyLegend: historyLegend
    };
})();
