// Where the first sync's time goes (issue 5, benchmark 2): one first sync of rep1's 2N records, as in
// web_first_sync.js (same sign-in, same end condition), with a CDP CPU profile of the page and the
// sync client's own stage timings (field().pull_timings) and the frames drawn meanwhile.
//   node bench/web_first_sync_profile.js [--n=50000] [--top=40] [--interval-us=500] [--out=file.cpuprofile]
// Env as web_bench.js (CLOSELOOP_SERVER, CLOSELOOP_WEB_DIST). Function names of wasm code appear only
// when the app was linked with --profiling-funcs; otherwise they read wasm-function[N].
'use strict';
const fs = require('node:fs');
const L = require('./web_lib');
const { signInAndWait } = require('./web_first_sync');

// rafDelayMs: an experiment — what fewer frames would save.
const args = () => L.parseArgs({ n: 50000, top: 40, intervalUs: 500, out: '', rafDelayMs: 0 });

// CPU time (ms) of Chromium's processes (by role) and the server, from /proc (Linux).
function processCpu() {
  const out = {};
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmd, stat;
    try {
      cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch (_) { continue; }
    let role = null;
    if (cmd[0].includes('closeloop-server')) role = 'server';
    else if (cmd[0].includes('chromium')) {
      const type = (cmd.find((a) => a.startsWith('--type=')) || '--type=browser').slice(7);
      const sub = (cmd.find((a) => a.startsWith('--utility-sub-type=')) || '').split('.').pop();
      role = 'chromium ' + type + (sub ? ' ' + sub : '');
    }
    if (!role) continue;
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out[pid] = { role, ms: (Number(f[11]) + Number(f[12])) * 10 };
  }
  return out;
}
function cpuDelta(a, b) {
  const by = {};
  for (const [pid, e] of Object.entries(b)) by[e.role] = (by[e.role] || 0) + e.ms - (a[pid] ? a[pid].ms : 0);
  return by;
}

async function main() {
  const a = args();
  const data = await L.seededDataDir(a.n);
  const srv = await L.startServer(data);
  const profile = L.freshProfile('sync-prof');
  try {
    const { context, page } = await L.openApp(profile, srv.base);
    try {
      // IndexedDB readwrite transactions over the page store: when each was created and completed.
      await page.evaluate(() => {
        const log = (window.__fsIdb = []);
        const orig = IDBDatabase.prototype.transaction;
        IDBDatabase.prototype.transaction = function (stores, mode, opts) {
          const tx = orig.call(this, stores, mode, opts);
          const names = Array.isArray(stores) ? stores : [stores];
          if (mode === 'readwrite' && names.includes('pages')) {
            const e = { created: performance.now(), done: 0 };
            log.push(e);
            tx.addEventListener('complete', () => { e.done = performance.now(); });
          }
          return tx;
        };
      });
      if (a.rafDelayMs > 0) {
        await page.evaluate((d) => {
          const raf = window.requestAnimationFrame.bind(window);
          window.requestAnimationFrame = (cb) => { setTimeout(() => raf(cb), d); return 0; };
        }, a.rafDelayMs);
      }
      await page.fill('#username', 'rep1');
      await page.fill('#password', 'demo1234');
      const cdp = await context.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: a.intervalUs });
      await page.evaluate(() => window.closeloop.frameTimes && window.closeloop.frameTimes.start());
      // Milestones, sampled every 2 ms from the click on (relative to the click).
      await page.evaluate(() => {
        const m = (window.__fsMilestones = {});
        const t0 = performance.now() + 0;   // the click follows within a few ms
        m.armedAt = t0;
        // When each frame was drawn (frameCount moves), to see what the frame spacing leaves.
        const frameAt = (window.__fsFrameAt = []);
        let lastCount = window.closeloop.frameCount;
        const id = setInterval(() => {
          if (window.closeloop.frameCount !== lastCount) {
            lastCount = window.closeloop.frameCount;
            frameAt.push(performance.now() - t0);
          }
          const st = window.closeloop.state();
          const f = window.closeloop.field ? window.closeloop.field() : null;
          const at = performance.now();
          const once = (k, cond) => { if (cond && m[k] === undefined) m[k] = at; };
          once('session', st && st.screen !== 'login');
          once('field_running', f && f.running);
          once('field_loaded', f && f.loaded);
          once('first_records', f && f.records_received > 0);
          once('half_records', f && f.records_received >= 50000);
          once('all_records', f && f.records_received >= 100000);
          once('first_sync_done', f && f.loaded && !f.first_sync);
          once('list_full', f && f.list && f.list.count >= 50000);
          if (m.list_full !== undefined && m.first_sync_done !== undefined) clearInterval(id);
        }, 2);
      });
      const cpu0 = processCpu();
      await cdp.send('Profiler.start');
      const r = await signInAndWait(page, a.n, 180000);
      const cpu = cpuDelta(cpu0, processCpu());
      console.log('process CPU during the run (ms): ' + Object.entries(cpu).sort((x, y) => y[1] - x[1])
        .map(([k, v]) => `${k} ${v}`).join(', '));
      const ms = await page.evaluate(() => window.__fsMilestones);
      const idb = await page.evaluate(() => window.__fsIdb);
      if (idb.length) {
        const rel = (t) => (t - ms.armedAt).toFixed(0);
        const lag = idb.map((e) => e.done - e.created).sort((x, y) => x - y);
        console.log(`page transactions: ${idb.length}, first created ${rel(idb[0].created)}, last created ${rel(idb[idb.length - 1].created)}, ` +
                    `last completed ${rel(Math.max(...idb.map((e) => e.done)))} ms after the click; created→completed median ${lag[lag.length >> 1].toFixed(0)} ms, max ${lag[lag.length - 1].toFixed(0)} ms`);
      }
      const frameAt = await page.evaluate(() => window.__fsFrameAt);
      console.log('frames drawn at (ms after the click, ±2): ' + frameAt.map((x) => x.toFixed(0)).join(' '));
      console.log('milestones (ms after the click): ' + Object.entries(ms).filter(([k]) => k !== 'armedAt')
        .map(([k, v]) => `${k} ${(v - ms.armedAt).toFixed(0)}`).join(', '));
      const { profile: prof } = await cdp.send('Profiler.stop');
      const frames = await page.evaluate(() => (window.closeloop.frameTimes ? window.closeloop.frameTimes.stop() : []));
      const phases = await page.evaluate(() => (window.closeloop.frameTimes ? window.closeloop.frameTimes.phases() : []));
      const f = await page.evaluate(() => window.closeloop.field());
      if (r.error) throw new Error('first sync did not finish: ' + JSON.stringify(r.state));
      if (a.out) fs.writeFileSync(a.out, JSON.stringify(prof));
      const wall = Math.max(r.usableMs, r.storedMs);
      console.log(`first sync: usable ${r.usableMs.toFixed(0)} ms, stored ${r.storedMs.toFixed(0)} ms (${r.customers} customers, ${r.activities} activities)`);
      const t = f.pull_timings || {};
      const fmt = (x) => (x || 0).toFixed(0).padStart(7);
      console.log(`sync client (${t.pages} pages): total ${fmt(t.total_ms)} ms = scan ${fmt(t.scan_ms)} parse+decode ${fmt(t.parse_ms)} ` +
                  `apply ${fmt(t.apply_ms)} store-call ${fmt(t.store_ms)} index ${fmt(t.index_ms)}; waiting for replies ${fmt(t.wait_ms)} ms`);
      const sum = (v) => v.reduce((x, y) => x + y, 0);
      const ph = [0, 1, 2, 3, 4].map((k) => sum(phases.map((p) => p[k])));
      console.log(`frames: ${frames.length}, CPU ${sum(frames).toFixed(0)} ms (size ${ph[0].toFixed(0)}, input ${ph[1].toFixed(0)}, ` +
                  `screens ${ph[2].toFixed(0)}, render ${ph[3].toFixed(0)}, webgl ${ph[4].toFixed(0)}), longest ${Math.max(0, ...frames).toFixed(0)} ms`);
      const profMs = (prof.endTime - prof.startTime) / 1000;
      L.printProfile(prof, a.top, `CPU profile of the page's main thread: ${profMs.toFixed(0)} ms (wall of the run ${wall.toFixed(0)} ms)`);
    } finally { await context.close(); }
  } finally {
    await srv.stop();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
