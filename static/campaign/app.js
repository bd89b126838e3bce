// 创文通 front-end glue. No inline scripts anywhere (the CSP forbids them); behaviour hangs on data- attributes.
(function () {
  "use strict";
  // <form data-confirm="确定…？"> asks before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  }, true);
  // A POST form is sent once: its buttons are disabled while the request is in flight, and a
  // second submit (double click, Enter pressed twice) is dropped. The server enforces the same
  // with the form's one-time key (campaign/services/once.py); this spares the user the second round trip.
  // Buttons come back if the page is shown again from the back/forward cache, and after a while
  // for forms that answer with a download instead of a new page.
  function isPost(form) {
    return form && form.getAttribute && (form.getAttribute("method") || "").toLowerCase() === "post";
  }
  function setBusy(form, busy) {
    if (busy) { form.setAttribute("data-submitting", ""); } else { form.removeAttribute("data-submitting"); }
    form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach(function (b) {
      if (busy && !b.disabled) { b.disabled = true; b.setAttribute("data-busy", ""); }
      if (!busy && b.hasAttribute("data-busy")) { b.disabled = false; b.removeAttribute("data-busy"); }
    });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!isPost(form) || form.hasAttribute("hx-post") || form.getAttribute("target")) { return; }
    if (form.hasAttribute("data-submitting")) { event.preventDefault(); return; }
    if (event.defaultPrevented) { return; }
    form.setAttribute("data-submitting", "");
    // After this event: disabling the clicked button now would drop its name=value from the post.
    window.setTimeout(function () { setBusy(form, true); }, 0);
    window.setTimeout(function () { setBusy(form, false); }, 15000);
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (isPost(form) || (form && form.hasAttribute && form.hasAttribute("hx-post") && form.tagName === "FORM")) {
      if (form.hasAttribute("data-submitting")) { event.preventDefault(); return; }
      setBusy(form, true);
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.hasAttribute && form.hasAttribute("data-submitting")) { setBusy(form, false); }
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitting]").forEach(function (form) { setBusy(form, false); });
  });
  // <select data-autosubmit> submits its form on change (filter bars).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) { el.form.requestSubmit(); }
  });
})();
