// Issue 5 benchmark 4: download sizes of the built app (the dist folder the server serves): app.wasm
// + app.js brotli (target ≤ 600 KB) and the fonts fetched for the first paint (latin.ttf +
// cjk-common.ttf; the full CJK font loads after the first frame). Brotli sizes are those of the
// precompressed .br files the server sends (make_dist.py, quality 11); missing ones are compressed here.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const L = require('./web_lib');

function sizes(dist, name) {
  const file = path.join(dist, name);
  const raw = fs.statSync(file).size;
  const br = fs.existsSync(file + '.br') ? fs.statSync(file + '.br').size
    : zlib.brotliCompressSync(fs.readFileSync(file), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return { raw, br };
}

function run({ web }) {
  const kb = (b) => (b / 1024).toFixed(1);
  const wasm = sizes(web, 'app.wasm'), js = sizes(web, 'app.js');
  const latin = sizes(web, 'fonts/latin.ttf'), cjk = sizes(web, 'fonts/cjk-common.ttf');
  L.report('app.wasm + app.js, brotli', (wasm.br + js.br) / 1024, 'KB', '≤ 600 KB',
           `wasm ${kb(wasm.raw)} KB raw / ${kb(wasm.br)} KB br; js ${kb(js.raw)} KB raw / ${kb(js.br)} KB br`);
  L.report('first-paint fonts (latin + cjk-common), brotli', (latin.br + cjk.br) / 1024, 'KB', '(reported)',
           `raw ${kb(latin.raw + cjk.raw)} KB; latin ${kb(latin.br)} KB br, cjk-common ${kb(cjk.br)} KB br`);
  return { appBr: wasm.br + js.br, fontsBr: latin.br + cjk.br };
}

module.exports = { run };
