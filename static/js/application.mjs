// Start GOV.UK Frontend and MoJ Frontend components on every page.
// Pages work without JavaScript; this only adds behaviour on top.
import * as GOVUKFrontend from "../govuk/govuk-frontend.min.js";
import * as MOJFrontend from "../moj/moj-frontend.min.js";

GOVUKFrontend.initAll();
MOJFrontend.initAll();

// The owners picker (Tom Select) is loaded only on pages that have one.
if (document.querySelector('select[data-module="app-owner-picker"]')) {
  import("./owner-picker.mjs").then(({ initOwnerPickers }) => initOwnerPickers());
}

// The warning before a signed-in session times out (GOV.UK/HMRC pattern): only where the header put its dialog.
const timeoutDialog = document.querySelector('dialog[data-module="app-session-timeout"]');
if (timeoutDialog) {
  import("./session-timeout.mjs").then(({ initSessionTimeout }) => initSessionTimeout(timeoutDialog));
}

// The minute editor's autosave says "Not saved" when the service does not answer.
const autosaveStatus = document.getElementById("autosave-status");
if (autosaveStatus) {
  import("./autosave-status.mjs").then(({ initAutosaveStatus }) => initAutosaveStatus(autosaveStatus));
}
