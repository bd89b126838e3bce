// Review queue: the header checkbox ticks every row.
(function () {
  "use strict";
  var all = document.querySelector("[data-check-all]");
  if (!all) { return; }
  all.addEventListener("change", function () {
    document.querySelectorAll('input[name="ids"][form="bulk-form"]').forEach(function (box) { box.checked = all.checked; });
  });
})();
