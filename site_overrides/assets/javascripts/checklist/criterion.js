/* One criterion of the checklist. Its radios and buttons are in the page (built with it); the
   note and action fields are made from the page's template only when needed. */
import { STATUSES } from "../lib/state.js";

/* What the script keeps of a criterion: its element, its four radios (in STATUSES order) and,
   once made, its note fields. */
export function record(li) {
  return { li: li, radios: li.getElementsByTagName("input"), more: li.querySelector(".wpl-cl-more"), ex: null };
}

/* Show an answer e ({status, notitie, actie}); tpl makes the note fields when there is a note.
   Writes only what differs, and reads no layout. */
export function paint(r, e, tpl) {
  var s = e.status || "", a = e.actie || {}, has = !!(e.notitie || a.wat || a.wie || a.wanneer), i;
  for (i = 0; i < 4; i++) if (r.radios[i].checked !== (STATUSES[i] === s)) r.radios[i].checked = STATUSES[i] === s;
  if ((r.li.dataset.status || "") !== s) r.li.dataset.status = s; // no write for an unanswered one at start
  if (has && !r.ex) extra(r, tpl, false);
  if (!r.ex) return;
  r.ex.querySelectorAll("[data-f]").forEach(function (c) {
    var f = c.dataset.f, v = (f === "notitie" ? e.notitie : a[f]) || "";
    if (c.value !== v) c.value = v;
  });
  r.ex.classList.toggle("wpl-cl-has", has);
  r.more.textContent = has ? "Notitie en actie (ingevuld)" : "Notitie en actie";
}

/* Make the note and action fields of a criterion, open or closed. */
function extra(r, tpl, open) {
  var ex = r.ex = tpl.content.firstElementChild.cloneNode(true), id = r.li.id;
  ex.id = "ex-" + id;
  ex.hidden = !open;
  ex.querySelectorAll("[data-f]").forEach(function (c) { c.setAttribute("aria-describedby", "lb-" + id); });
  r.more.setAttribute("aria-controls", ex.id);
  r.more.parentNode.after(ex);
}

/* Open or close the note and action fields (the "Notitie en actie" button). */
export function toggle(r, tpl) {
  var open = r.more.getAttribute("aria-expanded") !== "true";
  if (!r.ex) extra(r, tpl, open);
  r.more.setAttribute("aria-expanded", open);
  r.ex.hidden = !open;
}

/* The field an input event changed: [field, value], or null when it is not one of ours. */
export function changed(t) {
  if (t.type === "radio" && /_status$/.test(t.name)) return ["status", t.value];
  if (t.dataset.f) return [t.dataset.f, t.value];
  return null;
}
