/* Components after GOV.UK Frontend 5: start() sets up each [data-module=<name>] once, also
   when Material announces a new page on document$, in a task of its own; if needs() allows. */
export function start(name, setup, needs) {
  function run() {
    document.querySelectorAll('[data-module="' + name + '"]').forEach(function (root) {
      if (root.hasAttribute("data-ready") || (needs && !needs())) return;
      root.setAttribute("data-ready", "");
      try { setup(root); } catch (e) { console.error(e); }
    });
  }
  function later() { setTimeout(run, 0); }
  function hook() {
    var changes = window.document$;
    if (changes && typeof changes.subscribe === "function") changes.subscribe(later); else later();
  }
  // A module can run before Material's bundle has defined document$.
  if (window.document$ || document.readyState === "complete") hook();
  else addEventListener(document.readyState === "loading" ? "DOMContentLoaded" : "load", hook);
}
