// 创文通 front-end glue. No inline scripts anywhere (the CSP forbids them); behaviour hangs on data- attributes.
(function () {
  "use strict";
  // <form data-confirm="确定…？"> asks before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  }, true);
  // <select data-autosubmit> submits its form on change (filter bars).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) { el.form.requestSubmit(); }
  });
})();
