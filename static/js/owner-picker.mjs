// The owners picker: Tom Select (npm "tom-select", served from /static/tom-select/) laid over a plain
// <select multiple data-module="app-owner-picker">. Without JavaScript the select itself is the
// control; with it, the select stays the form's value and Tom Select gives a searchable list
// (grouped People / Organisations / Groups) with the choices shown as removable tags.
// Accessibility on top of Tom Select's combobox: each tag's remove control is a real <button>
// named "Remove <owner>", the select's hint and error describe the text box, and a polite live
// region says what was added or removed. Nothing here writes inline styles or scripts (the CSP).
import "../tom-select/tom-select.complete.min.js";

const TomSelect = globalThis.TomSelect;

function liveRegion(wrapper) {
  const region = document.createElement("div");
  region.className = "govuk-visually-hidden";
  region.setAttribute("aria-live", "polite");
  wrapper.after(region);
  return region;
}

function removeButton(picker, data) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "app-owner-picker__remove";
  button.setAttribute("aria-label", `Remove ${data.text}`);
  button.textContent = "×";
  // Keep Tom Select from treating the press as a click in its control.
  button.addEventListener("mousedown", (event) => {
    event.preventDefault();
    event.stopPropagation();
  });
  button.addEventListener("click", (event) => {
    event.preventDefault();
    event.stopPropagation();
    picker.removeItem(data.value);
    picker.refreshOptions(false);
    picker.focus();
  });
  return button;
}

function enhance(select) {
  const hint = select.getAttribute("aria-describedby");
  let picker;
  picker = new TomSelect(select, {
    maxOptions: null,
    // Search as each letter is typed (the list is short), so Enter takes what the list shows.
    refreshThrottle: 0,
    closeAfterSelect: false,
    clearAfterSelect: true,
    hidePlaceholder: false,
    lockOptgroupOrder: true,
    placeholder: "Type a name, an organisation or a group",
    render: {
      item(data) {
        const item = document.createElement("div");
        item.className = "app-owner-picker__tag";
        item.append(document.createTextNode(data.text), removeButton(picker, data));
        return item;
      },
      no_results(data, escape) {
        return `<div class="no-results">Nothing matches “${escape(data.input)}”</div>`;
      },
    },
  });
  const input = picker.control_input;
  if (hint) input.setAttribute("aria-describedby", hint);
  // The select stays in the page as the form's value, out of sight: the text box stands for it.
  select.setAttribute("aria-hidden", "true");
  if (select.closest(".govuk-form-group--error")) picker.wrapper.classList.add("app-owner-picker--error");
  const hintElement = select.id && document.getElementById(`${select.id}_hint`);
  if (hintElement) {
    hintElement.textContent =
      "Type to search people, organisations (for example “SG” or “RMA”) and whole groups " +
      "(“All NSG members”). Choose as many as you need.";
  }
  const region = liveRegion(picker.wrapper);
  const say = (message) => {
    region.textContent = message;
  };
  const chosen = () => `${picker.items.length} chosen.`;
  picker.on("item_add", (value) => say(`${picker.options[value]?.text ?? value} added. ${chosen()}`));
  picker.on("item_remove", (value) => say(`${picker.options[value]?.text ?? value} removed. ${chosen()}`));
  return picker;
}

export function initOwnerPickers(scope = document) {
  if (!TomSelect) return;
  scope.querySelectorAll('select[multiple][data-module="app-owner-picker"]').forEach((select) => {
    if (!select.tomselect) enhance(select);
  });
}
