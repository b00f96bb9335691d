/* One criterion of the checklist. Its status radios and buttons are in the page (rendered at
   build time); the note and action fields are made from the page's template only when needed. */

/* Show an answer e ({status, notitie, actie}); tpl makes the note fields when there is a note. */
export function paint(li, e, tpl) {
  var s = e.status || "", a = e.actie || {}, has = !!(e.notitie || a.wat || a.wie || a.wanneer);
  var on = li.querySelector("input[type=radio]:checked"), ex = li.querySelector(".wpl-cl-extra");
  if (s) { if (!on || on.value !== s) li.querySelector('input[type=radio][value="' + s + '"]').checked = true; }
  else if (on) on.checked = false;
  if (li.dataset.status !== s) li.dataset.status = s;
  if (has && !ex) ex = extra(li, tpl, false);
  if (!ex) return;
  ex.querySelectorAll("[data-f]").forEach(function (c) {
    var f = c.dataset.f, v = (f === "notitie" ? e.notitie : a[f]) || "";
    if (c.value !== v) c.value = v;
  });
  ex.classList.toggle("wpl-cl-has", has);
  li.querySelector(".wpl-cl-more").textContent = has ? "Notitie en actie (ingevuld)" : "Notitie en actie";
}

/* Make the note and action fields of a criterion, open or closed. */
function extra(li, tpl, open) {
  var ex = tpl.content.firstElementChild.cloneNode(true), more = li.querySelector(".wpl-cl-more");
  ex.id = "ex-" + li.id;
  ex.hidden = !open;
  ex.querySelectorAll("[data-f]").forEach(function (c) { c.setAttribute("aria-describedby", "lb-" + li.id); });
  more.setAttribute("aria-controls", ex.id);
  more.parentNode.after(ex);
  return ex;
}

/* Open or close the note and action fields (the "Notitie en actie" button). */
export function toggle(li, tpl) {
  var more = li.querySelector(".wpl-cl-more"), open = more.getAttribute("aria-expanded") !== "true";
  var ex = li.querySelector(".wpl-cl-extra") || extra(li, tpl, open);
  more.setAttribute("aria-expanded", open);
  ex.hidden = !open;
}

/* The field an input event changed: [field, value], or null when it is not one of ours. */
export function changed(t) {
  if (t.type === "radio" && /_status$/.test(t.name)) return ["status", t.value];
  if (t.dataset.f) return [t.dataset.f, t.value];
  return null;
}
