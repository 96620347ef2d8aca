// Helpers for the field-screen browser tests (screens.test.mjs, touch_input.test.mjs): the server's
// API from node (login, sync pull/push as "another device"), waiting on the app's test state
// (window.closeloop.field() from the sync runtime, window.closeloop.screens() from the screens) and
// touch gestures through CDP.
'use strict';
const assert = require('node:assert/strict');
const h = require('./harness');

function make(server) {
  async function api(path, token, options = {}) {
    const r = await fetch(server.base + path, {
      ...options,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(options.headers || {}) },
    });
    const text = await r.text();
    let body = null;
    try { body = JSON.parse(text); } catch (_) { body = text; }
    return { status: r.status, body };
  }
  async function login(username) {
    const r = await api('/api/v1/auth/login', null, { method: 'POST', body: JSON.stringify({ username, password: 'demo1234' }) });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.token;
  }
  // Everything `username` may see (the server's scope), as Map "type/id" → record.
  async function visibleTo(username) {
    const token = await login(username);
    const records = new Map();
    let cursor = '';
    for (let i = 0; i < 200; i++) {
      const r = await api(`/api/v1/sync/pull?client_id=e2e-read-${username}&schema_version=1&limit=5000&cursor=${encodeURIComponent(cursor)}`, token);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      for (const c of r.body.changes) {
        if (c.deleted) records.delete(`${c.type}/${c.id}`); else records.set(`${c.type}/${c.id}`, c.record);
      }
      cursor = r.body.cursor;
      if (!r.body.has_more) break;
    }
    return records;
  }
  // "Another device" of `username` pushes mutations (its own client id and mids).
  const mids = new Map();
  async function pushAs(username, clientId, mutations) {
    const token = await login(username);
    const list = mutations.map((m) => {
      const mid = (mids.get(clientId) || 0) + 1;
      mids.set(clientId, mid);
      return { client_id: clientId, mid, schema_version: 1, base_version: 0, at: Date.now(), ...m };
    });
    const r = await api('/api/v1/sync/push', token, { method: 'POST', body: JSON.stringify({ client_id: clientId, schema_version: 1, mutations: list }) });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  }
  async function uploadEvidence(username, bytes) {
    const token = await login(username);
    const sha = require('node:crypto').createHash('sha256').update(bytes).digest('hex');
    const r = await fetch(`${server.base}/api/v1/evidence/${sha}`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' }, body: bytes });
    assert.ok(r.status === 200 || r.status === 201 || r.status === 204, `evidence upload ${r.status}`);
    return sha;
  }
  return { api, login, visibleTo, pushAs, uploadEvidence };
}

const field = (page) => page.evaluate(() => window.closeloop.field && window.closeloop.field());
const screens = (page) => page.evaluate(() => window.closeloop.screens && window.closeloop.screens());

async function poll(get, predicate, what, timeout) {
  const deadline = Date.now() + timeout;
  let last = null;
  for (;;) {
    last = await get();
    if (last && predicate(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${predicate} — last ${what}: ${JSON.stringify(last).slice(0, 3000)}`);
    await new Promise((r) => setTimeout(r, 120));
  }
}
const waitField = (page, predicate, timeout = 60000) => poll(() => field(page), predicate, 'field state', timeout);
const waitScreens = (page, predicate, timeout = 60000) => poll(() => screens(page), predicate, 'screens state', timeout);

async function signedIn(browser, server, options, username = 'rep1') {
  const env = await h.newPage(browser, { ...options });
  await env.page.goto(server.base + '/');
  await h.waitReady(env.page);
  await h.loginThroughForm(env.page, username, 'demo1234');
  await h.waitState(env.page, (st) => st.screen === 'workbench');
  // The whole first sync (several pull pages), not just its first page.
  const settled = (f) => f.loaded && !f.first_sync && f.device_no > 0 && f.pending === 0 && f.connectivity === 'online';
  await waitField(env.page, settled, 90000);
  await new Promise((r) => setTimeout(r, 400));
  await waitField(env.page, settled, 90000);
  return env;
}

async function go(page, route, screen) {
  await page.evaluate((r) => window.closeloop.navigate(r), route);
  await h.waitState(page, (st) => st.screen === screen);
}

async function tap(page, name, touch) { await h.clickTarget(page, name, { touch }); }

// A finger held still for `ms` (long press), through CDP touch events.
async function longPress(cdp, x, y, ms = 800) {
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  await new Promise((r) => setTimeout(r, ms));
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

// Record tel: link clicks instead of leaving the page (the dialer is the OS's business).
async function interceptTel(page) {
  await page.evaluate(() => {
    window.__telLinks = [];
    document.addEventListener('click', (e) => {
      const a = e.target && e.target.closest && e.target.closest('a');
      if (a && /^tel:/.test(a.href)) { window.__telLinks.push(a.getAttribute('href')); e.preventDefault(); }
    }, true);
  });
}
const telLinks = (page) => page.evaluate(() => window.__telLinks.slice());

const ignorable = (p) => /Failed to load resource|ERR_INTERNET_DISCONNECTED|net::|status of 404|favicon/.test(p);

// The fixture every field test file starts with: the real server and Chromium, started before the
// file's tests and stopped after them. `ready` gets { server, browser, S } (S = make(server)) once
// both are up, and may finish the file's own setup.
function useServerAndBrowser(test, ready) {
  let server, browser;
  test.before(async () => {
    server = await h.startServer();
    browser = await h.launchBrowser();
    await ready({ server, browser, S: make(server) });
  });
  test.after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
  });
}

module.exports = { make, useServerAndBrowser, field, screens, waitField, waitScreens, signedIn, go, tap, longPress, interceptTel, telLinks, ignorable };
