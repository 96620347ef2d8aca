// E2E harness: the real server binary on a free loopback port (cpp-httplib's test style: start,
// wait for health, test, stop), Debian's Chromium driven by playwright-core, and small helpers to
// talk to the app through its test API (window.closeloop — a canvas has no DOM to query).
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { decodePng } = require('./png');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SHOTS = path.join(ROOT, 'build', 'e2e');

// Which build to test: env wins, else the first tree that has both a server and a web dist.
function findBuild() {
  const server = process.env.CLOSELOOP_SERVER;
  const web = process.env.CLOSELOOP_WEB_DIST;
  if (server && web) return { server, web };
  const trees = ['native', 'web-native', 'server-native'].map((t) => path.join(ROOT, 'build', t, 'src/server/closeloop-server'));
  const dists = ['wasm', 'web-wasm'].map((t) => path.join(ROOT, 'build', t, 'dist'));
  const s = server || trees.find((p) => fs.existsSync(p));
  const w = web || dists.find((p) => fs.existsSync(path.join(p, 'index.html')));
  if (!s) throw new Error('closeloop-server not found: build the native tree or set CLOSELOOP_SERVER');
  if (!w) throw new Error('web dist not found: build the wasm tree (scripts/build-web) or set CLOSELOOP_WEB_DIST');
  return { server: s, web: w };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
    srv.on('error', reject);
  });
}

async function startServer() {
  const { server, web } = findBuild();
  const port = await freePort();
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'closeloop-e2e-'));
  const args = ['serve', '--port', String(port), '--data', data, '--web', web, '--fast-hash'];
  const proc = spawn(server, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  let spawnError = null;
  proc.on('error', (e) => { spawnError = e; });
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60000;
  for (;;) {
    if (spawnError) throw new Error(`cannot start ${server}: ${spawnError.message}`);
    if (proc.exitCode !== null) throw new Error(`server exited early (${proc.exitCode}):\n${log}`);
    try {
      const r = await fetch(base + '/api/v1/health');
      if (r.ok) break;
    } catch (_) { /* not up yet */ }
    if (Date.now() > deadline) { proc.kill('SIGKILL'); throw new Error('server did not become healthy:\n' + log); }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base, data, web, binary: server, log: () => log,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await new Promise((r) => { const t = setTimeout(() => { proc.kill('SIGKILL'); r(); }, 5000); proc.on('exit', () => { clearTimeout(t); r(); }); });
      }
      fs.rmSync(data, { recursive: true, force: true });
    },
  };
}

// TOOLCHAIN.md: flags that work for Debian's Chromium as root, WebGL2 on SwiftShader.
async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-quic',
           '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Playwright's waits (waitForFunction, click, …) default to 30 s. CI machines are shared and can be
// several times slower than a developer's (a first sync, a frame under load); a broken app still
// fails, only later. Every context the tests open gets this default.
const WAIT_MS = 90000;

// A browser with a real profile folder (persistent storage, like a user's browser).
async function launchPersistent(profileDir, options) {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, locale: 'zh-CN', ...options,
  });
  context.setDefaultTimeout(WAIT_MS);
  return context;
}

async function newContext(browser, options) {
  const context = await browser.newContext({ locale: 'zh-CN', ...options });
  context.setDefaultTimeout(WAIT_MS);
  return context;
}

async function newPage(browser, options) {
  const context = await newContext(browser, options);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  return { context, page, problems };
}

async function waitReady(page) {
  await page.waitForFunction(() => window.closeloop && window.closeloop.ready === true, null, { timeout: 60000 });
}

const state = (page) => page.evaluate(() => window.closeloop.state());

// Polls closeloop.state() from node and checks `predicate(state)` here: the server's CSP forbids
// eval in the page, so predicates can't be shipped as strings.
async function waitState(page, predicate, timeout = 60000) {
  const deadline = Date.now() + timeout;
  let last = null;
  for (;;) {
    last = await state(page);
    if (last && predicate(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${predicate} — last state: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function loginThroughForm(page, username, password) {
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#login-submit');
}

function center(t) { return { x: t.x + t.w / 2, y: t.y + t.h / 2 }; }

// Where a target is, from a frame drawn after this call: positions are recorded as frames are drawn,
// and a state change the test just waited for (a file attached, a list grown) may not be laid out yet
// — frames are paced while a sync runs. The wake asks for a frame at once, as any input would.
async function target(page, name) {
  const f0 = await page.evaluate(() => {
    const n = window.closeloop.state().frameCount;
    Module.clPlatform.wake();
    return n;
  });
  const s = await waitState(page, (st) => st.frameCount > f0 && st.targets && !!st.targets[name]);
  return s.targets[name];
}

async function clickTarget(page, name, { touch = false } = {}) {
  const t = await target(page, name);
  const c = center(t);
  if (touch) await page.touchscreen.tap(c.x, c.y); else await page.mouse.click(c.x, c.y);
}

// Taps a text field and waits until it is the active field AND the hidden text agent has the DOM
// focus: only then do typed keys and IME text land in it. The app handles the tap on its next frame,
// which on a loaded machine can come well after the tap returns; text sent before then is lost.
async function focusText(page, name, { touch = false } = {}) {
  await clickTarget(page, name, { touch });
  return waitState(page, (st) => st.activeTarget === name && st.textFocus === true);
}

// Let the idle loop settle (no frames for a moment) so a screenshot shows the final state.
async function settle(page) {
  await page.waitForFunction(() => window.closeloop.state().httpInFlight === 0, null, { timeout: 60000 });
  await page.waitForTimeout(250);
}

async function screenshot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, name);
  const buf = await page.screenshot({ path: file });
  return { file, png: decodePng(buf) };
}

// "Not blank": the luminance of a screenshot varies (text, bars), not one flat colour.
function luminanceStats(img) {
  let n = 0, sum = 0, sum2 = 0;
  const hist = new Map();
  for (let i = 0; i < img.width * img.height; i += 7) {
    const o = i * img.channels;
    const l = 0.299 * img.data[o] + 0.587 * img.data[o + 1] + 0.114 * img.data[o + 2];
    n++; sum += l; sum2 += l * l;
    const k = Math.round(l / 8);
    hist.set(k, (hist.get(k) || 0) + 1);
  }
  const mean = sum / n;
  return { mean, variance: sum2 / n - mean * mean, levels: hist.size };
}

module.exports = { ROOT, SHOTS, startServer, launchBrowser, launchPersistent, newPage, waitReady, state, waitState, focusText, newContext,
                   loginThroughForm, target, clickTarget, center, settle, screenshot, luminanceStats };
