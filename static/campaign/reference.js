// 测评体系 tree: expand or collapse every node (<button data-tree-toggle="open|close">).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-tree-toggle]");
    if (!button) { return; }
    var open = button.getAttribute("data-tree-toggle") === "open";
    document.querySelectorAll(".tree details").forEach(function (node) { node.open = open; });
  });
})();
