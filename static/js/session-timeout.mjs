// The timeout warning: a dialog shown before a signed-in session ends for lack of use (GOV.UK and
// HMRC's pattern). The server ends the session SESSION_IDLE_MINUTES after the last request; this
// counts the same time from the page's load and from every htmx request (the minute editor's
// autosave), which also renew the session. Before warning, unsaved minute text is autosaved: that
// request renews the session, so no warning is needed. "Stay signed in" asks the server for nothing
// but a renewal (a GET of the keep-alive address); when the time is up, the page goes to sign in.
// Without JavaScript the dialog never shows, and the session simply ends.

function describe(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

export function initSessionTimeout(dialog) {
  const idle = Number(dialog.dataset.idleSeconds) * 1000;
  const warning = Number(dialog.dataset.warningSeconds) * 1000;
  const countdown = dialog.querySelector("[data-countdown]");
  const dirty = new Set();
  let endsAt = 0;
  let warnTimer;
  let endTimer;
  let ticker;

  function restart() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    clearInterval(ticker);
    if (dialog.open) dialog.close();
    endsAt = Date.now() + idle;
    warnTimer = setTimeout(warn, idle - warning);
    endTimer = setTimeout(end, idle);
  }

  // Unsaved text in an autosaving form (hx-post): save it now, through the form's own autosave.
  function saveUnsaved() {
    const forms = [...dirty].filter((form) => document.contains(form));
    if (!forms.length || !window.htmx) return false;
    forms.forEach((form) => window.htmx.trigger(form, "input"));
    return true;
  }

  function tick() {
    countdown.textContent = describe(Math.max(0, Math.round((endsAt - Date.now()) / 1000)));
  }

  function showWarning() {
    tick();
    ticker = setInterval(tick, 1000);
    dialog.showModal();
  }

  function warn() {
    // Unsaved text first: the save renews the session, and its response restarts the count. A save
    // that fails warns then (htmx:afterRequest below), so the warning is never skipped.
    if (saveUnsaved()) return;
    showWarning();
  }

  function end() {
    saveUnsaved();
    window.location.assign(dialog.dataset.signedOutUrl);
  }

  dialog.querySelector("[data-timeout-stay]").addEventListener("click", async () => {
    const response = await fetch(dialog.dataset.keepAliveUrl, { credentials: "same-origin", redirect: "manual" });
    if (response.status === 204) restart();
    else end();
  });
  // Esc closes a modal dialog: treat it as "Stay signed in" would be surprising, so keep it open.
  dialog.addEventListener("cancel", (event) => event.preventDefault());

  document.addEventListener("input", (event) => {
    const form = event.target.closest && event.target.closest("form[hx-post]");
    if (form) dirty.add(form);
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail && event.detail.successful) {
      dirty.delete(event.detail.elt.closest("form") || event.detail.elt);
      restart();
    } else if (!dialog.open && Date.now() >= endsAt - warning) {
      showWarning();
    }
  });

  restart();
  dialog.setAttribute("data-app-session-timeout-init", ""); // as GOV.UK Frontend marks its components
}
