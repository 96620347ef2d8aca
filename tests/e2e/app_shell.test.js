// End-to-end: the real server serves the built web app; Debian's Chromium (headless, SwiftShader
// WebGL2) loads it, logs in through the HTML form, and checks the workspace through the app's test
// API. Screenshots go to build/e2e/ — look at them (Chinese rendered, nothing clipped).
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

function assertNotBlank(shot, what) {
  const st = h.luminanceStats(shot.png);
  assert.ok(st.variance > 150 && st.levels > 8, `${what} looks blank: variance ${st.variance.toFixed(1)}, ${st.levels} levels`);
}

async function assertNoMissingGlyphs(page) {
  const s = await h.state(page);
  assert.equal(s.missingGlyphs, 0, `glyphs missing from the fonts: "${s.missingGlyphText}"`);
  assert.equal(s.missingGlyphsFirstPaint, 0, `glyphs missing before the full CJK font loaded: "${s.missingGlyphText}"`);
}

test('desktop: the Chinese login form signs rep1 in and the workspace shows the account from the server', async () => {
  const { context, page, problems } = await h.newPage(browser, { viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  try {
    await page.goto(server.base + '/');
    await h.waitReady(page);
    assert.equal(await page.textContent('label[for=username]'), '用户名');
    assert.equal(await page.textContent('label[for=password]'), '密码');
    let s = await h.state(page);
    assert.equal(s.screen, 'login');
    assert.equal(s.lang, 'zh');
    await h.screenshot(page, 'login-desktop-1440x900.png');

    // Field-specific errors in Chinese: empty password, then a wrong one.
    await page.fill('#username', 'rep1');
    await page.click('#login-submit');
    assert.equal(await page.textContent('#password-error'), '请输入密码');
    await h.loginThroughForm(page, 'rep1', 'wrong-password');
    await page.waitForFunction(() => document.getElementById('password-error').textContent !== '');
    assert.equal(await page.textContent('#password-error'), '用户名或密码错误');

    await h.loginThroughForm(page, 'rep1', 'demo1234');
    s = await h.waitState(page, (st) => st.screen === 'workbench' && st.user && st.user.username === 'rep1');
    assert.equal(s.route, 'workbench');
    assert.equal(s.user.role, 'rep');
    assert.equal(await page.evaluate(() => localStorage.getItem('closeloop.token') !== null), true);
    await page.waitForFunction(() => window.closeloop.state().fullFont === true, null, { timeout: 30000 });
    await h.settle(page);
    assert.match(await page.title(), /工作台/);
    const shot = await h.screenshot(page, 'workspace-desktop-1440x900.png');
    assertNotBlank(shot, 'desktop workspace');
    await assertNoMissingGlyphs(page);
    s = await h.state(page);
    assert.equal(s.compact, false, 'desktop uses the side navigation');
    assert.deepEqual(s.missingI18nKeys, [], 'every label of the shell and the workbench is in the i18n table');
    assert.ok(s.targets['nav.customers'], 'side nav has the customers entry');

    // Language toggle in the top bar → English everywhere, title included; and back.
    await h.clickTarget(page, 'lang_toggle');
    s = await h.waitState(page, (st) => st.lang === 'en');
    await h.settle(page);
    assert.match(await page.title(), /Workbench/);
    assert.equal(await page.evaluate(() => localStorage.getItem('closeloop.lang')), 'en');
    assertNotBlank(await h.screenshot(page, 'workspace-desktop-en.png'), 'English workspace');
    await h.clickTarget(page, 'lang_toggle');
    await h.waitState(page, (st) => st.lang === 'zh');

    // Navigation + hash routing + back button + document title per screen.
    await h.clickTarget(page, 'nav.customers');
    s = await h.waitState(page, (st) => st.route === 'customers');
    assert.equal(new URL(page.url()).hash, '#/customers');
    await page.goBack();
    s = await h.waitState(page, (st) => st.route === 'workbench');
    await page.goForward();
    await h.waitState(page, (st) => st.route === 'customers');
    await page.goBack();
    await h.waitState(page, (st) => st.route === 'workbench');

    assert.deepEqual(problems.filter((p) => !/favicon|service worker|status of 401/i.test(p)), []);
  } finally {
    await context.close();
  }
});

test('IME: a pinyin composition and its committed hanzi land in an ImGui text field', async () => {
  const { context, page } = await h.newPage(browser, { viewport: { width: 1440, height: 900 } });
  try {
    await page.goto(server.base + '/');
    await h.waitReady(page);
    await h.loginThroughForm(page, 'rep1', 'demo1234');
    await h.waitState(page, (st) => st.screen === 'workbench');
    await h.focusText(page, 'workbench.quick_note');
    const cdp = await context.newCDPSession(page);
    await cdp.send('Input.imeSetComposition', { text: 'hangzhou', selectionStart: 8, selectionEnd: 8 });
    await cdp.send('Input.imeSetComposition', { text: '杭州', selectionStart: 2, selectionEnd: 2 });
    await h.settle(page);
    await h.screenshot(page, 'ime-preedit-desktop.png');
    await cdp.send('Input.insertText', { text: '杭州某医疗器械' });
    let s = await h.waitState(page, (st) => st.lastEdited === '杭州某医疗器械');
    // Plain keys after the IME text: Latin and digits keep working in the same field.
    await page.keyboard.type(' 42');
    s = await h.waitState(page, (st) => st.lastEdited === '杭州某医疗器械 42');
    await page.keyboard.press('Backspace');
    s = await h.waitState(page, (st) => st.lastEdited === '杭州某医疗器械 4');
    await h.settle(page);
    await h.screenshot(page, 'ime-committed-desktop.png');
    await assertNoMissingGlyphs(page);
    assert.equal(s.lastEdited, '杭州某医疗器械 4');
  } finally {
    await context.close();
  }
});

test('tablet 1024×768 with touch: side navigation, bigger targets, tap navigation; portrait gets the bottom tab bar', async () => {
  const { context, page } = await h.newPage(browser, { viewport: { width: 1024, height: 768 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true });
  try {
    await page.goto(server.base + '/');
    await h.waitReady(page);
    await h.screenshot(page, 'login-tablet-1024x768.png');
    await h.loginThroughForm(page, 'rep1', 'demo1234');
    let s = await h.waitState(page, (st) => st.screen === 'workbench');
    assert.equal(s.touchStyle, true, '(pointer: coarse) → touch style');
    assert.equal(s.compact, false, 'tablet landscape keeps the side navigation');
    assert.ok(s.pixelRatio >= 2, 'HiDPI canvas');
    const nav = s.targets['nav.customers'];
    assert.ok(nav.h >= 44, `touch target is ${nav.h}px high, want ≥ 44`);
    await page.waitForFunction(() => window.closeloop.state().fullFont === true, null, { timeout: 30000 });
    await h.settle(page);
    assertNotBlank(await h.screenshot(page, 'workspace-tablet-1024x768.png'), 'tablet workspace');
    await assertNoMissingGlyphs(page);

    await h.clickTarget(page, 'nav.opportunities', { touch: true });
    await h.waitState(page, (st) => st.route === 'opportunities');

    await page.setViewportSize({ width: 768, height: 1024 });
    s = await h.waitState(page, (st) => st.compact === true);
    assert.ok(s.targets['nav.more'], 'bottom tab bar has the "more" entry');
    await h.settle(page);
    assertNotBlank(await h.screenshot(page, 'workspace-tablet-768x1024.png'), 'portrait workspace');
    await h.clickTarget(page, 'nav.workbench', { touch: true });
    await h.waitState(page, (st) => st.route === 'workbench');
    await assertNoMissingGlyphs(page);
  } finally {
    await context.close();
  }
});

test('the app idles (no frames) when nothing changes and wakes on input', async () => {
  const { context, page } = await h.newPage(browser, { viewport: { width: 1280, height: 800 } });
  try {
    await page.goto(server.base + '/');
    await h.waitReady(page);
    await h.loginThroughForm(page, 'rep1', 'demo1234');
    await h.waitState(page, (st) => st.screen === 'workbench');
    // After login the sync client talks to the server for a while (network completions wake the
    // loop, as they should); then there must be a quiet stretch with no frames at all.
    await page.waitForFunction(() => window.closeloop.isIdle(), null, { timeout: 60000 });
    let before = -1;
    let quiet = false;
    for (let i = 0; i < 20 && !quiet; i++) {
      before = (await h.state(page)).frameCount;
      await page.waitForTimeout(700);
      quiet = (await h.state(page)).frameCount === before;
    }
    assert.ok(quiet, 'a 700 ms stretch with no frames rendered while nothing changes');
    await page.mouse.move(300, 300);
    await page.mouse.move(320, 310);
    await page.waitForFunction((n) => window.closeloop.state().frameCount > n, before, { timeout: 20000 });
  } finally {
    await context.close();
  }
});

test('logout returns to the login form, clears the stored token, and the form switches language', async () => {
  const { context, page } = await h.newPage(browser, { viewport: { width: 1440, height: 900 } });
  try {
    await page.goto(server.base + '/');
    await h.waitReady(page);
    await h.loginThroughForm(page, 'rep1', 'demo1234');
    await h.waitState(page, (st) => st.screen === 'workbench');
    await h.clickTarget(page, 'logout');
    await h.waitState(page, (st) => st.user === null && st.screen === 'login');
    assert.equal(await page.isVisible('#login-form'), true);
    assert.equal(await page.evaluate(() => localStorage.getItem('closeloop.token')), null);
    // The login form's own language toggle, and the app follows it.
    await page.click('#lang-toggle');
    assert.equal(await page.textContent('label[for=username]'), 'Username');
    assert.equal(await page.textContent('#login-submit'), 'Sign in');
    await h.waitState(page, (st) => st.lang === 'en');
    await h.screenshot(page, 'login-desktop-en.png');
    await page.click('#lang-toggle');
    assert.equal(await page.textContent('label[for=username]'), '用户名');
  } finally {
    await context.close();
  }
});
