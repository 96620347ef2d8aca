// Shared pieces of the browser benchmarks (issue 5, bench/web_*.js): the real closeloop-server on a
// free loopback port over a cached, seeded data folder; Debian's Chromium (headless, SwiftShader) with
// a real profile folder; medians and percentiles. Benchmarks print figures, they never fail on them.
//
// The seeded data folder: a people-only server (`--scale users`) and then, pushed through the real
// sync endpoint as rep1 (the same path a device's outbox takes), N customers and N activities — so
// rep1's scope holds exactly 2N records (N = 50k: 50k customers in the replica, 100k records for the
// first sync). It is cached under build/bench-web/ and reused while the server binary is unchanged
// enough to open it (a run that cannot log in re-seeds).
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const harness = require(path.join(ROOT, 'tests', 'e2e', 'lib', 'harness.js'));
const OUT = path.join(ROOT, 'build', 'bench-web');

function log(...a) { console.error('[bench-web]', ...a); }

function findBuild() {
  const server = process.env.CLOSELOOP_SERVER || path.join(ROOT, 'build', 'native', 'src', 'server', 'closeloop-server');
  const web = process.env.CLOSELOOP_WEB_DIST || path.join(ROOT, 'build', 'wasm', 'dist');
  if (!fs.existsSync(server)) throw new Error(`server binary not found: ${server} (set CLOSELOOP_SERVER)`);
  if (!fs.existsSync(path.join(web, 'index.html'))) throw new Error(`web dist not found: ${web} (set CLOSELOOP_WEB_DIST)`);
  return { server, web };
}

async function freePort() {
  const net = require('node:net');
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
    srv.on('error', reject);
  });
}

// Starts `closeloop-server serve` on `dataDir` (created when missing). extraArgs e.g. ['--scale','users'].
async function startServer(dataDir, extraArgs = []) {
  const { server, web } = findBuild();
  const port = await freePort();
  fs.mkdirSync(dataDir, { recursive: true });
  const args = ['serve', '--port', String(port), '--data', dataDir, '--web', web, '--fast-hash', '--scheduler=off', ...extraArgs];
  const proc = spawn(server, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d) => { out += d; });
  proc.stderr.on('data', (d) => { out += d; });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited (${proc.exitCode}):\n${out}`);
    try { if ((await fetch(base + '/api/v1/health')).ok) break; } catch (_) { /* not up yet */ }
    if (Date.now() > deadline) { proc.kill('SIGKILL'); throw new Error('server did not become healthy:\n' + out); }
    await sleep(100);
  }
  return {
    base, pid: proc.pid, log: () => out,
    async stop() {
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM');
      await new Promise((r) => { const t = setTimeout(() => { proc.kill('SIGKILL'); r(); }, 10000); proc.on('exit', () => { clearTimeout(t); r(); }); });
    },
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function api(base, method, p, token, body) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  const r = await fetch(base + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch (_) { /* not JSON */ }
  return { status: r.status, json, text };
}

async function login(base, username) {
  const r = await api(base, 'POST', '/api/v1/auth/login', null, { username, password: 'demo1234' });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text.slice(0, 200)}`);
  return r.json;
}

// ---- deterministic synthetic customers (realistic Chinese names, phones, people) -------------------
function prng(seed) {  // mulberry32
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const REGIONS = ['杭州', '宁波', '温州', '绍兴', '嘉兴', '湖州', '金华', '台州', '舟山', '上海', '苏州', '南京'];
const NAME_MID = ['康泰', '华东', '仁和', '博爱', '同济', '安康', '瑞金', '明州', '协和', '东方', '济世', '德仁', '长庚',
  '恒生', '新华', '永康', '天和', '广济', '普济', '惠民', '和睦', '百佳', '春晖', '正大', '金鹰', '海正', '众安', '益民'];
const NAME_TAIL = [['第一人民医院', '三甲医院'], ['中医院', '三甲医院'], ['妇幼保健院', '二级医院'], ['口腔诊所', '民营诊所'],
  ['骨科医院', '民营医院'], ['体检中心', '体检中心'], ['医疗器械有限公司', '经销商'], ['医药贸易有限公司', '经销商'],
  ['眼科医院', '民营医院'], ['社区卫生服务中心', '其他'], ['综合门诊部', '民营诊所'], ['康复医院', '二级医院']];
const DISTRICTS = ['西湖', '滨江', '鄞州', '鹿城', '越城', '南湖', '吴兴', '婺城', '椒江', '定海', '浦东', '姑苏', '鼓楼', '江北'];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾'.split('');
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '建华', '志强'];
const TITLES = ['主任', '院长', '采购经理', '设备科科长', '总经理', '护士长'];
const BUSINESS = ['骨科耗材', '影像设备', '检验试剂', '口腔器械', '康复设备', '手术器械', '眼科设备', '体检设备'];
const CHANNELS = ['展会', '转介绍', '电话开发', '线上咨询', '市场活动', '老客户'];
const KINDS = ['visit', 'call', 'message_sent', 'note'];

// core/ids.h: device numbers in Crockford base-32, at least 3 characters.
function deviceCode(n) {
  const digits = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let s = '';
  do { s = digits[n % 32] + s; n = Math.floor(n / 32); } while (n > 0);
  return s.padStart(3, '0');
}

// Customer i; `seen` keeps names and phones unique (the server refuses R5 duplicates).
function syntheticCustomer(i, rnd, deviceNo, seen) {
  const pick = (a) => a[Math.floor(rnd() * a.length)];
  const region = pick(REGIONS);
  const [tail, type] = pick(NAME_TAIL);
  let core, phone;
  // Unique without the city: the server's R5 check ignores a place that only one name states.
  do core = `${pick(NAME_MID)}${tail}（${pick(DISTRICTS)}${1 + Math.floor(rnd() * 80)}分部）`; while (seen.has(core));
  const name = region + core;
  // Phones unique by construction (R5 compares mobiles and landlines' local parts).
  phone = '1' + pick(['38', '39', '50', '58', '86', '89']) + String((i * 1237) % 70000000).padStart(8, '0');
  const landline = '0571-8' + String((i * 7919) % 10000000).padStart(7, '0');
  seen.add(core);
  const person = pick(SURNAMES) + pick(GIVEN);
  return {
    id: `bw-c-${String(i).padStart(6, '0')}`,
    code: `KH-${deviceCode(deviceNo)}-${String(i + 1).padStart(6, '0')}`,
    name, decision_maker: person, decision_maker_title: pick(TITLES), phone, main_business: pick(BUSINESS),
    address: `${region}市${pick(DISTRICTS)}区${1 + Math.floor(rnd() * 800)}号`,
    contacts: [{ name: pick(SURNAMES) + pick(GIVEN), phone: landline }],
    tags: { customer_type: type, region, first_channel: pick(CHANNELS) },
  };
}

// Pushes `n` customers and `n` activities as rep1 through POST /api/v1/sync/push (batches of 2000).
async function seedThroughPush(base, n) {
  const { token } = await login(base, 'rep1');
  const clientId = 'bench-web-seeder';
  const reg = await api(base, 'POST', '/api/v1/sync/register', token, { client_id: clientId });
  if (reg.status !== 200) throw new Error(`register: ${reg.status} ${reg.text.slice(0, 200)}`);
  const deviceNo = reg.json.device_no;
  const seen = new Set();
  const rnd = prng(20261127);
  let mid = 1;
  const t0 = Date.now();
  const push = async (mutations) => {
    const r = await api(base, 'POST', '/api/v1/sync/push', token, { client_id: clientId, schema_version: 1, mutations });
    if (r.status !== 200) throw new Error(`push: ${r.status} ${r.text.slice(0, 300)}`);
    const bad = (r.json.results || []).filter((x) => x.status !== 'applied');
    if (bad.length) throw new Error(`push rejected ${bad.length}: ${JSON.stringify(bad[0]).slice(0, 400)} ${JSON.stringify(mutations.find((m) => m.mid === bad[0].mid)).slice(0, 300)}`);
  };
  const batch = 2000;
  for (let i = 0; i < n; i += batch) {
    const ms = [];
    for (let k = i; k < Math.min(n, i + batch); k++) ms.push({ mid: mid++, name: 'customer.create', args: { customer: syntheticCustomer(k, rnd, deviceNo, seen) } });
    await push(ms);
    if ((i / batch) % 5 === 4) log(`seeding: ${i + batch} customers`);
  }
  for (let i = 0; i < n; i += batch) {
    const ms = [];
    for (let k = i; k < Math.min(n, i + batch); k++) {
      ms.push({ mid: mid++, name: 'activity.log', args: { activity: {
        id: `bw-a-${String(k).padStart(6, '0')}`, kind: KINDS[k % KINDS.length], customer_id: `bw-c-${String((k * 7919) % n).padStart(6, '0')}`,
        summary: '电话跟进：确认需求与预算，约下周拜访', outcome: '客户有意向' } } });
    }
    await push(ms);
  }
  log(`seeded ${n} customers + ${n} activities through sync push in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

// The cached seeded data folder for `n` customers (+ n activities) owned by rep1.
async function seededDataDir(n) {
  const dir = path.join(OUT, `data-${n}`);
  const marker = path.join(dir, 'bench-seeded.json');
  if (fs.existsSync(marker)) {
    const srv = await startServer(dir);
    try {
      const { token } = await login(srv.base, 'rep1');
      const r = await api(srv.base, 'GET', `/api/v1/sync/pull?client_id=bench-web-check&schema_version=1&limit=1`, token);
      if (r.status === 200 && r.json && (r.json.changes || []).length === 1) return dir;
    } catch (e) { log('cached data folder unusable, re-seeding:', e.message); } finally { await srv.stop(); }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const srv = await startServer(dir, ['--scale', 'users']);
  try {
    await seedThroughPush(srv.base, n);
  } finally { await srv.stop(); }
  fs.writeFileSync(marker, JSON.stringify({ customers: n, activities: n, owner: 'rep1' }));
  return dir;
}

// ---- browser ----------------------------------------------------------------------------------
function freshProfile(tag) {
  fs.mkdirSync(OUT, { recursive: true });
  return fs.mkdtempSync(path.join(os.tmpdir(), `closeloop-bench-${tag}-`));
}

async function openApp(profileDir, base, hash = '#/customers', viewport = { width: 1280, height: 800 }) {
  const context = await harness.launchPersistent(profileDir, { viewport });
  const page = context.pages()[0] || (await context.newPage());
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(base + '/' + hash);
  await harness.waitReady(page);
  return { context, page, problems };
}

// A CDP CPU profile (Profiler.stop): self time per function (ms), and per coarse category (wasm, js,
// (program), (garbage collector), (idle)).
function summarizeProfile(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const ms = (dt[i + 1] !== undefined ? dt[i + 1] : 0) / 1000;
    const cf = node.callFrame;
    const url = cf.url || '';
    const kind = cf.functionName.startsWith('(') ? cf.functionName
      : url.includes('.wasm') || url.startsWith('wasm://') ? 'wasm' : 'js';
    const key = `${cf.functionName || '(anonymous)'} ${kind === 'js' ? url.split('/').pop() + ':' + cf.lineNumber : '[' + kind + ']'}`;
    const e = self.get(key) || { ms: 0, kind };
    e.ms += ms;
    self.set(key, e);
  }
  const cats = {};
  for (const [, e] of self) cats[e.kind] = (cats[e.kind] || 0) + e.ms;
  return { rows: [...self.entries()].sort((a, b) => b[1].ms - a[1].ms), cats };
}

// Prints a CPU profile's summary: `heading` and the time by category, then the top functions.
function printProfile(prof, top, heading) {
  const { rows, cats } = summarizeProfile(prof);
  console.log(`${heading}; by category:`);
  for (const [k, v] of Object.entries(cats).sort((x, y) => y[1] - x[1])) console.log(`  ${v.toFixed(0).padStart(7)} ms  ${k}`);
  console.log(`top ${top} functions by self time:`);
  for (const [k, e] of rows.slice(0, top)) console.log(`  ${e.ms.toFixed(1).padStart(8)} ms  ${k}`);
}

// Command-line options "--some-name=value" into `defaults` (keys in camelCase: someName). A number
// default takes a number, an array default a comma-separated list; an unknown option is an error.
function parseArgs(defaults, argv = process.argv.slice(2)) {
  const a = { ...defaults };
  for (const s of argv) {
    const [k, v = ''] = s.replace(/^--/, '').split('=');
    const key = k.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (!(key in defaults)) throw new Error('unknown option ' + s);
    const d = defaults[key];
    a[key] = typeof d === 'number' ? Number(v) : Array.isArray(d) ? v.split(',') : v;
  }
  return a;
}

// ---- statistics -------------------------------------------------------------------------------
function quantile(values, q) {
  if (!values.length) return NaN;
  const v = [...values].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil(q * v.length) - 1))];
}
const median = (v) => {
  if (!v.length) return NaN;
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// One result line, machine-readable for scripts/bench-web: name, median, unit, target, and extras.
function report(name, value, unit, target, extra = '') {
  const v = typeof value === 'number' ? (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2)) : String(value);
  console.log(`RESULT ${name}\t${v}\t${unit}\t${target}\t${extra}`);
}

module.exports = { ROOT, OUT, harness, log, sleep, findBuild, startServer, api, login, seededDataDir, freshProfile, openApp,
                   quantile, median, report, syntheticCustomer, prng, summarizeProfile, printProfile, parseArgs };
