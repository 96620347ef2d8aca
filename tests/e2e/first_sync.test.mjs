// The first sync into IndexedDB (issue 5), against the real server in Chromium: a user with a few
// thousand customers and activities (pushed through the sync endpoint, as a device would) signs in
// on a fresh browser. When the app says the first sync is over, the replica in the page holds exactly
// what the server's pull holds — per record kind — and after a reload it still does, from IndexedDB,
// without pulling anything again.
//
// The bug this guards: "first sync done" meant "a cursor exists", true after the first of many pages,
// so a page (and bench-web) saw 50k customers and 0 activities as a finished sync and closed; the
// reload then held only the pages stored so far and re-pulled the rest.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import h from './lib/harness.js';
import fh from './lib/field_helpers.js';

const require = createRequire(import.meta.url);
const { syntheticCustomer, prng } = require('../../bench/web_lib.js');

const N = 2500;   // customers and as many activities: 5000+ records, several 1,000-record pages

let server;
let browser;

fh.useServerAndBrowser(test, (x) => {
  ({ server, browser } = x);
  ({ api, login } = x.S);
});

const { field, waitField } = fh;
let api, login;  // the server's API from node (lib/field_helpers.js), bound in before()

// N customers + N activities for rep1, through POST /api/v1/sync/push from a seeding device.
async function seed(token) {
  const clientId = 'e2e-first-sync-seeder';
  const reg = await api('/api/v1/sync/register', token, { method: 'POST', body: JSON.stringify({ client_id: clientId }) });
  assert.equal(reg.status, 200, JSON.stringify(reg.body));
  const rnd = prng(4242);
  const seen = new Set();
  let mid = 1;
  const push = async (mutations) => {
    const r = await api('/api/v1/sync/push', token, { method: 'POST',
      body: JSON.stringify({ client_id: clientId, schema_version: 1, mutations }) });
    assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 300));
    const bad = r.body.results.filter((x) => x.status !== 'applied');
    assert.equal(bad.length, 0, JSON.stringify(bad[0] || {}).slice(0, 400));
  };
  for (let i = 0; i < N; i += 500) {
    const ms = [];
    for (let k = i; k < Math.min(N, i + 500); k++) {
      const c = syntheticCustomer(k, rnd, reg.body.device_no, seen);
      c.id = `fs-c-${String(k).padStart(5, '0')}`;
      ms.push({ mid: mid++, name: 'customer.create', args: { customer: c } });
    }
    await push(ms);
  }
  for (let i = 0; i < N; i += 500) {
    const ms = [];
    for (let k = i; k < Math.min(N, i + 500); k++)
      ms.push({ mid: mid++, name: 'activity.log', args: { activity: {
        id: `fs-a-${String(k).padStart(5, '0')}`, kind: 'call', customer_id: `fs-c-${String((k * 7) % N).padStart(5, '0')}`,
        summary: '电话跟进', outcome: '有意向' } } });
    await push(ms);
  }
}

// What a fresh device of rep1 receives, counted per kind (the pull is the scope, SYNC.md).
async function serverCounts(token) {
  const live = new Map();
  let cursor = '';
  for (let i = 0; i < 100; i++) {
    const r = await api(`/api/v1/sync/pull?client_id=e2e-first-sync-check&schema_version=1&limit=5000&cursor=${encodeURIComponent(cursor)}`, token);
    assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 300));
    for (const c of r.body.changes) {
      if (c.deleted) live.delete(`${c.type}/${c.id}`); else live.set(`${c.type}/${c.id}`, c.type);
    }
    cursor = r.body.cursor;
    if (!r.body.has_more) break;
  }
  const counts = { customer: 0, activity: 0, opportunity: 0 };
  for (const t of live.values()) if (t in counts) counts[t] += 1;
  return counts;
}

const pageCounts = (f) => ({ customer: f.customers, activity: f.activities, opportunity: f.opportunities });

async function storedMeta(page, userId) {
  return page.evaluate((name) => new Promise((resolve, reject) => {
    const req = indexedDB.open(name);
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const d = req.result;
      const tx = d.transaction(['meta', 'pages'], 'readonly');
      const out = {};
      tx.objectStore('meta').get('caught_up').onsuccess = (e) => { out.caught_up = e.target.result; };
      tx.objectStore('meta').get('cursor').onsuccess = (e) => { out.cursor = e.target.result; };
      tx.objectStore('pages').count().onsuccess = (e) => { out.pages = e.target.result; };
      tx.oncomplete = () => { d.close(); resolve(out); };
    };
  }), 'closeloop-' + userId);
}

test('after the first sync the replica holds what the server holds, and a reload keeps it without a re-pull', async () => {
  const token = await login('rep1');
  await seed(token);
  const expected = await serverCounts(token);
  assert.ok(expected.customer >= N && expected.activity >= N, JSON.stringify(expected));

  const { context, page, problems } = await h.newPage(browser);
  try {
    await page.goto(server.base + '/');
    await h.waitReady(page);
    await h.loginThroughForm(page, 'rep1', 'demo1234');
    // Whatever the page sees while the first sync runs, it must not be "done" with records missing.
    let sawProgress = false;
    const done = await waitField(page, (f) => {
      if (f.loaded && f.first_sync && f.records_received > 0) sawProgress = true;
      return f.loaded && !f.first_sync;
    }, 120000);
    assert.deepEqual(pageCounts(done), expected, 'first sync reported done with the replica incomplete');
    assert.ok(done.records_received >= expected.customer + expected.activity, JSON.stringify(done));
    assert.ok(sawProgress, 'the first sync should be seen in progress (several pages)');
    const st = await h.state(page);
    const meta = await storedMeta(page, st.user.id);
    assert.equal(meta.caught_up, true, JSON.stringify(meta));
    assert.ok(meta.pages >= 1, JSON.stringify(meta));
    await h.screenshot(page, 'first-sync-done.png');

    await page.reload();
    await h.waitReady(page);
    const reloaded = await waitField(page, (f) => f.loaded && !f.first_sync && f.connectivity === 'online' &&
      f.customers > 0, 60000);
    assert.deepEqual(pageCounts(reloaded), expected, 'the reload should hold the whole replica');
    // Let the poll after the reload run: it brings nothing (the stored cursor is the last page's).
    await page.evaluate(() => window.closeloop.syncNow());
    await new Promise((r) => setTimeout(r, 1500));
    const after = await field(page);
    assert.equal(after.records_received, 0, 'a reload must not pull stored records again: ' + JSON.stringify(after));
    assert.deepEqual(pageCounts(after), expected);
    assert.deepEqual(problems.filter((p) => !/favicon/.test(p)), []);
  } finally {
    await context.close();
  }
});

// Issue 5 cold start: the app keeps a binary snapshot of the replica in IndexedDB (meta "snapshot" +
// "snapshot_info", src/app/vm/replica_snapshot.h) and a reload reads it instead of the JSON pages —
// through the shell's early read (web/shell.js) as a returning user does. It must hold exactly what
// the pages hold; one from another build (tag) is ignored; a corrupt one falls back to the pages.
async function editSnapshot(page, userId, how) {
  return page.evaluate(async ({ name, how }) => {
    const d = await new Promise((resolve, reject) => {
      const req = indexedDB.open(name);
      req.onerror = () => reject(req.error);
      req.onsuccess = () => resolve(req.result);
    });
    const run = (mode, body) => new Promise((resolve, reject) => {
      const tx = d.transaction(['meta'], mode);
      const out = body(tx.objectStore('meta'));
      tx.oncomplete = () => resolve(out);
      tx.onabort = () => reject(tx.error);
    });
    // The bytes are a Blob (older builds stored an ArrayBuffer).
    const got = await run('readonly', (meta) => {
      const out = {};
      meta.get('snapshot_info').onsuccess = (e) => { out.info = e.target.result; };
      meta.get('snapshot').onsuccess = (e) => { out.value = e.target.result; };
      return out;
    });
    const v = got.value;
    const bytes = v instanceof Blob ? await v.arrayBuffer() : v;
    if (how === 'tag' && got.info) await run('readwrite', (meta) => meta.put({ ...got.info, tag: 'clrs/0/0/0' }, 'snapshot_info'));
    if (how === 'flip' && bytes) {
      const u = new Uint8Array(bytes.slice(0));
      u[u.length >> 1] ^= 0x01;
      await run('readwrite', (meta) => meta.put(new Blob([u]), 'snapshot'));
    }
    d.close();
    return { info: got.info, bytes: bytes ? bytes.byteLength : 0, blob: v instanceof Blob };
  }, { name: 'closeloop-' + userId, how });
}

test('a reload reads the replica snapshot and holds what the server holds; a stale or corrupt snapshot falls back to the pages', async () => {
  const token = await login('rep1');
  let expected = await serverCounts(token);
  if (expected.customer < N) {
    await seed(token);
    expected = await serverCounts(token);
  }
  const { context, page, problems } = await h.newPage(browser);
  const reloadAndWait = async () => {
    await page.reload();
    await h.waitReady(page);
    return waitField(page, (f) => f.loaded && !f.first_sync && f.customers >= expected.customer, 60000);
  };
  try {
    await page.goto(server.base + '/');
    await h.waitReady(page);
    await h.loginThroughForm(page, 'rep1', 'demo1234');
    await waitField(page, (f) => f.loaded && !f.first_sync && f.snapshots_written > 0, 120000);
    const st = await h.state(page);
    const stored = await editSnapshot(page, st.user.id, 'read');
    assert.ok(stored.info && stored.bytes > 0, JSON.stringify(stored));
    assert.ok(stored.blob, 'the snapshot is stored as a Blob');

    let f = await reloadAndWait();
    assert.equal(f.snapshot_loaded, true, 'the reload should read the snapshot: ' + JSON.stringify(f));
    assert.deepEqual(pageCounts(f), expected, 'the snapshot should hold the whole replica');

    // Written by another build: ignored, the pages are read; the app then writes its own again.
    await editSnapshot(page, st.user.id, 'tag');
    f = await reloadAndWait();
    assert.equal(f.snapshot_loaded, false, JSON.stringify(f));
    assert.deepEqual(pageCounts(f), expected);
    f = await waitField(page, (x) => x.snapshots_written > 0, 30000);

    // Corrupt bytes under a valid tag: refused (checksum), every page is read again.
    await editSnapshot(page, st.user.id, 'flip');
    await page.reload();
    await h.waitReady(page);
    f = await waitField(page, (x) => x.loaded && !x.first_sync && x.customers >= expected.customer, 60000);
    assert.equal(f.snapshot_loaded, false, JSON.stringify(f));
    assert.deepEqual(pageCounts(f), expected);
    assert.deepEqual(problems.filter((p) => !/favicon/.test(p)), []);
  } finally {
    await context.close();
  }
});
