/* Role filter for criterion lists. Without JavaScript the full list shows; with it, a choice of
   role (also as a link: ?rol=mentor) hides the criteria that role does not act on. */
(function () {
  "use strict";

  function setup(form) {
    if (form.dataset.ready) return;
    form.dataset.ready = "1";
    var root = form.closest("article") || document;
    var status = form.querySelector(".wpl-rolfilter__status");
    var valid = Array.prototype.map.call(form.querySelectorAll("input[name=rol]"), function (i) {
      return i.value;
    });

    function apply(role, push) {
      if (valid.indexOf(role) < 0) role = "";
      var shown = 0;
      root.querySelectorAll("li.wpl-criterion").forEach(function (li) {
        var hide = role !== "" && (" " + li.dataset.roles + " ").indexOf(" " + role + " ") < 0;
        li.classList.toggle("wpl-filtered-out", hide);
        // A level-2 criterion may be very important for the chosen role (form pages).
        var very = (" " + (li.dataset.heelBelangrijkRollen || "") + " ").indexOf(" " + role + " ") >= 0;
        li.classList.toggle("wpl-role-very", role !== "" && very);
        if (!hide) shown += 1;
      });
      root.querySelectorAll("section.wpl-question, section.wpl-domain, section.wpl-phase").forEach(function (s) {
        s.classList.toggle("wpl-filtered-out", !s.querySelector("li.wpl-criterion:not(.wpl-filtered-out)"));
      });
      form.querySelectorAll("input[name=rol]").forEach(function (i) { i.checked = i.value === role; });
      if (status) {
        var label = role ? form.querySelector("input[value='" + role + "']").parentNode.textContent.trim() : "";
        status.textContent = role ? shown + " criteria voor " + label + "." : "Alle criteria worden getoond.";
      }
      if (push) {
        var url = new URL(window.location.href);
        if (role) url.searchParams.set("rol", role); else url.searchParams.delete("rol");
        window.history.replaceState(window.history.state, "", url);
      }
    }

    form.addEventListener("change", function (e) {
      if (e.target.name === "rol") apply(e.target.value, true);
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.hidden = false;
    apply(new URLSearchParams(window.location.search).get("rol") || "", false);
  }

  function init() {
    document.querySelectorAll("form[data-module=rolfilter]").forEach(setup);
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
