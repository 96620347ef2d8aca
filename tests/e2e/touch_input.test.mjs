// Platform paths of issue 5 that only a touch tablet exercises, against the real server in
// Chromium with touch emulation: long-press opens a row's context menu (dial / copy phone / log a
// visit / open) without opening the row; Android keyboards (keyCode 229: text only through `input`,
// Backspace on an empty-looking field); the on-screen keyboard shrinking the visual viewport never
// covers the field being typed in; the camera capture picker (accept + capture attributes, photos
// downscaled before they enter wasm, undecodable images kept as they are); clipboard paste.
// Screenshots: build/e2e/touch-*.png.
import test from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import h from './lib/harness.js';
import F from './lib/field_helpers.js';

let server;
let browser;
let S;

F.useServerAndBrowser(test, (x) => {
  ({ server, browser, S } = x);
});

const TABLET = { viewport: { width: 1024, height: 768 }, hasTouch: true, isMobile: true };
const PORTRAIT = { viewport: { width: 768, height: 1024 }, hasTouch: true, isMobile: true };
const query = async (page) => (await F.field(page)).list.query;

async function shot(page, name) {
  await h.settle(page);
  return h.screenshot(page, name);
}

test('long-press on a customer opens its context menu (not the customer): copy phone, dial, log a visit, open', async () => {
  const { context, page, problems } = await F.signedIn(browser, server, TABLET);
  try {
    const cdp = await context.newCDPSession(page);
    await F.interceptTel(page);
    await F.go(page, 'customers', 'customers');
    const row = h.center(await h.target(page, 'customers.row0'));
    const press = async () => {
      await F.longPress(cdp, row.x, row.y, 800);
      return h.waitState(page, (s) => !!s.targets['customers.ctx.copy_phone']);
    };
    let s = await press();
    assert.equal(s.route, 'customers', 'a long press does not open the row');
    await shot(page, 'touch-long-press-menu-tablet.png');

    await F.tap(page, 'customers.ctx.copy_phone', true);
    const phone = await page.evaluate(() => window.closeloop.lastCopied());
    assert.match(phone, /^[0-9+\- ]{7,}$/);

    await press();
    await F.tap(page, 'customers.ctx.dial', true);
    await page.waitForFunction(() => window.__telLinks.length > 0);
    assert.deepEqual(await F.telLinks(page), ['tel:' + phone.replace(/[^0-9+]/g, '')]);

    const before = await F.field(page);
    await press();
    await F.tap(page, 'customers.ctx.log_visit', true);
    await F.waitField(page, (f) => f.activities === before.activities + 1);

    await press();
    await F.tap(page, 'customers.ctx.open', true);
    s = await h.waitState(page, (st) => st.screen === 'customers/:id');
    const p = await F.waitScreens(page, (x) => x.profile.found);
    assert.equal(p.profile.phone, phone, 'the menu belonged to the row that was pressed');
    assert.equal(p.profile.interactions[0].kind, 'visit', 'the visit logged from the menu is the newest interaction');
    await F.waitField(page, (f) => f.pending === 0 && f.rejected === 0, 60000);
    assert.deepEqual(problems.filter((x) => !F.ignorable(x)), []);
  } finally {
    await context.close();
  }
});

test('Android keyboard: text with keyCode 229 arrives through input events, and Backspace works on an empty-looking field', async () => {
  const { context, page } = await F.signedIn(browser, server, TABLET);
  try {
    const cdp = await context.newCDPSession(page);
    await F.go(page, 'customers', 'customers');
    await h.focusText(page, 'customers.search', { touch: true });
    const key229 = async (type) => cdp.send('Input.dispatchKeyEvent', { type, windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229, key: 'Unidentified', code: '' });
    // Gboard: every key is keyCode 229; the text comes only with the input event.
    for (const part of ['杭州', '金源']) {
      await key229('rawKeyDown');
      await cdp.send('Input.insertText', { text: part });
      await key229('keyUp');
    }
    await page.waitForFunction(() => window.closeloop.field().list.query === '杭州金源');
    // The agent still looks empty to the keyboard (only the sentinel), yet Backspace must delete.
    const agent = await page.evaluate(() => document.getElementById('cl-text-agent').value);
    assert.equal(agent.trim(), '', 'the text agent keeps no text of its own');
    const androidBackspace = async () => {
      await key229('rawKeyDown');
      await page.evaluate(() => {
        const t = document.getElementById('cl-text-agent');
        t.setSelectionRange(t.value.length, t.value.length);
        document.execCommand('delete');   // what the keyboard does: an input event, deleteContentBackward
      });
      await key229('keyUp');
    };
    await androidBackspace();
    await page.waitForFunction(() => window.closeloop.field().list.query === '杭州金');
    await androidBackspace();
    await androidBackspace();
    await page.waitForFunction(() => window.closeloop.field().list.query === '杭');
    await shot(page, 'touch-android-229-tablet.png');
    const count = (await F.screens(page)).list.count;
    assert.ok(count > 0, 'the search ran on what was typed');
  } finally {
    await context.close();
  }
});

test('the on-screen keyboard (visual viewport shrinking) never covers the field being typed in', async () => {
  const { context, page } = await F.signedIn(browser, server, PORTRAIT);
  try {
    await F.go(page, 'customers/new', 'customers/new');
    // The lowest text field of the form.
    const s0 = await h.waitState(page, (s) => !!s.targets['customer_form.address']);
    const field0 = s0.targets['customer_form.address'];
    await h.focusText(page, 'customer_form.address', { touch: true });
    // The keyboard slides up: the visible height ends well above the field.
    const visible = Math.round(field0.y - 120);
    assert.ok(visible > 200, `field at ${field0.y}`);
    await page.setViewportSize({ width: 768, height: visible });
    const s1 = await h.waitState(page, (s) => s.targets['customer_form.address'] &&
      s.targets['customer_form.address'].y + s.targets['customer_form.address'].h <= visible && s.idle === true, 15000);
    const f1 = s1.targets['customer_form.address'];
    assert.ok(f1.y >= 0, `the field is on screen: ${JSON.stringify(f1)} in ${visible}`);
    // Whole, not half hidden under the form's footer: the visible part is the entire field.
    assert.ok(f1.vh >= f1.h - 0.5, `the field is not clipped by its window: ${JSON.stringify(f1)}`);
    // The IME agent (candidate window anchor) follows the caret into the visible part.
    const agent = await page.evaluate(() => { const r = document.getElementById('cl-text-agent').getBoundingClientRect(); return { y: r.y, h: r.height }; });
    assert.ok(agent.y >= 0 && agent.y < visible, `agent at ${agent.y} within ${visible}`);
    // Still the same field: typing lands in it.
    await page.keyboard.insertText('杭州市西湖区文三路90号');
    await h.waitState(page, (s) => s.lastEdited === '杭州市西湖区文三路90号');
    await shot(page, 'touch-keyboard-covering-portrait.png');
    // Keyboard down again.
    await page.setViewportSize({ width: 768, height: 1024 });
    await h.waitState(page, (s) => s.idle === true, 45000);
  } finally {
    await context.close();
  }
});

test('camera capture on a touch tablet: the picker asks for the back camera, photos are downscaled into wasm, undecodable ones kept', async () => {
  const { context, page } = await F.signedIn(browser, server, TABLET);
  try {
    const rep1 = await S.visibleTo('rep1');
    const opp = [...rep1.values()].find((o) => o && o.stages && o.status === 'open' && o.owner_id === 'user-rep1' &&
                                               o.stages[o.stages.length - 1].stage < 4);
    await F.go(page, 'opportunities/' + opp.id, 'opportunities/:id');
    await F.waitScreens(page, (x) => x.card.id === opp.id);

    // A 3000×2000 camera JPEG (made by the browser's own encoder).
    const jpeg = Buffer.from(await page.evaluate(async () => {
      const c = document.createElement('canvas');
      c.width = 3000; c.height = 2000;
      const g = c.getContext('2d');
      g.fillStyle = '#2f6f9f'; g.fillRect(0, 0, 3000, 2000);
      g.fillStyle = '#fff'; g.font = '240px sans-serif'; g.fillText('合同扫描件 2026', 200, 600);
      const b = await new Promise((r) => c.toBlob(r, 'image/jpeg', 0.92));
      return Array.from(new Uint8Array(await b.arrayBuffer()));
    }));
    let chooser = page.waitForEvent('filechooser');
    await F.tap(page, 'card.take_photo', true);
    let fc = await chooser;
    const attrs = await fc.element().evaluate((el) => ({ accept: el.getAttribute('accept'), capture: el.getAttribute('capture') }));
    assert.deepEqual(attrs, { accept: 'image/*', capture: 'environment' });
    await fc.setFiles({ name: '合同.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    let c = await F.waitScreens(page, (x) => x.card.attached.length === 1);
    const photo = c.card.attached[0];
    assert.equal(photo.name, '合同.jpg');
    assert.equal(photo.mime, 'image/jpeg');
    assert.ok(photo.size < jpeg.length, `downscaled before copying into wasm: ${photo.size} < ${jpeg.length}`);
    assert.notEqual(photo.sha256, crypto.createHash('sha256').update(jpeg).digest('hex'));

    // "Choose file": PDFs and images, no camera.
    chooser = page.waitForEvent('filechooser');
    await F.tap(page, 'card.pick_file', true);
    fc = await chooser;
    const attrs2 = await fc.element().evaluate((el) => ({ accept: el.getAttribute('accept'), capture: el.getAttribute('capture') }));
    assert.deepEqual(attrs2, { accept: 'application/pdf,image/*', capture: null });
    // An image the browser cannot decode (e.g. HEIC) is attached as it is, not lost.
    const heic = Buffer.from('\x00\x00\x00\x18ftypheic not decodable here');
    await fc.setFiles({ name: 'IMG_0001.heic', mimeType: 'image/heic', buffer: heic });
    c = await F.waitScreens(page, (x) => x.card.attached.length === 2);
    const raw = c.card.attached[1];
    assert.equal(raw.size, heic.length);
    assert.equal(raw.sha256, crypto.createHash('sha256').update(heic).digest('hex'));
    await shot(page, 'touch-camera-evidence-tablet.png');
  } finally {
    await context.close();
  }
});

test('clipboard paste lands once in the field being typed in (Ctrl+V and the tablet paste menu)', async () => {
  const { context, page } = await F.signedIn(browser, server, TABLET);
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
    await F.go(page, 'customers', 'customers');
    await h.focusText(page, 'customers.search', { touch: true });
    await page.evaluate(() => navigator.clipboard.writeText('杭州金源'));
    await page.keyboard.press('Control+V');
    await page.waitForFunction(() => window.closeloop.field().list.query !== '');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await query(page), '杭州金源', 'pasted exactly once');

    // Tablet: long-press in the field → "粘贴" fires a paste event on the focused text agent.
    for (let i = 0; i < 4; i++) await page.keyboard.press('Backspace');
    await page.waitForFunction(() => window.closeloop.field().list.query === '');
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.setData('text/plain', '宁波');
      document.getElementById('cl-text-agent').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    });
    await page.waitForFunction(() => window.closeloop.field().list.query === '宁波');
    await shot(page, 'touch-pasted-tablet.png');
  } finally {
    await context.close();
  }
});
