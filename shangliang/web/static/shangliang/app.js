// 商量: small behaviour through data- attributes; no inline scripts (the CSP forbids them).
(function () {
  "use strict";
  // <form data-confirm="..."> asks before submitting.
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute && ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { ev.preventDefault(); }
  }, true);
  // <select data-autosubmit> submits its form on change (filters).
  document.addEventListener("change", function (ev) {
    if (ev.target.matches && ev.target.matches("[data-autosubmit]")) {
      var form = ev.target.form;
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    }
  });
})();
// <select data-org-switch> navigates to the chosen option's URL.
document.addEventListener("change", function (ev) {
  if (ev.target.matches && ev.target.matches("[data-org-switch]")) {
    window.location.href = ev.target.value;
  }
});
