/* Ketenwacht page behaviour. No inline scripts anywhere (Content-Security-Policy). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Selects marked data-autosubmit submit their form on change; their button is then hidden.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      var form = select.form;
      form.querySelectorAll(".kw-nojs").forEach(function (b) { b.classList.add("visually-hidden"); });
      select.addEventListener("change", function () { form.submit(); });
    });
  });
  // Buttons marked data-confirm ask before a destructive action (also in parts htmx swaps in).
  document.addEventListener("click", function (ev) {
    var el = ev.target.closest ? ev.target.closest("[data-confirm]") : null;
    if (el && !window.confirm(el.getAttribute("data-confirm"))) { ev.preventDefault(); }
  });
})();
