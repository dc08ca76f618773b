// The minute editor's autosave (htmx) tells the person typing when a save did not happen because the
// service did not answer (503 while the database is down, a network failure): htmx swaps nothing on
// those answers, so without this the last "Saved at" would stay, and be wrong. The text stays in the
// box; the next keystroke (or the Save button) tries again.
const NOT_SAVED = "Not saved: the service did not answer. Your text is still here: keep typing or press Save to try again.";

export function initAutosaveStatus(status) {
  const form = status.closest("form");
  if (!form) return;
  const say = (event) => {
    if (event.detail.elt === form) status.textContent = NOT_SAVED;
  };
  document.body.addEventListener("htmx:responseError", say);
  document.body.addEventListener("htmx:sendError", say);
}
