/* The role filter of criterion lists (form pages, phases, the checklist). Without JavaScript the
   full list shows; with it, a choice of role (also as a link: ?rol=mentor) hides the criteria
   that role does not act on and shows which are very important for it. The form then sends a
   "wpl:rol" event ({rol, naam}) up the page, so other components can follow the filter. */
import { start } from "./base.js";

start("rolfilter", function (form) {
  var root = form.closest("article") || document, status = form.querySelector(".wpl-rolfilter__status");
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input[name=rol]")), current = "";
  var has = function (list, role) { return (" " + (list || "") + " ").indexOf(" " + role + " ") >= 0; };

  function apply(role, push) {
    var input = inputs.filter(function (i) { return i.value === role; })[0];
    if (!input) { role = ""; input = inputs[0]; }
    var label = role ? input.parentNode.textContent.trim() : "", shown = 0;
    if (role !== current) {
      root.querySelectorAll("li.wpl-criterion").forEach(function (li) {
        var d = li.dataset, hide = role !== "" && !has(d.roles, role), very = role !== "" && has(d.heelBelangrijkRollen, role);
        li.classList.toggle("wpl-filtered-out", hide);
        if (d.heelBelangrijkRollen) {
          li.classList.toggle("wpl-role-very", very);
          if (d.belang) d.belang = very ? "heel-belangrijk" : "belangrijk";
        }
      });
      root.querySelectorAll("section.wpl-question, section.wpl-domain, section.wpl-phase").forEach(function (s) {
        s.classList.toggle("wpl-filtered-out", !s.querySelector("li.wpl-criterion:not(.wpl-filtered-out)"));
      });
    }
    shown = root.querySelectorAll("li.wpl-criterion:not(.wpl-filtered-out)").length;
    input.checked = true;
    if (status) status.textContent = role ? shown + " criteria voor " + label + "." : "Alle criteria worden getoond.";
    if (push) {
      var url = new URL(location.href);
      if (role) url.searchParams.set("rol", role); else url.searchParams.delete("rol");
      history.replaceState(history.state, "", url);
    }
    if (role !== current) {
      current = role;
      form.dispatchEvent(new CustomEvent("wpl:rol", { bubbles: true, detail: { rol: role, naam: label } }));
    }
  }

  form.addEventListener("change", function (e) { if (e.target.name === "rol") apply(e.target.value, true); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.hidden = false;
  apply(new URLSearchParams(location.search).get("rol") || "", false);
});
