// Where a cold start's time goes (issue 5, benchmark 1): rep1's profile after a first sync of 2N
// records, then cold starts of it as in web_cold_start.js, one of them under a CDP CPU profile of the
// page's main thread. Prints the app's marks (shell: IndexedDB opened / snapshot read; app: main(),
// first frame, load asked / read / in wasm / restored, interactive) and the top functions by self time.
//   node bench/web_cold_start_profile.js [--n=50000] [--top=40] [--interval-us=200] [--out=file.cpuprofile]
// Env as web_bench.js. Function names of wasm code appear only when the app was linked with
// --profiling-funcs (then serve a dist without app.wasm.br/.gz, or the server sends the old ones).
'use strict';
const fs = require('node:fs');
const L = require('./web_lib');
const { firstSyncOnce } = require('./web_first_sync');
const { coldStartOnce, PREVIOUS_SESSION_MS } = require('./web_cold_start');

const args = () => L.parseArgs({ n: 50000, top: 40, intervalUs: 200, out: '' });

async function main() {
  const a = args();
  const data = await L.seededDataDir(a.n);
  const srv = await L.startServer(data);
  let profile;
  try {
    profile = (await firstSyncOnce(srv.base, a.n, 'rep1')).profile;
    await coldStartOnce(profile, srv.base, a.n, PREVIOUS_SESSION_MS);   // warm-up: the previous session (web_cold_start.js)
    await coldStartOnce(profile, srv.base, a.n);
    // The profiled start: the page first shows a same-origin file (so the CDP session stays with the
    // renderer the app then loads in), the profiler starts, then the app is opened as in a cold start.
    const context = await L.harness.launchPersistent(profile, { viewport: { width: 1280, height: 800 } });
    try {
      const page = context.pages()[0] || (await context.newPage());
      await page.goto(srv.base + '/manifest.webmanifest');
      const cdp = await context.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: a.intervalUs });
      await cdp.send('Profiler.start');
      await page.goto(srv.base + '/#/customers');
      const r = await page.evaluate(async () => {
        const t0 = performance.now();
        while (!performance.getEntriesByName('closeloop-interactive').length) {
          if (performance.now() - t0 > 60000) return { error: 'no interactive mark in 60 s' };
          await new Promise((res) => setTimeout(res, 10));
        }
        const f = window.closeloop.field ? window.closeloop.field() : null;
        return { marks: performance.getEntriesByType('mark').filter((e) => e.name.startsWith('closeloop-'))
          .map((e) => `${e.name.slice(10)} ${e.startTime.toFixed(0)}`).join(', '), customers: f ? f.customers : -1 };
      });
      const { profile: prof } = await cdp.send('Profiler.stop');
      if (r.error) throw new Error(r.error);
      if (a.out) fs.writeFileSync(a.out, JSON.stringify(prof));
      console.log(`profiled cold start with ${r.customers} customers; marks (ms from navigation): ${r.marks}`);
      L.printProfile(prof, a.top, `CPU profile of the page's main thread, ${((prof.endTime - prof.startTime) / 1000).toFixed(0)} ms`);
    } finally { await context.close(); }
  } finally {
    await srv.stop();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
