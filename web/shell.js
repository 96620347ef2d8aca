// Closeloop HTML shell logic (loaded by index.html; no inline scripts: the server's CSP forbids them).
// The login form before the canvas (password managers can fill it), token storage, language of the
// form, loading the wasm app and registering the service worker.
'use strict';
(function () {
  var BUILD = (document.querySelector('meta[name=closeloop-build]') || {}).content || 'dev';
  // The login form's strings. (The app's strings live in src/app/vm/i18n_table.cpp; these few are
  // needed before the wasm has loaded.)
  var T = {
    zh: { app: '闭环 Closeloop', subtitle: '销售管理 · 请登录', username: '用户名', password: '密码', submit: '登录',
          submitting: '正在登录…', toggle: 'English', loading: '正在加载应用…', loaded: '应用已就绪',
          username_required: '请输入用户名', password_required: '请输入密码',
          invalid_credentials: '用户名或密码错误', network: '无法连接服务器，请检查网络后重试',
          server: '服务器错误，请稍后重试', boot: '应用加载失败：' },
    en: { app: 'Closeloop 闭环', subtitle: 'Sales management · please sign in', username: 'Username', password: 'Password',
          submit: 'Sign in', submitting: 'Signing in…', toggle: '中文', loading: 'Loading the app…', loaded: 'App ready',
          username_required: 'Please enter your username', password_required: 'Please enter your password',
          invalid_credentials: 'Wrong username or password', network: 'Cannot reach the server, check the network and retry',
          server: 'Server error, please retry later', boot: 'The app failed to load: ' }
  };
  var TOKEN = 'closeloop.token', USER = 'closeloop.user', LANG = 'closeloop.lang';
  function ls(k, v) { try { if (v === undefined) return localStorage.getItem(k); if (v === null) localStorage.removeItem(k); else localStorage.setItem(k, v); } catch (e) { return null; } }
  var lang = ls(LANG) === 'en' ? 'en' : 'zh';
  var appReady = false;
  function t(k) { return T[lang][k] || k; }
  function $(id) { return document.getElementById(id); }

  function applyLang() {
    document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
    document.querySelectorAll('[data-i18n]').forEach(function (el) {
      var k = el.getAttribute('data-i18n');
      if (k === 'loading' && appReady) k = 'loaded';
      el.textContent = t(k);
    });
    if (!document.body.classList.contains('cl-app-active')) document.title = t('app');
    clearErrors();
  }
  function clearErrors() {
    ['general', 'username', 'password'].forEach(function (f) { $(f + '-error').textContent = ''; });
    $('username').removeAttribute('aria-invalid');
    $('password').removeAttribute('aria-invalid');
  }
  function fieldError(field, msg) {
    if (field === 'username' || field === 'password') {
      $(field + '-error').textContent = msg;
      $(field).setAttribute('aria-invalid', 'true');
    } else {
      $('general-error').textContent = msg;
    }
  }

  function enterApp(token, user) {
    document.body.classList.add('cl-app-active');
    $('canvas').focus({ preventScroll: true });
    window.closeloop.login(token, JSON.stringify(user || {}));
  }

  window.closeloopShell = {
    logout: function () {
      var token = ls(TOKEN);
      if (token) fetch('/api/v1/auth/logout', { method: 'POST', headers: { 'Authorization': 'Bearer ' + token } }).catch(function () {});
      ls(TOKEN, null); ls(USER, null);
      document.body.classList.remove('cl-app-active');
      if (window.closeloop) window.closeloop.logoutLocal();
      $('password').value = '';
      document.title = t('app');
      applyLang();
      $('username').focus();
    },
    setLang: function (code, fromApp) {
      lang = code === 'en' ? 'en' : 'zh';
      ls(LANG, lang);
      applyLang();
      if (!fromApp && window.closeloop) window.closeloop.setLang(lang);
    },
    onAppReady: function () { appReady = true; $('app-status').textContent = t('loaded'); }
  };

  $('lang-toggle').addEventListener('click', function () { window.closeloopShell.setLang(lang === 'zh' ? 'en' : 'zh'); });

  $('login-form').addEventListener('submit', function (e) {
    e.preventDefault();
    clearErrors();
    var username = $('username').value.trim(), password = $('password').value;
    var bad = false;
    if (!username) { fieldError('username', t('username_required')); bad = true; }
    if (!password) { fieldError('password', t('password_required')); bad = true; }
    if (bad) { (username ? $('password') : $('username')).focus(); return; }
    var btn = $('login-submit');
    btn.disabled = true; btn.textContent = t('submitting');
    fetch('/api/v1/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                                  body: JSON.stringify({ username: username, password: password }) })
      .then(function (r) { return r.json().catch(function () { return null; }).then(function (b) { return { r: r, b: b }; }); })
      .then(function (x) {
        btn.disabled = false; btn.textContent = t('submit');
        if (x.r.ok && x.b && x.b.token) {
          ls(TOKEN, x.b.token);
          ls(USER, JSON.stringify(x.b.user || {}));
          enterApp(x.b.token, x.b.user);
          return;
        }
        var err = (x.b && x.b.error) || {};
        var fields = err.fields || [];
        if (fields.length) {
          fields.forEach(function (f) { fieldError(f.field, (lang === 'en' ? f.message_en : f.message_zh) || err.message || t('server')); });
        } else if (x.r.status === 401 || x.r.status === 403 || /credential|password|username/.test(err.code || '')) {
          fieldError('password', t('invalid_credentials'));
          $('password').select();
        } else if (x.r.status >= 500 || !x.b) {
          fieldError('general', t('server') + ' (' + x.r.status + ')');
        } else {
          fieldError('general', err.message || t('server'));
        }
      })
      .catch(function () {
        btn.disabled = false; btn.textContent = t('submit');
        fieldError('general', t('network'));
      });
  });

  applyLang();

  // A returning user's replica is read now, while app.js and app.wasm download and compile (issue 5
  // cold start). Once the app runs, its main thread is busy drawing, and each IndexedDB answer waits
  // for a turn: the app's own load — page generation, then snapshot info, then the later pages, then
  // done — took ~0.3 s of round trips even for an empty replica. Here the thread is idle.
  //
  // One readonly transaction reads everything the app's startup load asks for (replica_store_web.cpp
  // js_idb_load: the snapshot, the pages written after it, cursor and counters, outbox, evidence), in
  // the shape that load hands to the app. It is one consistent view of the database; it stays current
  // only while no tab commits a write, which every writer announces on the BroadcastChannel
  // "closeloop-idb-<db>" — heard here from before the transaction starts, so any write that could be
  // missing marks the read stale and the app reads the database itself instead. Only an existing
  // database at the app's version is read (a missing one is not created here); the app adopts the
  // connection if it is at the version it expects and closes it otherwise.
  // Reads a replica load from one readonly transaction over pages, meta, outbox and evidence — the
  // one reader of the app's IndexedDB layout (src/platform/replica_store.h), used by the early read
  // below and by the app's own loads (replica_store_web.cpp js_idb_load).
  //   o.gen < 0 or ≠ the stored page generation: every page (or a snapshot and the pages after it);
  //   else only the pages after o.after. o.tag: the snapshot format to accept ('*' any, '' none).
  //   o.evidence: the evidence bytes too (else only their keys).
  // done(out) gets { meta: {page_generation, all_pages, cursor, caught_up, last_mid, evidence_shas,
  // evidence_loaded}, conflicts, outbox, evidence, pages, keys, snapshot (ArrayBuffer), snapshotKey,
  // snapshotTag }; fail(error) if the transaction aborts.
  window.closeloopReadReplica = function (tx, o, done, fail) {
    var out = { meta: { evidence_loaded: !!o.evidence } };
    var meta = tx.objectStore('meta'), pages = tx.objectStore('pages'), evidence = tx.objectStore('evidence');
    function readPages(range) {
      pages.getAll(range).onsuccess = function (e) { out.pages = e.target.result; };
      pages.getAllKeys(range).onsuccess = function (e) { out.keys = e.target.result; };
    }
    meta.get('page_gen').onsuccess = function (e) {
      var stored = e.target.result || 0;
      out.meta.page_generation = stored;
      out.meta.all_pages = o.gen < 0 || o.gen !== stored;
      if (!out.meta.all_pages) { readPages(IDBKeyRange.lowerBound(o.after, true)); return; }
      if (!o.tag) { readPages(null); return; }
      meta.get('snapshot_info').onsuccess = function (e2) {
        var info = e2.target.result;
        if (!info || (o.tag !== '*' && info.tag !== o.tag) || info.gen !== stored) { readPages(null); return; }
        meta.get('snapshot').onsuccess = function (e3) {   // a Blob (an ArrayBuffer from older builds)
          var v = e3.target.result;
          if (v instanceof Blob || v instanceof ArrayBuffer) {
            out.snapshot = v;
            out.snapshotKey = info.key;
            out.snapshotTag = info.tag;
          }
        };
        // Requests on one store are answered in order: by now we know whether the bytes are there.
        meta.get('snapshot_info').onsuccess = function () {
          readPages(out.snapshot ? IDBKeyRange.lowerBound(info.key, true) : null);
        };
      };
    };
    meta.get('cursor').onsuccess = function (e) { out.meta.cursor = e.target.result || ''; };
    meta.get('caught_up').onsuccess = function (e) { out.meta.caught_up = e.target.result === true; };
    meta.get('last_mid').onsuccess = function (e) { out.meta.last_mid = e.target.result || 0; };
    meta.get('conflicts').onsuccess = function (e) { out.conflicts = e.target.result || ''; };
    tx.objectStore('outbox').getAll().onsuccess = function (e) { out.outbox = e.target.result; };
    if (o.evidence) evidence.getAll().onsuccess = function (e) { out.evidence = e.target.result; };
    evidence.getAllKeys().onsuccess = function (e) { out.meta.evidence_shas = e.target.result; };
    tx.oncomplete = function () {
      // A Blob's bytes arrive without blocking the main thread (an ArrayBuffer value is deserialized
      // on it when the result is touched).
      var s = out.snapshot;
      (s instanceof Blob ? s.arrayBuffer() : Promise.resolve(s)).then(function (b) { out.snapshot = b; done(out); }, fail);
    };
    tx.onabort = function () { fail(tx.error); };
  };

  (function readReplicaEarly() {
    var user = null;
    try { user = ls(TOKEN) ? JSON.parse(ls(USER) || 'null') : null; } catch (e) {}
    if (!user || !user.id || !window.indexedDB) return;
    var name = 'closeloop-' + user.id;
    var early = window.closeloopEarlyIdb = { name: name, stale: false, channel: null };
    if (typeof BroadcastChannel !== 'undefined') {
      early.channel = new BroadcastChannel('closeloop-idb-' + name);
      early.channel.onmessage = function () { early.stale = true; };
    }
    early.close = function () { if (early.channel) early.channel.close(); early.channel = null; };
    early.db = new Promise(function (resolve) {
      var req;
      try { req = indexedDB.open(name); } catch (e) { resolve(null); return; }
      req.onupgradeneeded = function () { req.transaction.abort(); };   // it didn't exist: leave it to the app
      req.onsuccess = function () { performance.mark('closeloop-idb-open'); resolve(req.result); };
      req.onerror = function (e) { if (e && e.preventDefault) e.preventDefault(); resolve(null); };
      req.onblocked = function () { resolve(null); };
    });
    early.read = early.db.then(function (db) {
      var stores = ['pages', 'meta', 'outbox', 'evidence'];
      if (!db || db.version !== 2 || !stores.every(function (s) { return db.objectStoreNames.contains(s); })) return null;
      return new Promise(function (resolve) {
        var tx;
        try { tx = db.transaction(stores, 'readonly'); } catch (e) { resolve(null); return; }
        // The startup load: every page, or a snapshot (any build's; the app checks the tag) and the
        // pages after it.
        window.closeloopReadReplica(tx, { after: 0, gen: -1, tag: '*', evidence: true }, function (out) {
          performance.mark('closeloop-idb-early-read');
          resolve(out);
        }, function () { resolve(null); });
      });
    }).catch(function () { return null; });
    early.read.then(function () { early.readDone = true; });   // the app's heap warm-up stops here
  })();

  // The wasm app loads while the user types (so the workspace appears right after login).
  window.Module = {
    locateFile: function (p) { return p + '?v=' + BUILD; },
    print: function (s) { console.log(s); },
    printErr: function (s) { console.error(s); },
    onAbort: function (what) { var b = $('boot-error'); b.textContent = t('boot') + what; b.style.display = 'block'; }
  };
  var s = document.createElement('script');
  s.src = 'app.js?v=' + BUILD;
  s.async = true;
  s.onload = function () {
    // Already signed in on this device: straight into the app (works offline too); a revoked or
    // expired token sends the user back to the form.
    var token = ls(TOKEN);
    if (!token) { $('username').focus(); return; }
    var user = null;
    try { user = JSON.parse(ls(USER) || 'null'); } catch (e) {}
    enterApp(token, user);
    fetch('/api/v1/me', { headers: { 'Authorization': 'Bearer ' + token } })
      .then(function (r) { if (r.status === 401) window.closeloopShell.logout(); })
      .catch(function () {});
  };
  s.onerror = function () { var b = $('boot-error'); b.textContent = t('boot') + 'app.js'; b.style.display = 'block'; };
  document.body.appendChild(s);

  // Offline start after the first visit; a new deployment (new build hash) replaces the cache.
  if ('serviceWorker' in navigator && (location.protocol === 'https:' || location.hostname === 'localhost' || location.hostname === '127.0.0.1')) {
    navigator.serviceWorker.register('sw.js').catch(function (e) { console.warn('[closeloop] service worker', e); });
  }
})();
