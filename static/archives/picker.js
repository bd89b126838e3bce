// Standard picker (templates/archives/_standard_picker.html): a ticked search result moves to the
// "chosen" list, so a new search does not lose it.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-pick]") || !box.checked) { return; }
    var picker = box.closest("[data-picker]");
    if (!picker) { return; }
    var chosen = picker.querySelector("[data-chosen]");
    var label = box.closest("label");
    var existing = chosen.querySelector('input[value="' + box.value + '"]');
    if (existing) {
      existing.checked = true;
      label.remove();
      return;
    }
    box.removeAttribute("data-pick");
    chosen.appendChild(label);
  });
})();
