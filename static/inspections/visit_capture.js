// 点位检查 (phone page). Nothing typed or photographed may be lost when the connection drops:
//  * every change is written at once to localStorage and saved to the server a moment later
//    (the server keeps the draft; the local copy is replayed on the next load if it never arrived);
//  * each photo is uploaded on its own as soon as it is taken, with progress; a photo that could
//    not be sent waits in IndexedDB and is sent again (on reload, when the phone is back online,
//    or by tapping it). Submitting waits until every photo is up.
(function () {
  "use strict";
  var form = document.querySelector("[data-visit-form]");
  if (!form) { return; }
  var key = form.getAttribute("data-storage-key");
  var autosaveUrl = form.getAttribute("data-autosave-url");
  var photoUrl = form.getAttribute("data-photo-url");
  // The server's "last saved" stamp this page's edits are based on. A local copy is replayed only
  // if the server has not saved since (no comparison of the phone's clock with the server's).
  var serverStamp = form.getAttribute("data-saved-stamp") || "";
  var statusEl = document.querySelector("[data-save-status]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var saveTimer = null, saving = false, dirty = false, pendingUploads = 0;

  function say(text, tone) {
    if (!statusEl) { return; }
    statusEl.textContent = text;
    statusEl.className = tone === "warn" ? "text-danger fw-semibold" : "text-muted";
  }

  // --- answers: collect, store locally, save to the server ----------------------------------
  function answerFields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && (/^[rn]\d+$/.test(el.name) || el.name === "visit_note");
    });
  }

  function snapshot() {
    var data = {};
    answerFields().forEach(function (el) {
      if (el.type === "radio") { if (el.checked) { data[el.name] = el.value; } }
      else { data[el.name] = el.value; }
    });
    return data;
  }

  function remember(synced) {
    try {
      localStorage.setItem(key, JSON.stringify({ base: serverStamp, synced: synced, answers: snapshot() }));
    } catch (e) { /* storage full or disabled: the server draft still holds the work */ }
  }

  function restore() {
    var entry;
    try { entry = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { entry = null; }
    if (!entry || entry.synced || entry.base !== serverStamp) { return false; }
    Object.keys(entry.answers).forEach(function (name) {
      var value = entry.answers[name];
      var fields = form.querySelectorAll("[name='" + name + "']");
      fields.forEach(function (el) {
        if (el.type === "radio") { el.checked = el.value === value; } else { el.value = value; }
      });
    });
    var banner = document.querySelector("[data-restored]");
    if (banner) { banner.hidden = false; }
    return true;
  }

  function save() {
    if (saving) { dirty = true; return; }
    saving = true; dirty = false;
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    var data = snapshot();
    Object.keys(data).forEach(function (name) { body.append(name, data[name]); });
    fetch(autosaveUrl, { method: "POST", body: body, credentials: "same-origin",
                         headers: { "X-CSRFToken": csrf, "Accept": "application/json" } })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (json) {
          if (!response.ok) { throw new Error(json.error || "保存失败（" + response.status + "）"); }
          return json;
        });
      })
      .then(function (json) {
        serverStamp = json.stamp || serverStamp;
        remember(!dirty);
        say(json.label || "已保存");
      })
      .catch(function (error) {
        var offline = !navigator.onLine || error instanceof TypeError;
        say(offline ? "网络不通：已保存在本机，联网后自动上传" : error.message, "warn");
        if (offline) { schedule(15000); }
      })
      .finally(function () { saving = false; if (dirty) { schedule(800); } });
  }

  function schedule(delay) {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, delay);
  }

  // --- look of the page: answered colours, counters, next item ----------------------------------
  function refresh() {
    var done = 0, failed = 0;
    form.querySelectorAll("[data-line]").forEach(function (card) {
      var checked = card.querySelector("input[type=radio]:checked");
      card.classList.remove("is-met", "is-failed", "is-na");
      if (checked) { done += 1; card.classList.add("is-" + checked.value); }
      if (checked && checked.value === "failed") { failed += 1; }
    });
    var doneEl = document.querySelector("[data-done]"), failedEl = document.querySelector("[data-failed]");
    if (doneEl) { doneEl.textContent = done; }
    if (failedEl) { failedEl.textContent = failed; }
  }

  function nextOpen(card) {
    var next = card.nextElementSibling;
    while (next && next.hasAttribute("data-line")) {
      if (!next.querySelector("input[type=radio]:checked")) { return next; }
      next = next.nextElementSibling;
    }
    return null;
  }

  form.addEventListener("change", function (event) {
    var el = event.target;
    if (el.hasAttribute("data-photo-input")) { takePhotos(el); return; }
    if (!el.name) { return; }
    remember(false);
    refresh();
    schedule(1200);
    if (el.type === "radio" && el.value !== "failed") {
      var next = nextOpen(el.closest("[data-line]"));
      if (next) { next.scrollIntoView({ behavior: "smooth", block: "start" }); }
    }
    if (el.type === "radio" && el.value === "failed") {
      var note = el.closest("[data-line]").querySelector("textarea");
      if (note && !note.value) { note.focus(); }
    }
  });
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") { remember(false); schedule(2000); }
  });
  window.addEventListener("online", function () { say("网络已恢复，正在上传…"); save(); retryAll(); });

  // --- photos: IndexedDB queue, one upload per photo ------------------------------------------
  var dbPromise = null;
  function db() {
    if (!window.indexedDB) { return Promise.reject(new Error("no indexedDB")); }
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var open = indexedDB.open("cwt-visit-photos", 1);
        open.onupgradeneeded = function () { open.result.createObjectStore("photos", { keyPath: "id" }); };
        open.onsuccess = function () { resolve(open.result); };
        open.onerror = function () { reject(open.error); };
      });
    }
    return dbPromise;
  }
  function store(mode, work) {
    return db().then(function (conn) {
      return new Promise(function (resolve, reject) {
        var tx = conn.transaction("photos", mode), result = work(tx.objectStore("photos"));
        tx.oncomplete = function () { resolve(result && result.result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }
  function queuePut(entry) { return store("readwrite", function (s) { return s.put(entry); }).catch(function () {}); }
  function queueDelete(id) { return store("readwrite", function (s) { return s.delete(id); }).catch(function () {}); }
  function queueAll() { return store("readonly", function (s) { return s.getAll(); }).catch(function () { return []; }); }

  function thumbFor(line, blob) {
    var card = form.querySelector("[data-line='" + line + "']");
    var box = document.createElement("div");
    box.className = "thumb";
    var img = document.createElement("img");
    img.alt = "待上传照片";
    img.src = URL.createObjectURL(blob);
    var state = document.createElement("div");
    state.className = "thumb-state";
    state.textContent = "等待上传";
    box.appendChild(img); box.appendChild(state);
    card.querySelector("[data-thumbs]").appendChild(box);
    return box;
  }

  function upload(entry, box) {
    var state = box.querySelector(".thumb-state");
    box.classList.remove("failed");
    pendingUploads += 1;
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    body.append("line", entry.line);
    body.append("photo", entry.blob, entry.name);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", photoUrl);
    xhr.setRequestHeader("X-CSRFToken", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) { state.textContent = "上传 " + Math.round(e.loaded * 100 / e.total) + "%"; }
    };
    xhr.onload = function () {
      pendingUploads -= 1;
      var json = {};
      try { json = JSON.parse(xhr.responseText); } catch (e) { json = {}; }
      if (xhr.status === 200 && json.id) {
        queueDelete(entry.id);
        box.setAttribute("data-photo", json.id);
        state.textContent = json.taken_at ? json.taken_at.slice(5) : "已上传";
        var del = document.createElement("button");
        del.type = "button"; del.className = "thumb-del"; del.textContent = "×";
        del.setAttribute("aria-label", "删除照片");
        del.setAttribute("data-delete-url", json["delete"]);
        box.appendChild(del);
      } else if (xhr.status >= 400 && xhr.status < 500) {
        queueDelete(entry.id);
        failed(box, json.error || "照片被拒绝", null);
      } else {
        failed(box, "上传失败，点按重试", entry);
      }
    };
    xhr.onerror = function () { pendingUploads -= 1; failed(box, "未联网，点按重试", entry); };
    xhr.send(body);
  }

  function failed(box, message, entry) {
    box.classList.add("failed");
    box.querySelector(".thumb-state").textContent = message;
    box._retry = entry;
    if (!entry) { say(message, "warn"); }
  }

  function takePhotos(input) {
    var line = input.closest("[data-line]").getAttribute("data-line");
    Array.prototype.forEach.call(input.files, function (file) {
      var entry = { id: key + "-" + Date.now() + "-" + Math.random().toString(36).slice(2), visit: key,
                    line: line, name: file.name || "photo.jpg", blob: file };
      queuePut(entry);
      upload(entry, thumbFor(line, file));
    });
    input.value = "";  // already on its way: never sent again with the form
  }

  function retryAll() {
    form.querySelectorAll(".thumb.failed").forEach(function (box) { if (box._retry) { upload(box._retry, box); } });
  }

  form.addEventListener("click", function (event) {
    var del = event.target.closest("[data-delete-url]");
    if (del) {
      event.preventDefault();
      if (!window.confirm("删除这张照片？")) { return; }
      var box = del.closest(".thumb");
      fetch(del.getAttribute("data-delete-url"), { method: "POST", credentials: "same-origin",
            headers: { "X-CSRFToken": csrf, "Accept": "application/json" } })
        .then(function (r) { if (r.ok) { box.remove(); } else { say("删除失败，请稍后重试", "warn"); } })
        .catch(function () { say("未联网，照片暂时不能删除", "warn"); });
      return;
    }
    var box2 = event.target.closest(".thumb.failed");
    if (box2 && box2._retry) { event.preventDefault(); upload(box2._retry, box2); }
  });

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (pendingUploads > 0) {
      event.preventDefault();
      window.alert("还有 " + pendingUploads + " 张照片正在上传，请稍候再提交。");
      return;
    }
    if (form.querySelector(".thumb.failed")) {
      event.preventDefault();
      window.alert("有照片没有上传成功（红框），请点按重试或删除后再提交。");
      return;
    }
    var question = submitter && submitter.getAttribute("data-confirm-text");
    if (question && !window.confirm(question)) { event.preventDefault(); return; }
    remember(false);
  });

  // --- start ---------------------------------------------------------------------------------
  if (restore()) { schedule(300); }
  refresh();
  queueAll().then(function (entries) {
    (entries || []).filter(function (e) { return e.visit === key; }).forEach(function (entry) {
      if (form.querySelector("[data-line='" + entry.line + "']")) { upload(entry, thumbFor(entry.line, entry.blob)); }
      else { queueDelete(entry.id); }
    });
  });
})();
