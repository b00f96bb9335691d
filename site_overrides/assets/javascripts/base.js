/* Components after GOV.UK Frontend 5, without its build step: start() sets up each root
   [data-module=<name>] once, also after Material's instant navigation (document$), in a task of
   its own; where needs() is false, nothing happens and the page stays the plain list. */
export function start(name, setup, needs) {
  function run() {
    document.querySelectorAll('[data-module="' + name + '"]').forEach(function (root) {
      if (root.hasAttribute("data-ready") || (needs && !needs())) return;
      root.setAttribute("data-ready", "");
      try { setup(root); } catch (e) { console.error(e); }
    });
  }
  function later() { setTimeout(run, 0); }
  var changes = window.document$;
  if (changes && typeof changes.subscribe === "function") changes.subscribe(later);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", later);
  else later();
}
