// Field app end to end (issue 5), against the real server in Chromium on a touch tablet:
//   Chinese typed through the IME (CDP Input.imeSetComposition / Input.insertText) into the
//   new-customer form; the customer saved and an opportunity advanced with an evidence PDF while
//   offline; a reload offline keeps both pending; back online they reach the server (checked over
//   the API) and manager1 sees them; a mutation the server rejects is shown with its reason.
// Screenshots: build/e2e/field-*.png.
import test from 'node:test';
import assert from 'node:assert/strict';
import h from './lib/harness.js';
import fh from './lib/field_helpers.js';

let server;
let browser;

fh.useServerAndBrowser(test, (x) => {
  ({ server, browser } = x);
  ({ api, login, visibleTo } = x.S);
});

const { field, waitField } = fh;
let api, login, visibleTo;  // the server's API from node (lib/field_helpers.js), bound in before()

async function signedInTablet(viewport) {
  const env = await h.newPage(browser, { viewport, hasTouch: true, isMobile: true });
  await env.page.goto(server.base + '/');
  await h.waitReady(env.page);
  await h.loginThroughForm(env.page, 'rep1', 'demo1234');
  await h.waitState(env.page, (st) => st.screen === 'workbench');
  await waitField(env.page, (f) => f.loaded && !f.first_sync && f.device_no > 0, 60000);
  return env;
}

async function tap(page, name) { await h.clickTarget(page, name, { touch: true }); }

// Save; when the R5 duplicate warning appears (demo data has similar names), confirm and save again.
async function saveForm(page) {
  await tap(page, 'customer_form.save');
  await new Promise((r) => setTimeout(r, 400));
  const f = await field(page);
  if (f.form.duplicates > 0 && f.form.problems.some((p) => p.code === 'possible_duplicate')) {
    await h.settle(page);
    await h.screenshot(page, 'field-customer-form-duplicate.png');
    await tap(page, 'customer_form.not_duplicate');
    await tap(page, 'customer_form.save');
  }
  const after = await field(page);
  if (after.form.problems.length > 0 && after.form.name !== '') throw new Error('form refused: ' + JSON.stringify(after.form));
}

async function typeInto(page, name, text) {
  await h.focusText(page, name, { touch: true });
  await page.keyboard.insertText(text);
}

test('offline: new customer (typed with the IME) and an evidence-gated advance survive a reload and sync when back online', async () => {
  const { context, page, problems } = await signedInTablet({ width: 1024, height: 768 });
  try {
    const cdp = await context.newCDPSession(page);
    await page.evaluate(() => window.closeloop.navigate('customers'));
    await h.waitState(page, (st) => st.screen === 'customers');
    await h.settle(page);
    await h.screenshot(page, 'field-customers-tablet-landscape.png');

    await context.setOffline(true);
    await page.evaluate(() => window.closeloop.navigate('customers/new'));
    await h.waitState(page, (st) => st.screen === 'customers/new');

    // The organisation name through the IME: composition (pinyin preedit), then the committed text.
    await h.focusText(page, 'customer_form.name', { touch: true });
    await cdp.send('Input.imeSetComposition', { text: 'hangzhou', selectionStart: 8, selectionEnd: 8 });
    await cdp.send('Input.imeSetComposition', { text: '杭州', selectionStart: 2, selectionEnd: 2 });
    await cdp.send('Input.insertText', { text: '杭州' });
    await cdp.send('Input.imeSetComposition', { text: 'mouyiliaoqixie', selectionStart: 14, selectionEnd: 14 });
    await cdp.send('Input.insertText', { text: '某医疗器械' });
    await waitField(page, (f) => f.form.name === '杭州某医疗器械');

    // Saving with fields missing names every one of them.
    await tap(page, 'customer_form.save');
    const refused = await waitField(page, (f) => f.form.problems.length > 0);
    const fields = refused.form.problems.map((p) => p.field);
    for (const f of ['decision_maker', 'decision_maker_title', 'phone', 'main_business', 'tags.customer_type', 'tags.region', 'tags.first_channel'])
      assert.ok(fields.includes(f), `missing ${f} should be named: ${fields}`);
    await h.settle(page);
    await h.screenshot(page, 'field-customer-form-errors-tablet.png');

    await typeInto(page, 'customer_form.decision_maker', '王主任');
    await typeInto(page, 'customer_form.decision_maker_title', '设备科主任');
    await typeInto(page, 'customer_form.phone', '0571-86001234');
    await typeInto(page, 'customer_form.main_business', '骨科耗材');
    for (const g of ['customer_type', 'region', 'first_channel']) await tap(page, `customer_form.tag.${g}.0`);
    await saveForm(page);
    let s = await h.waitState(page, (st) => /^customers\/[0-9a-f-]{36}$/.test(st.route));
    const customerId = s.route.split('/')[1];
    let f = await waitField(page, (x) => x.pending >= 1);
    assert.equal(f.connectivity, 'offline');
    await h.settle(page);
    await h.screenshot(page, 'field-customer-profile-offline-tablet.png');

    // An opportunity of rep1: advance it with a PDF (refused first without one).
    await page.evaluate(() => window.closeloop.navigate('opportunities'));
    await h.waitState(page, (st) => st.screen === 'opportunities');
    await h.settle(page);
    await h.screenshot(page, 'field-opportunities-tablet.png');
    await tap(page, 'opportunities.row0');
    s = await h.waitState(page, (st) => st.screen === 'opportunities/:id');
    const oppId = s.route.split('/')[1];
    const before = await waitField(page, (x) => x.card.found && x.card.id === oppId);
    await tap(page, 'card.advance');
    f = await waitField(page, (x) => x.card.problems.length > 0);
    assert.equal(f.card.problems[0].code, 'evidence_required');

    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const chooser = page.waitForEvent('filechooser');
    await tap(page, 'card.pick_file');
    await (await chooser).setFiles({ name: '需求确认书.pdf', mimeType: 'application/pdf', buffer: pdf });
    await waitField(page, (x) => x.card.attached === 1);
    await tap(page, 'card.advance');
    f = await waitField(page, (x) => x.card.stage === before.card.stage + 1 && x.card.summary.length > 0);
    assert.ok(f.pending >= 2, JSON.stringify(f));
    assert.equal(f.evidence_pending, 1);
    await h.settle(page);
    await h.screenshot(page, 'field-opportunity-card-offline-tablet.png');

    // Copy the stage summary (R12).
    await tap(page, 'card.copy_summary');
    const copied = await page.evaluate(() => window.closeloop.lastCopied());
    assert.equal(copied, f.card.summary);

    // Reload while offline: the app starts from the service worker, the replica and outbox from IndexedDB.
    await page.reload();
    await h.waitReady(page);
    await h.waitState(page, (st) => st.screen !== 'login', 30000);
    f = await waitField(page, (x) => x.loaded && x.pending >= 2, 30000);
    assert.equal(f.evidence_pending, 1);
    await page.evaluate((id) => window.closeloop.navigate('customers/' + id), customerId);
    await h.waitState(page, (st) => st.screen === 'customers/:id');
    await h.settle(page);
    await h.screenshot(page, 'field-after-offline-reload-tablet.png');

    // Back online: evidence upload, push, pull.
    await context.setOffline(false);
    await page.evaluate(() => window.closeloop.syncNow());
    f = await waitField(page, (x) => x.pending === 0 && x.evidence_pending === 0 && x.rejected === 0, 60000);

    const mine = await visibleTo('rep1');
    const c = mine.get(`customer/${customerId}`);
    assert.ok(c, 'the customer is on the server');
    assert.equal(c.name, '杭州某医疗器械');
    const o = mine.get(`opportunity/${oppId}`);
    assert.equal(o.stages[o.stages.length - 1].stage, before.card.stage + 1);
    assert.equal(o.stages[o.stages.length - 2].evidence.length, 1, 'the evidence is on the left stage');
    const team = await visibleTo('manager1');
    assert.ok(team.get(`customer/${customerId}`), 'manager1 sees the new customer');
    assert.ok(team.get(`opportunity/${oppId}`), 'manager1 sees the opportunity');
    assert.deepEqual(problems.filter((p) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED|net::/.test(p)), []);
  } finally {
    await context.close();
  }
});

test('a customer the server rejects is shown with its reason and a way to fix it (portrait tablet)', async () => {
  const { context, page } = await signedInTablet({ width: 768, height: 1024 });
  try {
    const other = 'e2e-other-device';
    await context.setOffline(true);
    await page.evaluate(() => window.closeloop.navigate('customers/new'));
    await h.waitState(page, (st) => st.screen === 'customers/new');
    await typeInto(page, 'customer_form.name', '宁波测试诊所');
    await typeInto(page, 'customer_form.decision_maker', '李院长');
    await typeInto(page, 'customer_form.decision_maker_title', '院长');
    await typeInto(page, 'customer_form.phone', '13800138123');
    await typeInto(page, 'customer_form.main_business', '口腔');
    // Portrait: the tags are below the fields — scroll the form with a finger drag, then tap them.
    const cdp = await context.newCDPSession(page);
    const drag = async (fromY, toY) => {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: 700, y: fromY }] });
      for (let i = 1; i <= 10; i++)
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: 700, y: fromY + ((toY - fromY) * i) / 10 }] });
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    };
    await drag(800, 200);
    await new Promise((r) => setTimeout(r, 1200));
    await h.settle(page);
    await h.screenshot(page, 'field-customer-form-portrait-scrolled.png');
    for (const g of ['customer_type', 'region', 'first_channel']) await tap(page, `customer_form.tag.${g}.1`);
    await saveForm(page);
    const s = await h.waitState(page, (st) => /^customers\/[0-9a-f-]{36}$/.test(st.route));
    const id = s.route.split('/')[1];
    const mine = await field(page);
    assert.equal(mine.pending, 1);
    // Meanwhile a rep of another team enters the same clinic (same phone) from their own registered
    // device, with a code of their own device (the server refuses codes of another device's prefix).
    // The server then refuses the tablet's create as a duplicate (R5), without naming the other
    // team's customer to rep1 (R33).
    await waitField(page, (x) => x.profile && x.profile.found && x.profile.id === id);
    const otherToken = await login('rep8');
    const reg = await api('/api/v1/sync/register', otherToken, { method: 'POST', body: JSON.stringify({ client_id: other }) });
    assert.equal(reg.status, 200, JSON.stringify(reg.body));
    const push = await api('/api/v1/sync/push', otherToken, {
      method: 'POST',
      body: JSON.stringify({ client_id: other, schema_version: 1, mutations: [{
        client_id: other, mid: 1, name: 'customer.create', schema_version: 1, base_version: 0, at: Date.now(),
        args: { customer: { id: 'e2e-other-' + Date.now(), name: '别的团队的客户', decision_maker: '赵', decision_maker_title: '科长',
                            phone: '13800138123', main_business: '器械', code: reg.body.customer_code_prefix + '00001',
                            tags: { customer_type: '经销商', region: '杭州', first_channel: '展会' } } },
      }] }),
    });
    assert.equal(push.status, 200, JSON.stringify(push.body));
    await context.setOffline(false);
    await page.evaluate(() => window.closeloop.syncNow());
    const f = await waitField(page, (x) => x.rejected === 1 && x.issues.length === 1, 60000);
    assert.equal(f.issues[0].name, 'customer.create');
    assert.ok(f.issues[0].problems.length > 0);
    assert.equal(push.body.results[0].status, 'applied', JSON.stringify(push.body));
    assert.ok(!JSON.stringify(f.issues[0].problems).includes('别的团队的客户'), 'the other team\'s customer must not be named');
    assert.match(f.issues[0].fix_route, /^customers\/new\/retry\/\d+$/);
    await page.evaluate(() => window.closeloop.navigate('customers'));
    await h.waitState(page, (st) => st.screen === 'customers');
    await h.settle(page);
    await h.screenshot(page, 'field-rejected-portrait-tablet.png');
    await page.evaluate(() => window.closeloop.navigate('customers/board'));
    await h.waitState(page, (st) => st.screen === 'customers/board');
    await h.settle(page);
    await h.screenshot(page, 'field-lifecycle-board-portrait-tablet.png');
    await page.setViewportSize({ width: 1280, height: 800 });
    await h.settle(page);
    await h.screenshot(page, 'field-lifecycle-board-desktop.png');
    await page.evaluate(() => window.closeloop.navigate('opportunities'));
    await h.waitState(page, (st) => st.screen === 'opportunities');
    await h.settle(page);
    await h.screenshot(page, 'field-opportunities-desktop.png');
  } finally {
    await context.close();
  }
});
