// 创文通 · tasks: photo picker with previews, option filters, drafts, and the action modal.
// No inline scripts (CSP): behaviour hangs on data- attributes.
(function () {
  "use strict";

  // --- photo picker: the camera input adds its shot to the gallery input, which holds them all ---
  function store(box) { return box.querySelector("input[type=file][multiple]"); }

  function renderPreviews(box) {
    var input = store(box), list = box.querySelector("[data-photo-previews]");
    if (!input || !list) { return; }
    list.innerHTML = "";
    Array.prototype.forEach.call(input.files, function (file, index) {
      var item = document.createElement("div");
      item.className = "photo-preview";
      var img = document.createElement("img");
      img.alt = file.name;
      img.src = URL.createObjectURL(file);
      var del = document.createElement("button");
      del.type = "button";
      del.className = "btn btn-sm btn-danger photo-remove";
      del.setAttribute("aria-label", "删除这张照片");
      del.textContent = "×";
      del.addEventListener("click", function () { removeFile(box, index); });
      item.appendChild(img);
      item.appendChild(del);
      list.appendChild(item);
    });
  }

  function removeFile(box, index) {
    var input = store(box), dt = new DataTransfer();
    Array.prototype.forEach.call(input.files, function (file, i) { if (i !== index) { dt.items.add(file); } });
    input.files = dt.files;
    renderPreviews(box);
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-photo-input] input[type=file]")) { return; }
    var box = input.closest("[data-photo-input]"), target = store(box);
    if (input !== target && target && window.DataTransfer) {
      var dt = new DataTransfer();
      Array.prototype.forEach.call(target.files, function (f) { dt.items.add(f); });
      Array.prototype.forEach.call(input.files, function (f) { dt.items.add(f); });
      target.files = dt.files;
      input.value = "";
    }
    renderPreviews(box);
  });

  // --- <input data-filter-select="#id_x">: hide the select's options that do not match ---
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-filter-select]")) { return; }
    var select = document.querySelector(box.getAttribute("data-filter-select"));
    if (!select) { return; }
    var words = box.value.trim().toLowerCase();
    var first = null;
    Array.prototype.forEach.call(select.options, function (option) {
      var show = !option.value || !words || option.text.toLowerCase().indexOf(words) !== -1;
      option.hidden = !show;
      if (show && option.value && first === null) { first = option; }
    });
    if (select.size <= 1 && first && select.selectedOptions.length && select.selectedOptions[0].hidden) {
      select.value = first.value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  // --- <div data-select-summary="#id_x">: the chosen options of a multiple select, in words ---
  function summarise(root) {
    (root || document).querySelectorAll("[data-select-summary]").forEach(function (box) {
      var select = document.querySelector(box.getAttribute("data-select-summary"));
      if (!select) { return; }
      var names = Array.prototype.map.call(select.selectedOptions, function (o) { return o.text.trim(); });
      box.textContent = names.length ? "已选：" + names.join("、") + "（按住 Ctrl 可多选）" : "未选配合单位（按住 Ctrl 可多选）";
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[multiple]")) { summarise(document); }
  });
  document.body.addEventListener("htmx:afterSwap", function (event) { summarise(event.detail.target); });
  summarise(document);

  // --- drafts: text typed into a form with data-draft-key survives a dropped connection ---
  function draftFields(form) { return form.querySelectorAll("textarea[name], input[type=text][name], input[type=date][name]"); }
  function restoreDrafts(root) {
    (root || document).querySelectorAll("form[data-draft-key]").forEach(function (form) {
      var key = "draft:" + form.getAttribute("data-draft-key"), saved;
      try { saved = JSON.parse(window.localStorage.getItem(key) || "{}"); } catch (e) { saved = {}; }
      draftFields(form).forEach(function (field) {
        if (!field.value && saved[field.name]) { field.value = saved[field.name]; }
      });
    });
  }
  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (!form || !form.hasAttribute("data-draft-key")) { return; }
    var data = {};
    draftFields(form).forEach(function (field) { if (field.value) { data[field.name] = field.value; } });
    try { window.localStorage.setItem("draft:" + form.getAttribute("data-draft-key"), JSON.stringify(data)); } catch (e) { /* storage full or off */ }
  });
  function clearDraft(form) {
    try { window.localStorage.removeItem("draft:" + form.getAttribute("data-draft-key")); } catch (e) { /* ignore */ }
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute && form.hasAttribute("data-draft-key") && !form.hasAttribute("hx-post")) { clearDraft(form); }
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.hasAttribute && form.hasAttribute("data-draft-key") && event.detail.successful &&
        event.detail.xhr.getResponseHeader("HX-Redirect")) { clearDraft(form); }
  });
  document.body.addEventListener("htmx:afterSwap", function (event) { restoreDrafts(event.detail.target); });
  restoreDrafts(document);

  // --- the action modal: show a spinner again each time it opens ---
  var modal = document.getElementById("action-modal");
  if (modal) {
    modal.addEventListener("hidden.bs.modal", function () {
      document.getElementById("action-modal-content").innerHTML =
        '<div class="modal-body text-center text-muted py-5">加载中…</div>';
    });
  }
})();
