// Closeloop browser glue (linked with --pre-js): DOM events → exported C functions, and the JS side
// of the C++ platform services (EM_JS functions call Module.clPlatform.*). WEB_PLATFORM.md explains
// the recipes: pointer events with AddMouseSourceEvent, a hidden textarea as text agent for the
// on-screen keyboard and the Chinese IME, frames run inside the user's gesture, idle main loop.
// Strings go in with ccall('…', …, ['string']) (stack-allocated UTF-8), bytes with _malloc + HEAPU8.
Module.clPlatform = (function () {
  'use strict';
  const P = {};
  let canvas = null;
  let textarea = null;
  let composing = false;
  let textWanted = false;      // an ImGui text field is active (Platform_SetImeDataFn)
  let clipboardCache = '';
  let fileRequests = 0;
  let fontsQueued = [];        // [{kind, bytes}] waiting for the runtime
  let runtimeReady = false;
  const SENTINEL = ' ';        // keeps Backspace firing on Android keyboards (keyCode 229)

  function call(name, ret, types, args) { return Module.ccall(name, ret, types, args); }
  function wake() { if (runtimeReady) Module._cl_wake(); }
  P.wake = wake;

  // ---------------------------------------------------------------------------------------------
  // Startup: fonts are fetched in parallel with the wasm; the full CJK font after the first frame.
  // ---------------------------------------------------------------------------------------------
  function fetchFont(kind, url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error('font ' + url + ' ' + r.status);
      return r.arrayBuffer();
    }).then(function (buf) { P.addFont(kind, new Uint8Array(buf)); });
  }
  P.addFont = function (kind, bytes) {
    if (!runtimeReady) { fontsQueued.push({ kind: kind, bytes: bytes }); return; }
    const ptr = Module._malloc(bytes.length);
    HEAPU8.set(bytes, ptr);   // read HEAPU8 after malloc: memory may have grown
    Module._cl_add_font(kind, ptr, bytes.length);  // the atlas owns (and frees) the buffer
    wake();
  };
  P.fontsStarted = false;
  P.startFonts = function () {
    if (P.fontsStarted) return;
    P.fontsStarted = true;
    // Latin first, CJK first-paint subset merged into it (else "销售漏斗 42" loses the "42").
    fetchFont(0, 'fonts/latin.ttf').then(function () { return fetchFont(1, 'fonts/cjk-common.ttf'); })
      .catch(function (e) { console.error('[closeloop] font load failed', e); });
  };
  P.loadFullFont = function () {
    if (P.fullFontRequested) return;
    P.fullFontRequested = true;
    fetchFont(2, 'fonts/cjk-full.ttf').catch(function (e) { console.warn('[closeloop] full CJK font', e); });
  };

  // ---------------------------------------------------------------------------------------------
  // Init (called from C++ main through EM_JS once the runtime is up)
  // ---------------------------------------------------------------------------------------------
  P.init = function () {
    runtimeReady = true;
    canvas = document.getElementById('canvas');
    textarea = document.getElementById('cl-text-agent');
    if (!textarea) {
      textarea = document.createElement('textarea');
      textarea.id = 'cl-text-agent';
      document.body.appendChild(textarea);
    }
    textarea.setAttribute('autocomplete', 'off');
    textarea.setAttribute('autocorrect', 'off');
    textarea.setAttribute('autocapitalize', 'off');
    textarea.setAttribute('spellcheck', 'false');
    textarea.setAttribute('aria-hidden', 'true');
    textarea.value = SENTINEL;
    installPointer();
    installKeyboard();
    installText();
    installWindow();
    P.startFonts();
    const q = fontsQueued; fontsQueued = [];
    q.forEach(function (f) { P.addFont(f.kind, f.bytes); });
    P.flushReady();
  };

  // ---------------------------------------------------------------------------------------------
  // Pointer (mouse, touch, pen) — 3.1.6's html5.h has no pointer events, hence JS.
  // ---------------------------------------------------------------------------------------------
  function pointer(e, type) {
    const r = canvas.getBoundingClientRect();
    const src = e.pointerType === 'touch' ? 1 : (e.pointerType === 'pen' ? 2 : 0);
    // e.timeStamp is when the finger was there (same clock as performance.now()), not when a busy
    // main thread got round to the handler: the release velocity must not depend on that lag.
    Module._cl_pointer(type, e.clientX - r.left, e.clientY - r.top, e.button < 0 ? 0 : e.button, src,
                       e.isPrimary ? 1 : 0, e.timeStamp > 0 ? e.timeStamp : performance.now());
  }
  function installPointer() {
    canvas.addEventListener('pointerdown', function (e) {
      // Keep focus where the frame puts it (the text agent), and no text selection / zoom.
      e.preventDefault();
      try { canvas.setPointerCapture(e.pointerId); } catch (_) {}
      pointer(e, 1);
    });
    canvas.addEventListener('pointermove', function (e) { pointer(e, 0); });
    canvas.addEventListener('pointerup', function (e) { e.preventDefault(); pointer(e, 2); });
    canvas.addEventListener('pointercancel', function (e) { pointer(e, 3); });
    canvas.addEventListener('pointerleave', function (e) { if (e.pointerType === 'mouse') pointer(e, 4); });
    canvas.addEventListener('mousedown', function (e) { e.preventDefault(); });
    canvas.addEventListener('contextmenu', function (e) { e.preventDefault(); });
    canvas.addEventListener('touchstart', function (e) { if (e.touches.length > 1) e.preventDefault(); }, { passive: false });
    canvas.addEventListener('wheel', function (e) {
      e.preventDefault();
      let dx = e.deltaX, dy = e.deltaY;
      if (e.deltaMode === 1) { dx *= 20; dy *= 20; } else if (e.deltaMode === 2) { dx *= 400; dy *= 400; }
      if (e.shiftKey && dx === 0) { dx = dy; dy = 0; }
      Module._cl_wheel(-dx / 100, -dy / 100);
    }, { passive: false });
    document.addEventListener('gesturestart', function (e) { e.preventDefault(); });
  }

  // ---------------------------------------------------------------------------------------------
  // Keyboard: forward keys as ImGuiKey; text arrives through the textarea (input/composition).
  // ---------------------------------------------------------------------------------------------
  function mods(e) { return (e.ctrlKey ? 1 : 0) | (e.shiftKey ? 2 : 0) | (e.altKey ? 4 : 0) | (e.metaKey ? 8 : 0); }
  function appActive() { return document.body.classList.contains('cl-app-active'); }
  function installKeyboard() {
    function onKey(e, down) {
      if (!appActive()) return;                          // the HTML login form owns the keyboard
      if (e.isComposing || e.keyCode === 229) return;    // IME / Android: text comes via input
      const inAgent = document.activeElement === textarea;
      if (!inAgent && document.activeElement && document.activeElement !== document.body &&
          document.activeElement !== canvas) return;     // some other DOM control has focus
      const handled = call('cl_key', 'number', ['string', 'string', 'number', 'number'],
                           [e.code || '', e.key || '', down ? 1 : 0, mods(e)]);
      const printable = e.key && e.key.length === 1 && !e.ctrlKey && !e.metaKey;
      const clipboardCombo = (e.ctrlKey || e.metaKey) && ['c', 'v', 'x'].indexOf((e.key || '').toLowerCase()) >= 0;
      if (handled && !clipboardCombo && !(inAgent && printable)) e.preventDefault();
      if (!inAgent && printable && down && textWanted) {
        // A field is active but the agent lost focus (desktop click elsewhere): feed the char.
        call('cl_text', null, ['string'], [e.key]);
        e.preventDefault();
      }
    }
    window.addEventListener('keydown', function (e) { onKey(e, true); }, true);
    window.addEventListener('keyup', function (e) { onKey(e, false); }, true);
  }

  function resetAgent() {
    textarea.value = SENTINEL;
    try { textarea.setSelectionRange(SENTINEL.length, SENTINEL.length); } catch (_) {}
  }
  function installText() {
    textarea.addEventListener('compositionstart', function () { composing = true; call('cl_preedit', null, ['string'], ['']); });
    textarea.addEventListener('compositionupdate', function (e) { call('cl_preedit', null, ['string'], [e.data || '']); });
    textarea.addEventListener('compositionend', function (e) {
      composing = false;
      call('cl_preedit', null, ['string'], ['']);
      if (e.data) call('cl_text', null, ['string'], [e.data]);
      resetAgent();
    });
    textarea.addEventListener('input', function (e) {
      if (composing || e.isComposing) return;            // truth arrives at compositionend
      const t = e.inputType || '';
      if (t === 'deleteContentBackward') Module._cl_key_tap(1);   // Backspace (Android)
      else if (t === 'insertLineBreak') Module._cl_key_tap(2);    // Enter
      else if (e.data) call('cl_text', null, ['string'], [e.data]);
      else if (t.indexOf('insert') === 0) {
        const v = textarea.value.replace(SENTINEL, '');
        if (v) call('cl_text', null, ['string'], [v]);
      }
      resetAgent();
    });
    document.addEventListener('paste', function (e) {
      if (!appActive()) return;
      clipboardCache = (e.clipboardData && e.clipboardData.getData('text/plain')) || '';
      e.preventDefault();
      if (textWanted) call('cl_text', null, ['string'], [clipboardCache]);   // tablets: long-press → paste
      wake();
    });
    document.addEventListener('copy', function (e) {
      if (!appActive() || !P.pendingCopy) return;
      e.clipboardData.setData('text/plain', P.pendingCopy);   // Safari: only inside the copy event
      e.preventDefault();
      P.pendingCopy = null;
    });
  }

  // C++ → JS: called from Platform_SetImeDataFn (inside the frame, so inside the gesture).
  P.setTextInput = function (want, x, y, lineHeight) {
    textWanted = !!want;
    if (want) {
      // Move the agent to the caret so the IME candidate window follows (WEB_PLATFORM.md).
      textarea.style.left = Math.max(0, x) + 'px';
      textarea.style.top = Math.max(0, y) + 'px';
      textarea.style.height = Math.max(16, lineHeight) + 'px';
      if (document.activeElement !== textarea) {
        resetAgent();
        textarea.focus({ preventScroll: true });
      }
    } else if (document.activeElement === textarea) {
      composing = false;
      textarea.blur();
    }
  };
  P.clipboardText = function () { return clipboardCache; };
  P.setClipboard = function (text) {
    clipboardCache = text;
    P.pendingCopy = text;
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).catch(function () { try { document.execCommand('copy'); } catch (_) {} });
    } else {
      try { document.execCommand('copy'); } catch (_) {}
    }
    P.lastCopied = text;
  };

  // ---------------------------------------------------------------------------------------------
  // Window: resize, orientation, dpr, visualViewport (iPad keyboard), online/offline, routing.
  // ---------------------------------------------------------------------------------------------
  function installWindow() {
    function resized() { layoutCanvas(); Module._cl_resize(); }
    window.addEventListener('resize', resized);
    window.addEventListener('orientationchange', resized);
    if (window.visualViewport) window.visualViewport.addEventListener('resize', resized);
    (function watchDpr() {
      const mq = window.matchMedia('(resolution: ' + window.devicePixelRatio + 'dppx)');
      const f = function () { mq.removeEventListener('change', f); resized(); watchDpr(); };
      mq.addEventListener('change', f);
    })();
    window.addEventListener('online', function () { Module._cl_online(1); });
    window.addEventListener('offline', function () { Module._cl_online(0); });
    window.addEventListener('popstate', function () { call('cl_route', null, ['string'], [location.hash]); });
    window.addEventListener('focus', wake);
    document.addEventListener('visibilitychange', wake);
    layoutCanvas();
  }
  // The iPad keyboard shrinks the visual viewport, not the layout one: size the canvas to the
  // visible part so the field being typed in is laid out above the keyboard.
  function layoutCanvas() {
    const vv = window.visualViewport;
    if (vv && canvas) {
      canvas.style.height = Math.round(vv.height) + 'px';
      canvas.style.top = Math.round(vv.offsetTop) + 'px';
    }
  }

  P.coarse = function () { return window.matchMedia && window.matchMedia('(pointer: coarse)').matches; };
  P.route = function () { return location.hash || ''; };
  P.pushRoute = function (path, replace) {
    const h = '#/' + path;
    if (location.hash === h) return;
    if (replace) history.replaceState(null, '', h); else history.pushState(null, '', h);
  };
  P.setTitle = function (t) { document.title = t; };
  // One-tap dial (R8): a real tel: link clicked inside the tap's gesture — the phone/tablet hands it
  // to the dialer; it stays an ordinary link navigation the page (and a browser test) can observe.
  P.tel = function (number) {
    const a = document.createElement('a');
    a.href = 'tel:' + number.replace(/[^0-9+]/g, '');
    a.style.display = 'none';
    document.body.appendChild(a);
    a.click();
    a.remove();
  };
  P.openUrl = function (url) { window.open(url, '_blank', 'noopener'); };
  P.logout = function () { if (window.closeloopShell) window.closeloopShell.logout(); };
  P.setPageLang = function (code) { if (window.closeloopShell) window.closeloopShell.setLang(code, true); };

  // ---------------------------------------------------------------------------------------------
  // Files: picker (camera on tablets) → bytes into wasm; download from bytes.
  // ---------------------------------------------------------------------------------------------
  function asIs(file) { return file.arrayBuffer().then(function (b) { return { bytes: b, type: file.type }; }); }
  function downscale(file) {
    if (!/^image\//.test(file.type) || !window.createImageBitmap) return asIs(file);
    // A photo the browser cannot decode (HEIC on some tablets) is kept as it is, never dropped.
    return createImageBitmap(file).catch(function () { return null; }).then(function (bmp) {
      if (!bmp) return asIs(file);
      const max = 2048, s = Math.min(1, max / Math.max(bmp.width, bmp.height));
      if (s >= 1) return file.arrayBuffer().then(function (b) { return { bytes: b, type: file.type }; });
      const c = document.createElement('canvas');
      c.width = Math.round(bmp.width * s); c.height = Math.round(bmp.height * s);
      c.getContext('2d').drawImage(bmp, 0, 0, c.width, c.height);
      return new Promise(function (res) { c.toBlob(res, 'image/jpeg', 0.85); })
        .then(function (blob) { return blob.arrayBuffer().then(function (b) { return { bytes: b, type: 'image/jpeg' }; }); });
    });
  }
  P.pickFile = function (requestId, accept, camera) {
    const input = document.createElement('input');
    input.type = 'file';
    if (accept) input.accept = accept;
    if (camera) input.setAttribute('capture', 'environment');
    input.style.display = 'none';
    document.body.appendChild(input);
    input.addEventListener('change', function () {
      const f = input.files && input.files[0];
      input.remove();
      if (!f) return;
      downscale(f).then(function (r) {
        const bytes = new Uint8Array(r.bytes);
        const ptr = Module._malloc(Math.max(1, bytes.length));
        HEAPU8.set(bytes, ptr);
        call('cl_file_picked', null, ['number', 'number', 'number', 'string', 'string'],
             [requestId, ptr, bytes.length, f.name, r.type || 'application/octet-stream']);
        Module._free(ptr);
      });
    });
    input.click();   // allowed: we are inside the gesture frame
  };
  P.download = function (name, mime, ptr, len) {
    const blob = new Blob([HEAPU8.slice(ptr, ptr + len)], { type: mime });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  };

  // ---------------------------------------------------------------------------------------------
  // Timers and the test API
  // ---------------------------------------------------------------------------------------------
  P.setTimeout = function (id, ms) { setTimeout(function () { Module._cl_timer(id); }, ms); };
  P.frame = function (n, ms) {
    const api = window.closeloop;
    api.frameCount = n;
    api.lastFrameMs = ms;
    if (!api.ready) {
      api.ready = true;
      document.documentElement.setAttribute('data-closeloop-ready', '1');
      setTimeout(P.loadFullFont, 0);
      if (window.closeloopShell && window.closeloopShell.onAppReady) window.closeloopShell.onAppReady();
    }
  };
  P.setLiveRegion = function (text) {
    const el = document.getElementById('cl-live');
    if (el && el.textContent !== text) el.textContent = text;
  };

  // window.closeloop: readiness flag + state for browser tests (a canvas has no DOM to query).
  window.closeloop = {
    ready: false,
    frameCount: 0,
    lastFrameMs: 0,
    // textFocus: an ImGui text field is active AND the hidden textarea has the DOM focus, i.e. keys
    // and IME text typed now land in the field (a test taps a field, then waits for this to type).
    state: function () {
      if (!runtimeReady) return null;
      const s = JSON.parse(UTF8ToString(Module._cl_state_json()));
      s.textFocus = textWanted && !!textarea && document.activeElement === textarea;
      return s;
    },
    login: function (token, userJson) { P.whenReady(function () { call('cl_login', null, ['string', 'string'], [token, userJson]); }); },
    logoutLocal: function () { if (runtimeReady) Module._cl_logout_local(); },
    setLang: function (code) { P.whenReady(function () { call('cl_set_lang', null, ['string'], [code]); }); },
    navigate: function (path) { P.whenReady(function () { call('cl_navigate', null, ['string'], [path]); }); },
    isIdle: function () { return runtimeReady ? !!Module._cl_is_idle() : false; },
    lastCopied: function () { return P.lastCopied || ''; },
    // IndexedDB round trip through the C++ storage code (tests: write, reload, read back).
    replicaSelfTest: {
      write: function (db) { Module.ccall('cl_replica_selftest_write', null, ['string'], [db]); },
      load: function (db) { Module.ccall('cl_replica_selftest_load', null, ['string'], [db]); },
      result: function () { const s = UTF8ToString(Module._cl_replica_selftest_result()); return s ? JSON.parse(s) : null; },
    },
  };
  const readyQueue = [];
  P.whenReady = function (fn) { if (runtimeReady) fn(); else readyQueue.push(fn); };
  P.flushReady = function () { while (readyQueue.length) readyQueue.shift()(); };
  // Fonts download in parallel with the wasm compile (app.js is loaded while the login form shows).
  if (typeof document !== 'undefined') P.startFonts();
  return P;
})();
