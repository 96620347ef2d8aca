// Several tabs of one browser (issue 5, SYNC.md §9), against the real server in Chromium:
//   - one tab syncs (Web Lock), the other follows (BroadcastChannel): writes made in both tabs,
//     offline and online, reach the server exactly once (distinct mids from IndexedDB — two tabs
//     numbering from memory would collide and the server would skip one), both tabs show both;
//   - closing the syncing tab hands the lock over and the other tab carries on;
//   - many pulled updates keep the IndexedDB page store bounded (compaction), a reload has it all;
//   - a closed IndexedDB connection is reopened; a QuotaExceededError (IDBObjectStore.put/add wrapped
//     in the page) is shown to the user and retried; a connection dropped while a push is answered
//     is retried and skipped by the server: nothing lost, nothing twice, the outbox intact after a reload.
// Screenshots: build/e2e/tabs-*.png.
import test from 'node:test';
import assert from 'node:assert/strict';
import h from './lib/harness.js';
import fh from './lib/field_helpers.js';

let server;
let browser;

fh.useServerAndBrowser(test, (x) => {
  ({ server, browser } = x);
  ({ api, login } = x.S);
});

const { field, waitField } = fh;
let api, login;  // the server's API from node (lib/field_helpers.js), bound in before()

// Every record `username` may see (through the sync pull, as a fresh device), and what the server
// knows of `clientId`: its last processed mid and its rejections.
async function serverView(username, clientId) {
  const token = await login(username);
  const records = new Map();
  let cursor = '';
  let last = null;
  for (let i = 0; i < 200; i++) {
    const r = await api(`/api/v1/sync/pull?client_id=${encodeURIComponent(clientId)}&schema_version=1&limit=5000&cursor=${encodeURIComponent(cursor)}`, token);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    for (const c of r.body.changes) {
      if (c.deleted) records.delete(`${c.type}/${c.id}`); else records.set(`${c.type}/${c.id}`, c.record);
    }
    cursor = r.body.cursor;
    last = r.body;
    if (!r.body.has_more) break;
  }
  return { records, lastMid: last.last_mid, rejections: last.rejections || [] };
}

function activitiesOf(records, customerId) {
  return [...records.entries()].filter(([k, v]) => k.startsWith('activity/') && v.customer_id === customerId).map(([, v]) => v);
}

// IndexedDB as the page sees it, read with the browser's own API (not through the app).
async function idbCounts(page, db) {
  return page.evaluate((name) => new Promise((resolve, reject) => {
    const req = indexedDB.open(name);
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const d = req.result;
      const tx = d.transaction(['pages', 'outbox'], 'readonly');
      const out = {};
      tx.objectStore('pages').count().onsuccess = (e) => { out.pages = e.target.result; };
      tx.objectStore('outbox').getAllKeys().onsuccess = (e) => { out.outbox = e.target.result; };
      tx.oncomplete = () => { d.close(); resolve(out); };
    };
  }), db);
}

async function openTab(context, first) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(server.base + '/');
  await h.waitReady(page);
  if (first) await h.loginThroughForm(page, 'rep1', 'demo1234');
  await h.waitState(page, (st) => st.screen === 'workbench' || (st.user && st.screen !== 'login'), 60000);
  await waitField(page, (f) => f.loaded && !f.first_sync, 60000);
  return { page, problems };
}

async function tap(page, name) { await h.clickTarget(page, name); }

async function openCustomer(page, id) {
  await page.evaluate((cid) => window.closeloop.navigate('customers/' + cid), id);
  await h.waitState(page, (st) => st.screen === 'customers/:id');
  await waitField(page, (f) => f.profile && f.profile.found && f.profile.id === id);
}

// R8 in two taps: the kind, then save (default summary). At least one more activity shows at once
// (the other tab's writes may show up meanwhile too; the tests check the totals).
async function quickLog(page, kind, { stored = true } = {}) {
  const before = (await field(page)).activities;
  await tap(page, `profile.quick_log.${kind}`);
  await tap(page, 'profile.quick_log.save');
  await waitField(page, (f) => f.activities >= before + 1 && (!stored || f.unsaved === 0));
}

function realErrors(problems) {
  return problems.filter((p) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED|net::|IndexedDB|QuotaExceeded/.test(p));
}

test('two tabs: one syncs, both write offline and online, every change reaches the server exactly once, and closing the syncing tab hands over', async () => {
  const context = await h.newContext(browser, { viewport: { width: 1280, height: 800 } });
  try {
    const a = await openTab(context, true);
    const b = await openTab(context, false);
    let fa = await waitField(a.page, (f) => f.leader);
    let fb = await field(b.page);
    assert.equal(fb.leader, false, 'exactly one tab holds the sync lock');
    assert.equal(fa.client_id, fb.client_id, 'one device, one client id');
    const clientId = fa.client_id;
    const me = (await h.state(a.page)).user.id;
    const probe = await serverView('rep1', 'e2e-probe');
    const customerId = [...probe.records.entries()].find(([k, v]) => k.startsWith('customer/') && v.owner_id === me)?.[0]?.split('/')[1];
    assert.ok(customerId, 'rep1 has customers');
    const before = activitiesOf(probe.records, customerId).length;
    const activitiesBefore = fa.activities;
    await openCustomer(a.page, customerId);
    await openCustomer(b.page, customerId);

    // Offline: both tabs write. Each write is numbered by IndexedDB, so the two mids differ.
    await context.setOffline(true);
    await quickLog(a.page, 'visit');
    await quickLog(b.page, 'call');
    fa = await waitField(a.page, (f) => f.pending === 2 && f.unsaved === 0);
    fb = await waitField(b.page, (f) => f.pending === 2 && f.unsaved === 0);
    assert.deepEqual(fa.outbox_mids, [1, 2], 'the syncing tab sees both intents with distinct mids');
    assert.deepEqual(fb.outbox_mids, [1, 2]);
    assert.equal(fb.activities, activitiesBefore + 2, 'the following tab shows the other tab\'s write too');
    const idb = await idbCounts(a.page, 'closeloop-' + (await h.state(a.page)).user.id);
    assert.deepEqual(idb.outbox, [1, 2], 'IndexedDB holds both entries under their mids');
    await h.settle(b.page);
    await h.screenshot(b.page, 'tabs-follower-offline.png');

    // Online: the syncing tab pushes both; then each tab writes once more, online.
    await context.setOffline(false);
    await a.page.evaluate(() => window.closeloop.syncNow());
    await waitField(a.page, (f) => f.pending === 0 && f.connectivity !== 'offline', 60000);
    await quickLog(b.page, 'message_sent');
    await quickLog(a.page, 'visit');
    await waitField(a.page, (f) => f.pending === 0 && f.activities === activitiesBefore + 4, 60000);
    fb = await waitField(b.page, (f) => f.pending === 0 && f.activities === activitiesBefore + 4, 30000);
    assert.equal(fb.leader, false);
    let view = await serverView('rep1', clientId);
    assert.equal(view.lastMid, 4, 'the server processed mids 1..4 of this device');
    assert.deepEqual(view.rejections, []);
    let acts = activitiesOf(view.records, customerId);
    assert.equal(acts.length, before + 4, 'four new activities on the server, none twice, none lost');

    // Close the syncing tab: the other takes the lock and syncs its next write itself.
    await a.page.close();
    fb = await waitField(b.page, (f) => f.leader, 45000);
    await quickLog(b.page, 'call');
    await waitField(b.page, (f) => f.pending === 0 && f.activities === activitiesBefore + 5, 60000);
    view = await serverView('rep1', clientId);
    assert.equal(view.lastMid, 5);
    acts = activitiesOf(view.records, customerId);
    assert.equal(acts.length, before + 5);
    await h.settle(b.page);
    await h.screenshot(b.page, 'tabs-after-handover.png');
    assert.deepEqual(realErrors([...a.problems, ...b.problems]), []);
  } finally {
    await context.close();
  }
});

// Issue 5 cold start: a returning tab's shell reads the replica while the app loads (web/shell.js)
// and the app takes that read instead of reading again — unless a tab announced a write since the
// read began (BroadcastChannel): then the read may lack it, and the app reads the database itself.
test('a starting tab uses the replica its shell read early, but not when another tab wrote meanwhile', async () => {
  // No service worker, so the test can hold back app.js (the worker would answer from its cache).
  const context = await h.newContext(browser, { viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  const marks = (page) => page.evaluate(() => performance.getEntriesByType('mark').map((e) => e.name));
  try {
    // Signed in and synced; then closed, so that no tab writes while the next one starts.
    const first = await openTab(context, true);
    const synced = (await field(first.page)).activities;
    await first.page.close();

    // Nothing written while it starts: the early read is used.
    const a = await openTab(context, false);
    assert.ok((await marks(a.page)).includes('closeloop-idb-early-used'), (await marks(a.page)).join());
    assert.equal((await field(a.page)).activities, synced);

    // A tab whose app is held back after its shell has read; the first tab writes meanwhile.
    const probe = await serverView('rep1', 'e2e-probe');
    const me = (await h.state(a.page)).user.id;
    const customerId = [...probe.records.entries()].find(([k, v]) => k.startsWith('customer/') && v.owner_id === me)?.[0]?.split('/')[1];
    assert.ok(customerId, 'rep1 has customers');
    const b = await context.newPage();
    let release;
    const held = new Promise((r) => { release = r; });
    await b.route(/\/app\.js/, async (route) => { await held; await route.continue(); });
    await b.goto(server.base + '/', { waitUntil: 'domcontentloaded' });   // "load" would wait for app.js
    await b.waitForFunction(() => performance.getEntriesByName('closeloop-idb-early-read').length > 0, null, { timeout: 30000 });
    await openCustomer(a.page, customerId);
    await quickLog(a.page, 'visit');
    await b.waitForFunction(() => window.closeloopEarlyIdb.stale === true, null, { timeout: 30000 });
    const written = (await field(a.page)).activities;
    release();
    await h.waitReady(b);
    const fb = await waitField(b, (f) => f.loaded, 60000);
    assert.equal(fb.activities, written, 'the starting tab has the write made while its shell read');
    assert.ok((await marks(b)).includes('closeloop-idb-early-unused'), (await marks(b)).join());
    assert.deepEqual(realErrors([...first.problems, ...a.problems]), []);
  } finally {
    await context.close();
  }
});

test('many pulled updates keep the IndexedDB page store bounded, and a reload still has every change', async () => {
  const context = await h.newContext(browser, { viewport: { width: 1280, height: 800 } });
  try {
    const { page } = await openTab(context, true);
    const user = (await h.state(page)).user;
    const db = 'closeloop-' + user.id;
    await waitField(page, (f) => f.leader);
    const token = await login('rep1');
    const view = await serverView('rep1', 'e2e-probe');
    const key = [...view.records.keys()].find((k) => k.startsWith('customer/'));
    const id = key.split('/')[1];
    const other = 'e2e-other-device-' + Date.now();
    const start = await idbCounts(page, db);
    const rounds = 30;
    let most = 0;
    for (let i = 1; i <= rounds; i++) {
      // Another device edits the same customer; this tab pulls the change as a one-record page.
      const push = await api('/api/v1/sync/push', token, {
        method: 'POST',
        body: JSON.stringify({ client_id: other, schema_version: 1, mutations: [{
          client_id: other, mid: i, name: 'customer.update', schema_version: 1, base_version: 1, at: Date.now(),
          args: { id, set: { main_business: `骨科耗材 第${i}版` } },
        }] }),
      });
      assert.equal(push.status, 200, JSON.stringify(push.body));
      assert.equal(push.body.results[0].status, 'applied', JSON.stringify(push.body));
      const before = (await field(page)).records_received;
      await page.evaluate(() => window.closeloop.syncNow());
      await waitField(page, (f) => f.records_received > before && f.connectivity !== 'syncing', 45000);
      const c = await idbCounts(page, db);
      most = Math.max(most, c.pages);
    }
    let f = await waitField(page, (x) => x.compactions > 0, 45000);
    assert.ok(most <= start.pages + 8, `page count stayed bounded: at most ${most} (started at ${start.pages}, ${rounds} one-record pulls)`);
    // Once the last transaction has committed, the app's page index matches IndexedDB.
    const deadline = Date.now() + 10000;
    let end = await idbCounts(page, db);
    while (end.pages !== (f = await field(page)).stored_pages && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      end = await idbCounts(page, db);
    }
    assert.equal(f.stored_pages, end.pages, 'the app\'s page index matches IndexedDB');
    const customersBefore = f.customers;

    await page.reload();
    await h.waitReady(page);
    const g = await waitField(page, (x) => x.loaded && x.customers === customersBefore, 30000);
    await page.evaluate((cid) => window.closeloop.navigate('customers/' + cid), id);
    await waitField(page, (x) => x.profile && x.profile.found && x.profile.id === id);
    // The record shows its last version after the reload (from compacted pages).
    const main = await page.evaluate(() => window.closeloop.field().profile);
    assert.ok(g.customers > 0 && main.found);
    const after = await serverView('rep1', 'e2e-probe');
    assert.equal(after.records.get(key).main_business, `骨科耗材 第${rounds}版`);
    // Read the page store exactly like the app loads it: pages in key order, later copies win.
    const stored = await page.evaluate((args) => new Promise((resolve) => {
      const req = indexedDB.open(args.db);
      req.onsuccess = () => {
        const tx = req.result.transaction(['pages'], 'readonly');
        tx.objectStore('pages').getAll().onsuccess = (e) => {
          let last = null;
          for (const p of e.target.result)
            // A page value is its UTF-8 bytes (ArrayBuffer) or, written by an older build, a string.
            for (const c of JSON.parse(typeof p === 'string' ? p : new TextDecoder().decode(p)))
              if (c.type + '/' + c.id === args.key) last = c.deleted ? null : c.record.main_business;
          req.result.close();
          resolve(last);
        };
      };
    }), { db, key });
    assert.equal(stored, `骨科耗材 第${rounds}版`, 'IndexedDB holds the last version');
  } finally {
    await context.close();
  }
});

test('a quota error and a dropped connection are shown, and the outbox is intact after a reload', async () => {
  const context = await h.newContext(browser, { viewport: { width: 1024, height: 768 }, hasTouch: true });
  try {
    const { page } = await openTab(context, true);
    const user = (await h.state(page)).user;
    const db = 'closeloop-' + user.id;
    await waitField(page, (f) => f.leader);
    const probe = await serverView('rep1', 'e2e-probe');
    const customerId = [...probe.records.keys()].find((k) => k.startsWith('customer/')).split('/')[1];
    await openCustomer(page, customerId);
    const start = await field(page);
    const clientId = start.client_id;
    const lastMid0 = (await serverView('rep1', clientId)).lastMid;

    // 1. Offline, and the IndexedDB connection dies under the app (iPad "connection lost"): the next
    //    write reopens it and is stored.
    await context.setOffline(true);
    await page.evaluate((name) => window.Module.clIdb.dbs[name].then((d) => d.close()), db);
    await quickLog(page, 'visit');
    let f = await waitField(page, (x) => x.pending === 1 && x.unsaved === 0);
    // 2. The disk fills up: every put/add in IndexedDB now throws QuotaExceededError.
    await page.evaluate(() => {
      const wrap = (name) => {
        const orig = IDBObjectStore.prototype[name];
        IDBObjectStore.prototype['__orig_' + name] = orig;
        IDBObjectStore.prototype[name] = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
      };
      wrap('put');
      wrap('add');
    });
    await quickLog(page, 'call', { stored: false });
    f = await waitField(page, (x) => x.unsaved === 1 && /QuotaExceededError/.test(x.storage_error));
    assert.equal(f.pending, 2, 'the refused write is still counted as pending (held in memory)');
    const st = await h.state(page);
    await h.settle(page);
    await h.screenshot(page, 'tabs-quota-exceeded.png');
    const live = await page.evaluate(() => document.getElementById('cl-live') && document.getElementById('cl-live').textContent);
    assert.match(live || '', /存储已满/, 'the problem is announced');
    let idb = await page.evaluate((name) => new Promise((resolve) => {
      const req = indexedDB.open(name);
      req.onsuccess = () => {
        const tx = req.result.transaction(['outbox'], 'readonly');
        tx.objectStore('outbox').getAllKeys().onsuccess = (e) => { req.result.close(); resolve(e.target.result.length); };
      };
    }), db);
    assert.equal(idb, 1, 'the stored outbox is untouched by the failed write');
    assert.ok(st);

    // 3. Space comes back: the retry timer writes the held intent.
    await page.evaluate(() => {
      for (const name of ['put', 'add']) IDBObjectStore.prototype[name] = IDBObjectStore.prototype['__orig_' + name];
    });
    f = await waitField(page, (x) => x.unsaved === 0 && x.pending === 2 && x.storage_error === '', 45000);

    // 4. Reload offline: both intents come back from IndexedDB.
    await page.reload();
    await h.waitReady(page);
    f = await waitField(page, (x) => x.loaded && x.pending === 2, 30000);
    assert.equal(f.unsaved, 0);

    // 5. Back online, but the connection drops while the push is answered: the server applied it,
    //    the app never heard. The push is retried and skipped — exactly once.
    await context.setOffline(false);
    let dropped = 0;
    await page.route('**/api/v1/sync/push', async (route) => {
      if (dropped === 0) {
        dropped++;
        await route.fetch();           // the server processes the push…
        await route.abort('connectionreset');   // …and the answer is lost
      } else {
        await route.continue();
      }
    });
    await page.evaluate(() => window.closeloop.syncNow());
    f = await waitField(page, (x) => x.last_error !== '' || x.pending === 0, 30000);
    f = await waitField(page, (x) => x.pending === 0, 60000);
    assert.equal(dropped, 1, 'one push answer was dropped');
    const view = await serverView('rep1', clientId);
    assert.equal(view.lastMid, lastMid0 + 2);
    const acts = activitiesOf(view.records, customerId);
    const ours = acts.filter((x) => x.owner_id === user.id);
    assert.ok(ours.length >= 2);
    const probeAfter = activitiesOf((await serverView('rep1', 'e2e-probe2')).records, customerId);
    assert.equal(probeAfter.length, activitiesOf(probe.records, customerId).length + 2, 'two activities, not three or four');
  } finally {
    await context.close();
  }
});

test('an outbox saved by the previous app version (one JSON value, IndexedDB v1) is migrated and synced, not lost', async () => {
  const context = await h.newContext(browser, { viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(server.base + '/');
    await h.waitReady(page);
    const token = await login('rep1');
    const me = (await api('/api/v1/me', token)).body;
    const probe = await serverView('rep1', 'e2e-probe-v1');
    const customerId = [...probe.records.entries()].find(([k, v]) => k.startsWith('customer/') && v.owner_id === me.id)[0].split('/')[1];
    const clientId = 'v1-device-' + Date.now();
    const activityId = '019ac0a6-0000-7000-8000-' + String(Date.now()).slice(-12).padStart(12, '0');
    const at = Date.now() - 3600 * 1000;
    const blob = JSON.stringify({ client_id: clientId, next_mid: 2, conflicts: [], entries: [{ state: 'pending', problems: [], mutation: {
      client_id: clientId, mid: 1, name: 'activity.log', schema_version: 1, base_version: 0, at,
      args: { activity: { id: activityId, owner_id: me.id, created_at: at, updated_at: at, version: 0, deleted: false,
                          kind: 'visit', at, customer_id: customerId, opportunity_id: '', lead_id: '',
                          summary: '升级前离线记录的拜访', outcome: '', schema_version: 1 } } } }] });
    // The previous version's database: pages/meta/evidence, the outbox as one value under meta "outbox".
    await page.evaluate((a) => new Promise((resolve, reject) => {
      localStorage.setItem('closeloop.client_id.' + a.uid, a.clientId);
      const req = indexedDB.open('closeloop-' + a.uid, 1);
      req.onupgradeneeded = () => {
        const db = req.result;
        db.createObjectStore('pages', { autoIncrement: true });
        db.createObjectStore('meta');
        db.createObjectStore('evidence', { keyPath: 'sha256' });
      };
      req.onerror = () => reject(req.error);
      req.onsuccess = () => {
        const tx = req.result.transaction(['meta'], 'readwrite');
        tx.objectStore('meta').put(a.blob, 'outbox');
        tx.oncomplete = () => { req.result.close(); resolve(); };
      };
    }), { uid: me.id, clientId, blob });

    await h.loginThroughForm(page, 'rep1', 'demo1234');
    const f = await waitField(page, (x) => x.loaded && !x.first_sync && x.pending === 0 && x.client_id === clientId, 60000);
    assert.equal(f.rejected, 0, JSON.stringify(f.issues));
    const view = await serverView('rep1', clientId);
    assert.equal(view.lastMid, 1, 'the migrated entry was pushed under its old mid');
    const act = view.records.get('activity/' + activityId);
    assert.ok(act, 'the activity from the old outbox is on the server');
    assert.equal(act.summary, '升级前离线记录的拜访');
    const idb = await idbCounts(page, 'closeloop-' + me.id);
    assert.deepEqual(idb.outbox, []);
  } finally {
    await context.close();
  }
});

test('three tabs: the syncing tab closes while its push is on the wire; the next tab resends and the server applies each change once', async () => {
  const context = await h.newContext(browser, { viewport: { width: 1280, height: 800 } });
  try {
    const a = await openTab(context, true);
    await waitField(a.page, (f) => f.leader);
    const b = await openTab(context, false);
    const c = await openTab(context, false);
    const me = (await h.state(a.page)).user.id;
    const clientId = (await field(a.page)).client_id;
    const probe = await serverView('rep1', 'e2e-probe-3tabs');
    const customerId = [...probe.records.entries()].filter(([k, v]) => k.startsWith('customer/') && v.owner_id === me)[1][0].split('/')[1];
    const before = activitiesOf(probe.records, customerId).length;
    const lastMid0 = (await serverView('rep1', clientId)).lastMid;
    await openCustomer(b.page, customerId);
    await openCustomer(c.page, customerId);

    await context.setOffline(true);
    await quickLog(b.page, 'visit');
    await quickLog(c.page, 'call');
    await waitField(a.page, (f) => f.pending === 2);

    // The first push reaches the server, which applies it; its answer never comes back, because the
    // syncing tab is closed while waiting for it.
    let release;
    const released = new Promise((r) => { release = r; });
    let held = 0;
    await context.route('**/api/v1/sync/push', async (route) => {
      if (held++ === 0) {
        await route.fetch();
        await released;
        try { await route.abort('connectionreset'); } catch (_) { /* the tab is gone */ }
      } else {
        await route.continue();
      }
    });
    await context.setOffline(false);
    await a.page.evaluate(() => window.closeloop.syncNow());
    const deadline = Date.now() + 20000;
    while (held === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(held, 1, 'the push went out');
    await a.page.close();
    release();

    const leaders = async () => [(await field(b.page)).leader, (await field(c.page)).leader];
    const until = Date.now() + 15000;
    let l = await leaders();
    while (l.filter(Boolean).length !== 1 && Date.now() < until) { await new Promise((r) => setTimeout(r, 200)); l = await leaders(); }
    assert.equal(l.filter(Boolean).length, 1, `exactly one of the remaining tabs syncs: ${l}`);
    const next = l[0] ? b : c;
    await next.page.evaluate(() => window.closeloop.syncNow());
    await waitField(b.page, (f) => f.pending === 0, 60000);
    await waitField(c.page, (f) => f.pending === 0, 60000);
    assert.ok(held >= 2, 'the new syncing tab pushed again');
    const view = await serverView('rep1', clientId);
    assert.equal(view.lastMid, lastMid0 + 2);
    assert.equal(activitiesOf(view.records, customerId).length, before + 2, 'each change applied once');
  } finally {
    await context.close();
  }
});
