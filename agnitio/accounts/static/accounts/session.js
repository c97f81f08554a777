/* Agnitio idle session and form drafts (no dependencies).
 *
 * Session: the server ends a session after SESSION_IDLE_SECONDS without a request. This script counts the
 * remaining time down (the server renders the starting value), warns a minute before in a live region, renews
 * the session with "Stay signed in" (POST to the keep-alive view) and, when the time is up, goes to the sign-in
 * page with `next` pointing back here. Tabs share the expiry time through localStorage, so a request in one tab
 * keeps the countdown of the others right.
 *
 * Drafts: what a signed-in user types into a form is kept in localStorage under user + path + form (never
 * passwords, files, hidden fields such as CSRF tokens, or one-time codes). When the page is shown again (for
 * example after signing in again) the draft is put back and the user is told, with a button to discard it. A
 * draft is removed once its form was saved: the form carries a hidden `_draft_key` and the server answers a
 * signed-in POST that redirects anywhere but the sign-in page with the cookie `agnitio_draft_saved` naming it;
 * a POST answered directly (2xx, no redirect) counts as saved unless the form is shown again with errors.
 * A submit that bounced to the sign-in page (session ended) keeps the draft.
 *
 * htmx requests renew the session on the server, so they restart the countdown too (a polling progress page
 * therefore keeps the session alive while it is open); other scripts can call window.agnitioSession.renewed().
 * The server does not write the session on every request (at most once a minute), so it tells how long is left:
 * the page's `data-remaining-seconds` and the `X-Session-Remaining` header of each answer; the countdown follows it.
 */
(function () {
  "use strict";

  var bar = document.getElementById("session-status");
  if (!bar || !window.fetch) { return; }
  var cfg = bar.dataset;
  var user = cfg.user;
  var idleSeconds = parseInt(cfg.idleSeconds, 10) || 1200;
  var warnSeconds = Math.min(60, Math.floor(idleSeconds / 2));
  var SAVED_COOKIE = "agnitio_draft_saved";
  var DRAFT_FIELD = "_draft_key";
  var DRAFT_PREFIX = "agnitio.draft|" + user + "|";
  var DRAFT_MAX_AGE_MS = 14 * 24 * 3600 * 1000;
  var SHARED_EXPIRY = "agnitio.session|" + user + "|expiresAt";

  var store = (function () {
    try {
      var probe = "agnitio.probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null;
    }
  })();

  function storeGet(key) { return store ? store.getItem(key) : null; }
  function storeSet(key, value) { try { if (store) { store.setItem(key, value); } } catch (e) { /* full */ } }
  function storeRemove(key) { if (store) { store.removeItem(key); } }

  function pathOf(url) {
    try { return new URL(url, window.location.href).pathname; } catch (e) { return ""; }
  }

  /* ---------------------------------------------------------------- session countdown */

  var remainingEl = bar.querySelector("[data-session-remaining]");
  var warningEl = document.getElementById("session-warning");
  var keepAliveForm = bar.querySelector("form[data-keep-alive]");
  var startRemaining = parseInt(cfg.remainingSeconds, 10);
  if (isNaN(startRemaining)) { startRemaining = idleSeconds; }
  var expiresAt = Date.now() + startRemaining * 1000;  // as the server told this page
  var warned = false;
  var expired = false;
  var timer = null;

  function shareExpiry() {
    var shared = parseInt(storeGet(SHARED_EXPIRY) || "0", 10);
    if (shared > expiresAt) { expiresAt = shared; } else { storeSet(SHARED_EXPIRY, String(expiresAt)); }
  }

  function format(seconds) {
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function say(text) {
    if (!warningEl) { return; }
    warningEl.textContent = "";
    window.setTimeout(function () { warningEl.textContent = text; }, 50);
  }

  function showWarning() {
    if (warned) { return; }
    warned = true;
    bar.classList.add("warning");
    say(cfg.msgWarning || "");
  }

  function hideWarning() {
    if (!warned) { return; }
    warned = false;
    bar.classList.remove("warning");
  }

  function signInAgain() {
    if (expired) { return; }
    expired = true;
    window.clearInterval(timer);
    saveAllDrafts();
    var next = window.location.pathname + window.location.search;
    var url = cfg.loginUrl + (cfg.loginUrl.indexOf("?") >= 0 ? "&" : "?") + "next=" + encodeURIComponent(next) +
      "&session_ended=1";
    window.location.assign(url);
  }

  function tick() {
    var shared = parseInt(storeGet(SHARED_EXPIRY) || "0", 10);
    if (shared > expiresAt) { expiresAt = shared; }
    var msLeft = expiresAt - Date.now();
    var left = Math.max(0, Math.ceil(msLeft / 1000));
    if (remainingEl) { remainingEl.textContent = format(left); }
    if (msLeft <= -1000) {  // one second of slack so the server has surely ended the session
      signInAgain();
    } else if (left <= warnSeconds) {
      showWarning();
    } else {
      hideWarning();
    }
  }

  /* The server renewed the session (a request of this page reached it): restart the countdown. */
  function renewed(remaining) {
    var seconds = parseInt(remaining, 10);
    if (isNaN(seconds) || seconds < 0 || seconds > idleSeconds) { seconds = idleSeconds; }
    expiresAt = Date.now() + seconds * 1000;
    storeSet(SHARED_EXPIRY, String(expiresAt));
    hideWarning();
    tick();
  }

  function keepAlive(event) {
    event.preventDefault();
    fetch(keepAliveForm.action, {
      method: "POST",
      body: new FormData(keepAliveForm),
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (response.status === 401 || response.status === 403) { signInAgain(); return null; }
      if (!response.ok) { throw new Error("keep-alive failed"); }
      return response.json();
    }).then(function (data) {
      if (!data) { return; }
      renewed(data.remaining);
      say(cfg.msgExtended || "");
    }).catch(function () {
      keepAliveForm.submit();  // plain form post as a fallback
    });
  }

  /* ---------------------------------------------------------------- drafts */

  var tracked = [];  // {form, key, initial}

  function formKey(form, index) {
    var id = form.getAttribute("id") || form.getAttribute("name") ||
      ((form.getAttribute("action") || "") + "#" + index);
    return DRAFT_PREFIX + window.location.pathname + "|" + id;
  }

  function encodeKey(key) {
    return encodeURIComponent(key).replace(/[!'()*~]/g, function (c) {
      return "%" + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }

  function draftable(form) {
    if (form.hasAttribute("data-no-draft") || form.closest("[data-no-draft]")) { return false; }
    if (form.closest("header, nav")) { return false; }  // site chrome: language and organisation switchers
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") { return false; }
    var action = pathOf(form.getAttribute("action") || window.location.href);
    return action !== pathOf(cfg.logoutUrl) && action !== pathOf(cfg.keepaliveUrl);
  }

  function eligible(el) {
    if (!el.name || el.disabled || el.name === "csrfmiddlewaretoken" || el.name === DRAFT_FIELD) { return false; }
    if (el.closest("[data-no-draft]")) { return false; }
    var tag = el.tagName;
    if (tag !== "INPUT" && tag !== "TEXTAREA" && tag !== "SELECT") { return false; }
    var type = (el.getAttribute("type") || "").toLowerCase();
    if (["password", "file", "hidden", "submit", "button", "reset", "image"].indexOf(type) >= 0) { return false; }
    var autocomplete = (el.getAttribute("autocomplete") || "").toLowerCase();
    return autocomplete.indexOf("one-time-code") < 0 && autocomplete.indexOf("cc-") < 0;
  }

  function snapshot(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!eligible(el)) { return; }
      if (!values[el.name]) { values[el.name] = []; }
      var type = (el.type || "").toLowerCase();
      if (type === "checkbox" || type === "radio") {
        if (el.checked) { values[el.name].push(el.value); }
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.selectedOptions, function (o) { values[el.name].push(o.value); });
      } else {
        values[el.name].push(el.value);
      }
    });
    return values;
  }

  function apply(form, values) {
    var seen = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!eligible(el) || !Object.prototype.hasOwnProperty.call(values, el.name)) { return; }
      var wanted = values[el.name];
      var type = (el.type || "").toLowerCase();
      if (type === "checkbox" || type === "radio") {
        el.checked = wanted.indexOf(el.value) >= 0;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = wanted.indexOf(o.value) >= 0; });
      } else {
        var i = seen[el.name] || 0;  // several fields with one name: in order
        if (i < wanted.length) { el.value = wanted[i]; }
        seen[el.name] = i + 1;
      }
    });
  }

  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function readDraft(key) {
    try {
      var draft = JSON.parse(storeGet(key) || "null");
      if (!draft || !draft.fields) { return null; }
      if (Date.now() - (draft.savedAt || 0) > DRAFT_MAX_AGE_MS) { storeRemove(key); return null; }
      return draft;
    } catch (e) {
      storeRemove(key);
      return null;
    }
  }

  function saveDraft(entry) {
    var current = snapshot(entry.form);
    if (same(current, entry.initial)) {
      storeRemove(entry.key);
    } else {
      storeSet(entry.key, JSON.stringify({ savedAt: Date.now(), fields: current }));
    }
  }

  function saveAllDrafts() { tracked.forEach(function (entry) { if (entry.form.isConnected) { saveDraft(entry); } }); }

  function dropDraft(entry) {
    storeRemove(entry.key);
    entry.initial = snapshot(entry.form);
  }

  function showRestored(entry, original, draft) {
    var notice = document.createElement("div");
    notice.className = "draft-notice";
    notice.setAttribute("role", "status");
    var text = document.createElement("p");
    var when = new Date(draft.savedAt);
    text.textContent = (cfg.msgRestored || "").replace("%(time)s", when.toLocaleString(document.documentElement.lang || undefined));
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = cfg.msgDiscard || "Discard draft";
    button.addEventListener("click", function () {
      apply(entry.form, original);
      dropDraft(entry);
      notice.textContent = cfg.msgDiscarded || "";
      var first = entry.form.querySelector("input:not([type=hidden]), textarea, select");
      if (first) { first.focus(); }
    });
    notice.appendChild(text);
    notice.appendChild(button);
    entry.form.parentNode.insertBefore(notice, entry.form);
  }

  function ensureKeyField(entry) {
    var field = entry.form.querySelector("input[name='" + DRAFT_FIELD + "']");
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = DRAFT_FIELD;
      entry.form.appendChild(field);
    }
    field.value = encodeKey(entry.key);
  }

  function track(form, index) {
    if (!draftable(form) || form.dataset.draftTracked) { return; }
    form.dataset.draftTracked = "1";
    var entry = { form: form, key: formKey(form, index), initial: snapshot(form) };
    tracked.push(entry);
    if (pending && entry.key === pending.key) {
      pending.seen = true;
      if (!hasErrors(form)) { storeRemove(entry.key); }  // saved; shown again without errors
    }
    var draft = readDraft(entry.key);
    if (draft && !same(draft.fields, entry.initial)) {
      var original = entry.initial;
      apply(form, draft.fields);
      showRestored(entry, original, draft);
    }
    ensureKeyField(entry);
    var save = function () { saveDraft(entry); };
    form.addEventListener("input", save);
    form.addEventListener("change", save);
  }

  /* Forms without an id are told apart by their position among the page's forms with the same action, so a form
   * that appears elsewhere on the page (a message, an extra switcher) does not change the key. */
  function positionAmongSameAction(form) {
    var action = form.getAttribute("action") || "";
    var same = Array.prototype.filter.call(document.forms, function (f) {
      return (f.getAttribute("action") || "") === action;
    });
    return same.indexOf(form);
  }

  function trackAll(root) {
    var forms = root.tagName === "FORM" ? [root] : root.querySelectorAll("form");
    Array.prototype.forEach.call(forms, function (form) { track(form, positionAmongSameAction(form)); });
  }

  function readCookie(name) {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (parts[i].slice(0, eq) === name) { return parts[i].slice(eq + 1); }
    }
    return null;
  }

  function forgetSaved() {
    var saved = readCookie(SAVED_COOKIE);
    if (!saved) { return; }
    document.cookie = SAVED_COOKIE + "=; Max-Age=0; path=/; SameSite=Lax";
    try { storeRemove(decodeURIComponent(saved)); } catch (e) { /* malformed: ignore */ }
  }

  function forgetAllDrafts() {
    if (!store) { return; }
    for (var i = store.length - 1; i >= 0; i--) {
      var key = store.key(i);
      if (key && key.indexOf(DRAFT_PREFIX) === 0) { store.removeItem(key); }
    }
  }

  /* A POST answered directly with a page (no redirect): it was saved unless the form came back with errors.
   * (A "show the result once" page, e.g. a new API token, answers 200 without the form.) */
  var PENDING = "agnitio.draft.pending";
  var pending = null;  // {key, at} of the form submitted just before this page, if this page is its answer

  function takePending() {
    try {
      var pending = JSON.parse(window.sessionStorage.getItem(PENDING) || "null");
      window.sessionStorage.removeItem(PENDING);
      return pending;
    } catch (e) {
      return null;
    }
  }

  function answeredDirectly() {
    var nav = window.performance && performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
    if (!nav || nav.type !== "navigate" || nav.redirectCount !== 0) { return false; }
    var status = nav.responseStatus;
    return status === undefined || status === 0 || (status >= 200 && status < 300);
  }

  function hasErrors(form) { return !!form.querySelector(".errorlist, [aria-invalid='true']"); }

  function onSubmit(event) {
    var form = event.target;
    if (form.tagName !== "FORM") { return; }
    var action = pathOf(form.getAttribute("action") || window.location.href);
    if (action === pathOf(cfg.logoutUrl)) {
      forgetAllDrafts();  // signing out on purpose: leave nothing behind on a shared computer
      return;
    }
    tracked.forEach(function (entry) {
      if (entry.form !== form) { return; }
      saveDraft(entry);
      ensureKeyField(entry);
      try {
        window.sessionStorage.setItem(PENDING, JSON.stringify({ key: entry.key, at: Date.now() }));
      } catch (e) { /* no session storage: the redirect cookie still works */ }
    });
  }

  function onHtmxRequest(event) {
    var detail = event.detail || {};
    if (detail.xhr && detail.xhr.status > 0) {
      // Any request that reached the server renewed the session, unless it bounced to the sign-in page.
      if (pathOf(detail.xhr.responseURL || "") === pathOf(cfg.loginUrl)) { signInAgain(); return; }
      renewed(detail.xhr.getResponseHeader("X-Session-Remaining"));
    }
    var elt = detail.elt;
    var form = elt && (elt.tagName === "FORM" ? elt : (elt.closest && elt.closest("form")));
    if (!form || !detail.successful || !detail.xhr) { return; }
    if (pathOf(detail.xhr.responseURL || "") === pathOf(cfg.loginUrl)) { return; }  // bounced: session ended
    tracked.forEach(function (entry) {
      if (entry.form !== form) { return; }
      window.setTimeout(function () {  // after htmx swapped the answer in
        var stillThere = entry.form.isConnected;
        var hasErrors = stillThere && entry.form.querySelector(".errorlist, [aria-invalid='true']");
        if (!hasErrors) { dropDraft(entry); }
      }, 0);
    });
  }

  /* ---------------------------------------------------------------- start */

  pending = takePending();
  if (pending && (!pending.key || Date.now() - (pending.at || 0) > 10 * 60 * 1000 || !answeredDirectly())) {
    pending = null;  // not the direct answer to that submit (e.g. it bounced to the sign-in page)
  }
  forgetSaved();
  shareExpiry();
  tick();
  timer = window.setInterval(tick, 1000);
  if (keepAliveForm) { keepAliveForm.addEventListener("submit", keepAlive); }
  window.addEventListener("storage", function (event) { if (event.key === SHARED_EXPIRY) { tick(); } });
  document.addEventListener("submit", onSubmit, true);
  window.addEventListener("pagehide", saveAllDrafts);
  trackAll(document);
  if (pending && !pending.seen) { storeRemove(pending.key); }  // the answer no longer shows the form: saved
  document.addEventListener("htmx:load", function (event) { if (event.target && event.target.querySelectorAll) { trackAll(event.target); } });
  document.addEventListener("htmx:afterRequest", onHtmxRequest);
  // For other scripts that talk to the server with fetch(): call after a successful same-origin request.
  window.agnitioSession = { renewed: renewed };
})();
