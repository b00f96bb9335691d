/* One criterion of the checklist: its controls and how they show an answer. */

/* Add the status, note and action controls (from the page's template) to a criterion. */
export function attach(li, tpl) {
  var ctl = tpl.content.firstElementChild.cloneNode(true), ex = ctl.querySelector(".wpl-cl-extra");
  ex.id = "ex-" + li.id;
  ctl.querySelector(".wpl-cl-more").setAttribute("aria-controls", ex.id);
  ctl.querySelectorAll("select, textarea, input, button").forEach(function (c) { c.setAttribute("aria-describedby", "lb-" + li.id); });
  li.querySelector(".wpl-criterion__body").append(ctl);
}

/* Show an answer e ({status, notitie, actie}) in the criterion's controls. */
export function paint(li, e) {
  var a = e.actie || {}, s = e.status || "";
  li.querySelector(".wpl-cl-tick").checked = s === "in-orde";
  li.dataset.status = s;
  li.querySelectorAll("[data-f]").forEach(function (c) {
    var f = c.dataset.f, v = f === "status" ? s : f === "notitie" ? e.notitie : a[f];
    if (c.value !== (v || "")) c.value = v || "";
  });
  var has = !!(e.notitie || a.wat || a.wie || a.wanneer);
  li.querySelector(".wpl-cl-extra").classList.toggle("wpl-cl-has", has);
  li.querySelector(".wpl-cl-more").textContent = has ? "Notitie en actie (ingevuld)" : "Notitie en actie";
}

/* The field an input event changed: [field, value], or null when it is not one of ours. */
export function changed(t) {
  if (t.classList.contains("wpl-cl-tick")) return ["status", t.checked ? "in-orde" : ""];
  if (t.dataset.f) return [t.dataset.f, t.value];
  return null;
}

/* Open or close the note and action fields of a criterion. */
export function toggle(button) {
  var open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", open);
  button.nextElementSibling.classList.toggle("wpl-cl-open", open);
}
