// 数据导入: show the new-edition fields or the empty-edition choice, whichever "导入到" selects.
(function () {
  "use strict";
  function sync(form) {
    var checked = form.querySelector("input[name=target]:checked");
    if (!checked) { return; }
    var fresh = checked.value === "new";
    ["name", "year", "activate"].forEach(function (name) {
      var box = form.querySelector("#div_framework_" + name);
      if (box) { box.classList.toggle("d-none", !fresh); }
    });
    var choice = form.querySelector("#div_framework_framework");
    if (choice) { choice.classList.toggle("d-none", fresh); }
  }
  document.querySelectorAll("form[data-testid=framework-upload]").forEach(function (form) {
    sync(form);
    form.addEventListener("change", function (event) {
      if (event.target.name === "target") { sync(form); }
    });
  });
})();
