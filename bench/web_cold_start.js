// Issue 5 benchmark 1: cold start to the first interactive frame with N customers (+ N activities)
// in the local replica, against the same start with an empty replica. Targets: ≤ 1 s, and ≤ 1.5× the
// empty-replica start.
//
// The profile comes from a finished first sync (session token in localStorage, replica in IndexedDB,
// app shell in the service worker's cache — a returning user). One run: a new browser process on that
// profile opens #/customers; the app marks "closeloop-interactive" (src/platform/main_web.cpp) on the
// first frame drawn with the replica in memory, and the mark's startTime counts from navigation start.
// The run also checks that the replica really holds the customers at that moment.
'use strict';
const L = require('./web_lib');

// stayMs: keep the page open that long after its first interactive frame, as a real session
// lasts (the previous session a returning user's start follows).
async function coldStartOnce(profile, base, expectCustomers, stayMs = 0) {
  const { context, page } = await L.openApp(profile, base);
  try {
    const r = await page.evaluate(async ({ expectCustomers }) => {
      const t0 = performance.now();
      for (;;) {
        const m = performance.getEntriesByName('closeloop-interactive');
        if (m.length) {
          const f = window.closeloop.field ? window.closeloop.field() : null;
          const nav = performance.getEntriesByType('navigation')[0];
          const mark = (n) => { const e = performance.getEntriesByName(n); return e.length ? e[0].startTime : NaN; };
          const fr = window.closeloop.interactiveFrame || {};
          // Where the time went: app.js + app.wasm fetched and compiled until main(); the first frame;
          // the replica loaded (IndexedDB read + decode) until the interactive frame starts; that frame.
          const split = { main: mark('closeloop-main'), firstFrame: mark('closeloop-first-frame'), frameStart: fr.start,
                          screens: fr.screens, webgl: fr.webgl, idbRead: mark('closeloop-idb-read'),
                          replicaRead: mark('closeloop-replica-read'), restored: mark('closeloop-replica-restored') };
          const marks = performance.getEntriesByType('mark').filter((e) => e.name.startsWith('closeloop-'))
            .map((e) => `${e.name.slice(10)} ${e.startTime.toFixed(0)}`).join(', ');
          return { interactiveMs: m[0].startTime, split, marks, customers: f ? f.customers : -1, activities: f ? f.activities : -1,
                   fromSnapshot: f ? !!f.snapshot_loaded : false,
                   domContentLoaded: nav ? nav.domContentLoadedEventEnd : 0, screen: window.closeloop.state().screen };
        }
        if (performance.now() - t0 > 60000) return { error: 'no interactive mark in 60 s' };
        await new Promise((res) => setTimeout(res, 10));
      }
    }, { expectCustomers });
    if (r.error) throw new Error(r.error);
    if (r.customers < expectCustomers) throw new Error(`interactive with ${r.customers} customers, expected ${expectCustomers}`);
    if (stayMs) await page.waitForTimeout(stayMs);
    return r;
  } finally {
    await context.close();
  }
}

const PREVIOUS_SESSION_MS = 10000;

function logRun(label, i, runs, r) {
  L.log(`cold start ${label} run ${i + 1}/${runs}: interactive at ${r.interactiveMs.toFixed(0)} ms ` +
        `(${r.customers} customers, ${r.activities} activities in the replica, loaded from ${r.fromSnapshot ? 'snapshot' : 'pages'}; ` +
        `main() at ${r.split.main.toFixed(0)}, first frame ${r.split.firstFrame.toFixed(0)}, IndexedDB read done ` +
        `${r.split.idbRead.toFixed(0)}, in wasm ${r.split.replicaRead.toFixed(0)}, replica restored ${r.split.restored.toFixed(0)}, interactive frame starts ` +
        `${(r.split.frameStart || NaN).toFixed(0)}, its screens ${(r.split.screens || NaN).toFixed(1)} ms, webgl ${(r.split.webgl || NaN).toFixed(1)} ms)`);
}

// fullProfile: a profile after rep1's first sync (N customers); emptyProfile: after an empty user's.
// Each profile first gets its warm-up: the returning user's previous session, 10 s long — the
// service worker installed, and V8's wasm code cache written with the code it optimized (V8 writes
// it a few seconds after tiering up; a session closed at its first frame never gets that far, and
// every start would then begin on baseline code). Then the measured starts, which close at their
// first interactive frame, alternate empty / full: on a shared machine the load drifts within a
// minute, and measuring all of one side first made the ratio mostly a measure of that drift.
async function run({ base, n, runs, fullProfile, emptyProfile }) {
  await coldStartOnce(emptyProfile, base, 0, PREVIOUS_SESSION_MS);
  await coldStartOnce(fullProfile, base, n, PREVIOUS_SESSION_MS);
  const emptyTimes = [], fullTimes = [];
  let last = null, lastEmpty = null;
  for (let i = 0; i < runs; i++) {
    lastEmpty = await coldStartOnce(emptyProfile, base, 0);
    emptyTimes.push(lastEmpty.interactiveMs);
    logRun('empty replica', i, runs, lastEmpty);
    last = await coldStartOnce(fullProfile, base, n);
    fullTimes.push(last.interactiveMs);
    logRun(`${n} customers`, i, runs, last);
  }
  if (process.env.CLOSELOOP_BENCH_MARKS) {
    L.log(`marks of the last empty run: ${lastEmpty.marks}`);
    L.log(`marks of the last ${n} run: ${last.marks}`);
  }
  const empty = L.median(emptyTimes), full = L.median(fullTimes);
  const ratios = fullTimes.map((t, i) => t / emptyTimes[i]);
  L.report('cold start, empty replica → interactive', empty, 'ms', '(baseline)', `runs=${runs}, alternating with the next line's`);
  L.report(`cold start, ${n} customers in the replica → interactive`, full, 'ms', '≤ 1000 ms',
           `runs=${runs}; replica at interactive: ${last.customers} customers, ${last.activities} activities; ` +
           `loaded from ${last.fromSnapshot ? 'the replica snapshot + later pages' : 'the JSON pages'}`);
  L.report(`cold start ratio ${n} customers / empty`, full / empty, '×', '≤ 1.5×',
           `ratio of the medians; per pair of neighbouring runs: ${ratios.map((x) => x.toFixed(2)).join(' ')}`);
  return { empty, full };
}

module.exports = { run, coldStartOnce, PREVIOUS_SESSION_MS };
