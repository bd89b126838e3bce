// Multi-file upload (templates/archives/evidence_upload.html): each file is its own request to
// archives:upload_file, with its own progress bar and its own result or error.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) { return; }
  var input = document.getElementById("file-input");
  var zone = form.querySelector("[data-dropzone]");
  var list = document.querySelector("[data-upload-list]");
  var summary = document.querySelector("[data-upload-summary]");
  var footer = document.querySelector("[data-upload-done]");
  var captionLink = document.querySelector("[data-caption-link]");
  var PARALLEL = 2;
  var queue = [];
  var running = 0;
  var stats = { total: 0, ok: 0, failed: 0 };
  var storedIds = [];

  function human(bytes) {
    if (bytes >= 1048576) { return (bytes / 1048576).toFixed(1) + " MB"; }
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function makeRow(file) {
    var row = el("div", "upload-row");
    row.setAttribute("data-testid", "upload-row");
    var preview = el("span", "ev-thumb ev-icon");
    if (/^image\/(jpeg|png|webp)$/.test(file.type) && file.size < 15 * 1048576) {
      var img = el("img", "ev-thumb");
      img.alt = "";
      img.src = URL.createObjectURL(file);
      img.onload = function () { URL.revokeObjectURL(img.src); };
      img.onerror = function () {
        // Not a picture after all (the server will say why): show a plain file icon.
        URL.revokeObjectURL(img.src);
        var icon = el("span", "ev-thumb ev-icon");
        icon.appendChild(el("i", "bi bi-file-earmark-x text-danger"));
        img.replaceWith(icon);
      };
      preview = img;
    } else {
      preview.appendChild(el("i", "bi bi-file-earmark"));
    }
    var middle = el("div", "min-w-0");
    var name = el("div", "text-truncate fw-semibold", file.name);
    var meta = el("div", "small text-muted", human(file.size));
    var bar = el("div", "progress mt-1");
    var fill = el("div", "progress-bar");
    fill.style.width = "0%";
    bar.appendChild(fill);
    var message = el("div", "small mt-1");
    message.setAttribute("data-testid", "upload-message");
    middle.append(name, meta, bar, message);
    var state = el("span", "badge text-bg-secondary", "等待上传");
    row.append(preview, middle, state);
    return { row: row, fill: fill, message: message, state: state, bar: bar };
  }

  function setState(view, kind, label, text) {
    view.state.className = "badge " + ({ ok: "text-bg-success", error: "text-bg-danger", busy: "text-bg-primary" }[kind] || "text-bg-secondary");
    view.state.textContent = label;
    view.message.textContent = text || "";
    view.message.className = "small mt-1 " + (kind === "error" ? "text-danger" : "text-muted");
    view.row.classList.toggle("is-error", kind === "error");
    view.row.classList.toggle("is-done", kind === "ok");
  }

  function chosenIndicators() {
    return Array.prototype.map.call(form.querySelectorAll("[data-chosen] input[type=checkbox]:checked"), function (b) { return b.value; });
  }

  function finish() {
    running -= 1;
    summary.textContent = "共 " + stats.total + " 个：成功 " + stats.ok + "，失败 " + stats.failed + (queue.length || running ? "，上传中…" : "");
    if (storedIds.length) {
      footer.hidden = false;
      captionLink.href = form.getAttribute("data-caption-url") + "?ids=" + storedIds.join(",");
    }
    pump();
  }

  function fail(view, text) {
    stats.failed += 1;
    view.bar.remove();
    setState(view, "error", "未上传", text);
  }

  // The server refuses an oversized file by its length alone; saying so here saves the upload.
  function tooLarge(file) {
    var photo = /^image\//.test(file.type);
    var limitMb = Number(form.getAttribute(photo ? "data-max-photo-mb" : "data-max-document-mb")) || 0;
    if (!limitMb || file.size <= limitMb * 1048576) { return ""; }
    return "文件过大（" + human(file.size) + "），" + (photo ? "照片" : "文档") + "不能超过 " + limitMb + " MB，没有上传。请压缩或拆分后再选择。";
  }

  function send(job) {
    running += 1;
    var view = job.view;
    var refusal = tooLarge(job.file);
    if (refusal) { fail(view, refusal); finish(); return; }
    var unit = form.elements.unit.value;
    if (!unit) { fail(view, "请先选择要上传到的单位。"); finish(); return; }
    var data = new FormData();
    data.append("file", job.file, job.file.name);
    data.append("unit", unit);
    data.append("category", form.elements.category.value);
    chosenIndicators().forEach(function (id) { data.append("indicators", id); });
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("data-upload-url"));
    xhr.setRequestHeader("X-CSRFToken", form.elements.csrfmiddlewaretoken.value);
    xhr.setRequestHeader("Accept", "application/json");
    setState(view, "busy", "上传中");
    xhr.upload.onprogress = function (event) {
      if (event.lengthComputable) { view.fill.style.width = Math.round(100 * event.loaded / event.total) + "%"; }
    };
    xhr.onload = function () {
      var reply = null;
      try { reply = JSON.parse(xhr.responseText); } catch (e) { reply = null; }
      if (xhr.status === 200 && reply && reply.ok) {
        stats.ok += 1;
        view.fill.style.width = "100%";
        view.bar.remove();
        if (storedIds.indexOf(reply.id) < 0) { storedIds.push(reply.id); }
        setState(view, "ok", reply.reused ? "已存在" : "已上传", reply.message);
        var link = el("a", "ms-1", "查看");
        link.href = reply.url;
        view.message.appendChild(link);
      } else {
        fail(view, (reply && reply.error) || ("上传失败（服务器返回 " + xhr.status + "），请稍后重试。"));
      }
      finish();
    };
    xhr.onerror = function () { fail(view, "网络中断，文件没有上传成功。请检查网络后重新选择该文件。"); finish(); };
    xhr.send(data);
  }

  function pump() {
    while (running < PARALLEL && queue.length) { send(queue.shift()); }
  }

  function addFiles(files) {
    var empty = list.querySelector("[data-upload-empty]");
    if (empty) { empty.remove(); }
    Array.prototype.forEach.call(files, function (file) {
      var view = makeRow(file);
      list.appendChild(view.row);
      stats.total += 1;
      queue.push({ file: file, view: view });
    });
    pump();
  }

  input.addEventListener("change", function () {
    if (input.files.length) { addFiles(input.files); }
    input.value = "";
  });
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("dragover"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.remove("dragover"); });
  });
  zone.addEventListener("drop", function (event) {
    if (event.dataTransfer && event.dataTransfer.files.length) { addFiles(event.dataTransfer.files); }
  });
})();
