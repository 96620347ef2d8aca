// Platform-layer behaviour in the browser: touch drag-to-scroll with inertia, clipboard copy,
// deep links, phone layout at devicePixelRatio 3, and starting offline from the service worker.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('./lib/harness');

let server;
let browser;

test.before(async () => {
  server = await h.startServer();
  browser = await h.launchBrowser();
});

test.after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

async function signedIn(options) {
  const env = await h.newPage(browser, options);
  await env.page.goto(server.base + '/');
  await h.waitReady(env.page);
  await h.loginThroughForm(env.page, 'rep1', 'demo1234');
  await h.waitState(env.page, (st) => st.screen === 'workbench');
  return env;
}

// A touch drag through CDP (pointerType "touch" events, like a finger). Each event carries the
// time the finger was there (`timestamp`, 16 ms apart like a 60 Hz digitizer), so the gesture's
// speed is the same however late a loaded machine delivers the events.
async function touchDrag(cdp, from, to, steps = 8, stepMs = 16) {
  const t0 = Date.now() / 1000;
  const at = (i) => t0 + (i * 16) / 1000;
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: from.x, y: from.y }], timestamp: at(0) });
  for (let i = 1; i <= steps; i++) {
    const x = from.x + ((to.x - from.x) * i) / steps, y = from.y + ((to.y - from.y) * i) / steps;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y }], timestamp: at(i) });
    if (stepMs) await new Promise((r) => setTimeout(r, stepMs));
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [], timestamp: at(steps) });
}

test('a touch drag scrolls the list under the finger (with inertia) and does not click what it started on', async () => {
  // A short landscape tablet: the nine navigation entries overflow the side nav.
  const { context, page } = await signedIn({ viewport: { width: 1024, height: 340 }, hasTouch: true, isMobile: true });
  try {
    let s = await h.state(page);
    assert.equal(s.compact, false);
    const before = s.targets['nav.leads'];
    const cdp = await context.newCDPSession(page);
    const start = h.center(before);
    // A quick 60 px flick: the list must travel further than the finger did (inertia). The events
    // reach the page 120 ms apart, as on a busy main thread, but the finger moved in 64 ms: the
    // release speed comes from when the finger was there, not from when the page heard of it.
    await touchDrag(cdp, start, { x: start.x, y: start.y - 60 }, 4, 120);
    s = await h.waitState(page, (st) => st.idle === true, 45000);   // inertia finished, loop idle
    const after = s.targets['nav.leads'];
    assert.ok(after.y < before.y - 90, `list kept moving after the 60 px flick: ${before.y} → ${after.y}`);
    assert.equal(s.route, 'workbench', 'the drag did not tap the entry it started on');
    await h.screenshot(page, 'touch-drag-scrolled-1024x340.png');
  } finally {
    await context.close();
  }
});

test('the copy button puts the note on the clipboard', async () => {
  const { context, page } = await signedIn({ viewport: { width: 1280, height: 800 } });
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
    await h.focusText(page, 'workbench.quick_note');
    await page.keyboard.insertText('拜访王主任 13800138000');
    await h.waitState(page, (st) => st.lastEdited === '拜访王主任 13800138000');
    await h.clickTarget(page, 'workbench.copy_note');
    await page.waitForFunction(() => window.closeloop.lastCopied() !== '', null, { timeout: 20000 });
    assert.equal(await page.evaluate(() => window.closeloop.lastCopied()), '拜访王主任 13800138000');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), '拜访王主任 13800138000');
  } finally {
    await context.close();
  }
});

test('a deep link survives the login and the title follows the screen', async () => {
  const { context, page } = await h.newPage(browser, { viewport: { width: 1280, height: 800 } });
  try {
    await page.goto(server.base + '/#/opportunities');
    await h.waitReady(page);
    await h.loginThroughForm(page, 'rep1', 'demo1234');
    const s = await h.waitState(page, (st) => st.user !== null);
    assert.equal(s.route, 'opportunities');
    assert.match(await page.title(), /商机/);
    // Deep link to a record id: the route keeps its parameter.
    await page.goto(server.base + '/#/customers/c-42');
    await h.waitReady(page);
    const s2 = await h.waitState(page, (st) => st.route === 'customers/c-42');
    assert.equal(s2.user.username, 'rep1', 'stored session reused after reload');
  } finally {
    await context.close();
  }
});

test('phone 390×844 at devicePixelRatio 3: bottom tab bar, crisp canvas, Chinese rendered', async () => {
  const { context, page } = await signedIn({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, hasTouch: true, isMobile: true });
  try {
    await page.waitForFunction(() => window.closeloop.state().fullFont === true, null, { timeout: 30000 });
    await h.settle(page);
    const s = await h.state(page);
    assert.equal(s.compact, true);
    assert.equal(s.pixelRatio, 3);
    const size = await page.evaluate(() => { const c = document.getElementById('canvas'); return [c.width, c.height]; });
    assert.deepEqual(size, [390 * 3, 844 * 3], 'backing store = CSS size × devicePixelRatio');
    const shot = await h.screenshot(page, 'workspace-phone-390x844-dpr3.png');
    const st = h.luminanceStats(shot.png);
    assert.ok(st.variance > 150, 'not blank');
    assert.equal(s.missingGlyphs, 0);
  } finally {
    await context.close();
  }
});

test('after the first visit the app starts offline from the service worker', async () => {
  const { context, page } = await signedIn({ viewport: { width: 1280, height: 800 } });
  try {
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => !!navigator.serviceWorker.controller || true);
    // Wait until the shell cache is complete (install finished → active worker).
    await page.waitForFunction(async () => {
      const keys = await caches.keys();
      if (!keys.some((k) => k.startsWith('closeloop-shell-'))) return false;
      const c = await caches.open(keys.find((k) => k.startsWith('closeloop-shell-')));
      return !!(await c.match('app.wasm', { ignoreSearch: true }));
    }, null, { timeout: 30000, polling: 250 });
    await context.setOffline(true);
    await page.reload();
    await h.waitReady(page);
    const s = await h.waitState(page, (st) => st.screen === 'workbench');
    assert.equal(s.user.username, 'rep1');
    await h.settle(page).catch(() => {});
    assert.equal((await h.state(page)).online, false, 'the top bar shows offline');
    await h.screenshot(page, 'offline-start-desktop.png');
    await context.setOffline(false);
  } finally {
    await context.close();
  }
});

test('the IndexedDB replica storage keeps pages, cursor, outbox and evidence bytes across a reload', async () => {
  // A persistent profile, like a real browser.
  const profile = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'closeloop-profile-'));
  const context = await h.launchPersistent(profile, { viewport: { width: 1024, height: 768 } });
  const page = context.pages()[0] || await context.newPage();
  try {
    await page.goto(server.base + '/');
    await h.waitReady(page);
    const db = 'closeloop-selftest';
    await page.evaluate((name) => window.closeloop.replicaSelfTest.write(name), db);
    // Read back once in this page (everything committed), then reload: what comes back after the
    // reload must come from IndexedDB.
    await page.waitForTimeout(1000);
    await page.evaluate((name) => window.closeloop.replicaSelfTest.load(name), db);
    await page.waitForFunction(() => window.closeloop.replicaSelfTest.result() !== null, null, { timeout: 30000 });
    const before = await page.evaluate(() => window.closeloop.replicaSelfTest.result());
    assert.equal(before.pages.length, 2, 'both pages written');
    await page.reload();
    await h.waitReady(page);
    await page.evaluate((name) => window.closeloop.replicaSelfTest.load(name), db);
    await page.waitForFunction(() => window.closeloop.replicaSelfTest.result() !== null, null, { timeout: 30000 });
    const r = await page.evaluate(() => window.closeloop.replicaSelfTest.result());
    assert.equal(r.error, '');
    assert.deepEqual(r.pages, [[{ n: 1 }, { n: 2 }], [{ n: 3 }]], 'pages come back whole and in order');
    assert.equal(r.cursor, 'cursor-2');
    assert.equal(r.last_mid, 9);
    assert.deepEqual(r.outbox_mids, [10, 11], 'intents are numbered by the storage, above the stored last_mid');
    assert.deepEqual(r.evidence, [{ sha256: 'sha-test', name: '报价单.pdf', mime: 'application/pdf', hex: '2550444600ff' }]);
  } finally {
    await context.close();
    require('node:fs').rmSync(profile, { recursive: true, force: true });
  }
});

test('tablet 768×1024 touch: a flick scrolls the real customer list and opens nothing', async () => {
  const { context, page } = await signedIn({ viewport: { width: 768, height: 1024 }, hasTouch: true, isMobile: true });
  try {
    await page.evaluate(() => window.closeloop.navigate('customers'));
    // The first sync fills the local replica; the list then draws its first row.
    await h.waitState(page, (st) => st.route === 'customers' && !!st.targets['customers.row0'], 60000);
    // Flick once the first sync is over and the app idles, so the gesture is measured on a settled list.
    await page.waitForFunction(() => { const f = window.closeloop.field && window.closeloop.field(); return f && f.loaded && !f.first_sync; },
                               null, { timeout: 60000 });
    const s0 = await h.waitState(page, (st) => st.idle === true && !!st.targets['customers.row0'], 45000);
    const row = s0.targets['customers.row0'];
    const cdp = await context.newCDPSession(page);
    const start = { x: row.x + row.w / 2, y: row.y + row.h / 2 + 200 };
    await touchDrag(cdp, start, { x: start.x, y: start.y - 150 }, 4, 0);
    const s1 = await h.waitState(page, (st) => st.idle === true, 45000);
    const moved = s1.targets['customers.row0'];
    assert.ok(!moved || moved.y < row.y - 100, `the list scrolled: row 0 ${row.y} → ${moved ? moved.y : 'scrolled out'}`);
    assert.equal(s1.route, 'customers', 'the flick did not open a customer');
    await h.screenshot(page, 'customers-flicked-768x1024.png');
  } finally {
    await context.close();
  }
});
