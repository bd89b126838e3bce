// A form with files larger than the server accepts in one request is stopped before it is sent:
// the server would refuse it by its length anyway, after the phone had spent minutes uploading.
// The limit comes from <body data-max-body> (settings.REQUEST_MAX_BODY_BYTES).
(function () {
  "use strict";
  var limit = Number(document.body.getAttribute("data-max-body")) || 0;
  if (!limit) { return; }

  function mb(bytes) { return (bytes / 1048576).toFixed(1) + " MB"; }

  function totalSize(form) {
    var total = 0;
    Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) { total += file.size; });
    });
    return total;
  }

  function showRefusal(form, text) {
    var box = form.querySelector("[data-size-refusal]");
    if (!box) {
      box = document.createElement("div");
      box.className = "alert alert-danger mt-2";
      box.setAttribute("role", "alert");
      box.setAttribute("data-size-refusal", "");
      box.setAttribute("data-testid", "size-refusal");
      form.prepend(box);
    }
    box.textContent = text;
    box.scrollIntoView({ block: "center" });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.querySelector || !form.querySelector("input[type=file]")) { return; }
    var total = totalSize(form);
    if (total > limit) {
      event.preventDefault();
      event.stopImmediatePropagation();
      showRefusal(form, "所选文件共 " + mb(total) + "，超过单次提交上限 " + mb(limit) + "，没有提交。请减少照片数量或压缩后再提交。");
    }
  }, true);
})();
