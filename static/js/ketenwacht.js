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
    // The section navigation scrolls its own list to the section on the page.
    var current = document.querySelector(".kw-section-nav .kw-current");
    if (current) {
      var list = current.parentElement;
      list.scrollTop = Math.max(0, current.offsetTop - list.offsetTop - 8);
    }
    // The questionnaire shows one section at a time: a link to a question of another section
    // (#q-CODE without ?q=) opens that question's section.
    var hash = window.location.hash;
    if (/^#q-[A-Za-z0-9._-]+$/.test(hash) && !document.getElementById(hash.slice(1)) &&
        document.getElementById("kw-section-nav")) {
      var params = new URLSearchParams(window.location.search);
      params.set("q", hash.slice(3));
      params.delete("section");
      window.location.replace(window.location.pathname + "?" + params.toString() + hash);
    }
  });
  // Buttons marked data-confirm ask before a destructive action (also in parts htmx swaps in).
  document.addEventListener("click", function (ev) {
    var el = ev.target.closest ? ev.target.closest("[data-confirm]") : null;
    if (el && !window.confirm(el.getAttribute("data-confirm"))) { ev.preventDefault(); }
  });
})();
