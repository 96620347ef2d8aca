// The issue-5 browser benchmarks, in one process against one server (bench/web_*.js):
//   node bench/web_bench.js [--n=50000] [--runs=3] [--only=sizes,first-sync,cold-start,search]
// Env: CLOSELOOP_SERVER (server binary), CLOSELOOP_WEB_DIST (the wasm build's dist folder).
// Prints progress on stderr and one "RESULT name<TAB>median<TAB>unit<TAB>target<TAB>details" line per
// figure on stdout (scripts/bench-web tabulates them). Benchmarks report; they never fail on a figure.
'use strict';
const fs = require('node:fs');
const L = require('./web_lib');

const args = () => L.parseArgs({ n: 50000, runs: 3, only: ['sizes', 'first-sync', 'cold-start', 'search'] });

async function main() {
  const a = args();
  const { server, web } = L.findBuild();
  L.log(`server ${server}, web ${web}, n=${a.n}, runs=${a.runs}`);
  if (a.only.includes('sizes')) require('./web_sizes').run({ web });
  const needBrowser = a.only.some((x) => x !== 'sizes');
  if (!needBrowser) return;

  const data = await L.seededDataDir(a.n);
  const srv = await L.startServer(data);
  const profiles = [];
  try {
    // The first sync also makes the profiles the cold start and search runs start from.
    let fullProfile;
    if (a.only.includes('first-sync')) {
      fullProfile = (await require('./web_first_sync').run({ base: srv.base, n: a.n, runs: a.runs })).profile;
    } else {
      fullProfile = (await require('./web_first_sync').firstSyncOnce(srv.base, a.n, 'rep1')).profile;
    }
    profiles.push(fullProfile);
    if (a.only.includes('cold-start')) {
      const emptyProfile = (await require('./web_first_sync').firstSyncOnce(srv.base, 0, 'rep2')).profile;
      profiles.push(emptyProfile);
      await require('./web_cold_start').run({ base: srv.base, n: a.n, runs: Math.max(a.runs, 5), fullProfile, emptyProfile });
    }
    if (a.only.includes('search')) {
      const { context, page } = await L.openApp(fullProfile, srv.base);
      try {
        await page.evaluate(async () => {
          while (!window.closeloop.interactiveAt) await new Promise((r) => setTimeout(r, 20));
        });
        await require('./web_search').run({ page, context, n: a.n, runs: a.runs });
      } finally { await context.close(); }
    }
  } finally {
    await srv.stop();
    for (const p of profiles) fs.rmSync(p, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
