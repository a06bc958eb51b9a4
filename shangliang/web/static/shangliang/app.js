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
// <select data-show-when="kind=work"> shows its form field only while the form's "kind" field
// has the value "work" (the group form: a sector for work groups, a region for study groups).
(function () {
  "use strict";
  function sync(form) {
    form.querySelectorAll("[data-show-when]").forEach(function (el) {
      var rule = el.getAttribute("data-show-when").split("=");
      var control = form.elements.namedItem(rule[0]);
      var wrapper = el.closest(".mb-3") || el;
      wrapper.hidden = !!control && control.value !== rule[1];
    });
  }
  function syncAll() {
    document.querySelectorAll("form").forEach(function (form) {
      if (form.querySelector("[data-show-when]")) { sync(form); }
    });
  }
  document.addEventListener("change", function (ev) {
    if (ev.target.form && ev.target.form.querySelector("[data-show-when]")) { sync(ev.target.form); }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", syncAll);
  } else {
    syncAll();
  }
})();
// <ul data-scroll-active> (a row of tabs that scrolls sideways on a phone) shows its active tab.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-scroll-active]").forEach(function (list) {
    var active = list.querySelector(".active");
    if (!active) { return; }
    var a = active.getBoundingClientRect(), l = list.getBoundingClientRect();
    list.scrollLeft += a.left - l.left - (l.width - a.width) / 2;
  });
});
