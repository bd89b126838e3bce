// 新建检查轮次: show the fields of the chosen sample mode; select all / none site types.
(function () {
  "use strict";
  var form = document.querySelector("[data-round-form]");
  if (!form) { return; }
  function sync() {
    var checked = form.querySelector("input[name=sample_mode]:checked");
    var mode = checked ? checked.value : "random";
    form.querySelectorAll("[data-mode]").forEach(function (el) {
      el.hidden = el.getAttribute("data-mode").split(" ").indexOf(mode) < 0;
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "sample_mode") { sync(); }
    if (event.target.name === "kind") {
      var recheck = event.target.value === "回头看";
      var radio = form.querySelector("input[name=sample_mode][value=" + (recheck ? "recheck" : "random") + "]");
      if (radio) { radio.checked = true; sync(); }
    }
  });
  form.addEventListener("click", function (event) {
    var all = event.target.getAttribute("data-check-all"), none = event.target.getAttribute("data-check-none");
    var name = all || none;
    if (!name) { return; }
    form.querySelectorAll("input[name=" + name + "]").forEach(function (box) { box.checked = Boolean(all); });
  });
  sync();
})();
