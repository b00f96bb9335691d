/* An own instrument opened as a checklist: the form's checklist page, rebuilt from the
   instrument in the address (#i=...) before the checklist component starts on it. Loaded by
   checklist/checklist.js only when the address has an instrument; the checklist code itself is
   the same for both (saving, lists, export/import, share link, print, summary, compare).

   The guideline's criteria come from this page (rendered at build time, verbatim); criteria the
   instrument left out are removed; own criteria are copies of a criterion of the page with their
   text set with textContent, marked "eigen criterium". Nothing of the instrument is ever parsed
   as HTML. */
import { decode, fileName, fileText, storageKey } from "../lib/instrument.js";
import { el } from "../checklist/summary.js";

var CSS = "assets/stylesheets/instrument.css";
var STATUS_LABELS = [["in-orde", "in orde"], ["deels", "deels"], ["nog-niet", "nog niet"], ["nvt", "n.v.t."]];

function download(name, text, type) {
  var a = el("a"), url = URL.createObjectURL(new Blob([text], { type: type }));
  a.href = url; a.download = name; document.body.appendChild(a); a.click(); a.remove();
  setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
}
function ownLabel(text) { return el("span", text || "eigen criterium", "wpl-own-label"); }
function paragraphs(box, text) {
  text.split(/\n+/).forEach(function (line) { if (line.trim()) box.append(el("p", line.trim())); });
}

/* Copy a criterion of the page for an own criterion: every attribute that names the original's
   ID names the new one (radio names, IDs, ARIA references); text, tip and roles are replaced.
   protos: a criterion of the page per importance, so the icon is the right one. */
function ownItem(protos, c, roles) {
  var proto = protos[c.belang] || protos[""], li = proto.cloneNode(true), old = proto.id;
  [li].concat(Array.prototype.slice.call(li.querySelectorAll("*"))).forEach(function (n) {
    Array.prototype.slice.call(n.attributes).forEach(function (a) {
      if (a.value.indexOf(old) >= 0) n.setAttribute(a.name, a.value.split(old).join(c.id));
    });
  });
  li.querySelectorAll(".wpl-hint, .wpl-role-alt, .wpl-criterion__note").forEach(function (x) { x.remove(); });
  li.querySelectorAll(".wpl-role-default").forEach(function (x) { x.classList.remove("wpl-role-default"); });
  li.removeAttribute("data-heel-belangrijk-rollen");
  li.removeAttribute("data-status");
  li.querySelectorAll(".wpl-level-note").forEach(function (x) { x.textContent = "· " + (c.belang === "heel-belangrijk" ? "heel belangrijk" : "belangrijk"); });
  var t = li.querySelector(".wpl-criterion__text");
  t.textContent = c.tekst;
  t.append(" ", ownLabel());
  var who = li.querySelector(".wpl-roles");
  if (who) who.textContent = "Wie: iedereen (eigen criterium)";
  li.classList.add("wpl-own");
  li.removeAttribute("data-niveau");
  li.setAttribute("data-roles", roles.join(" "));
  li.setAttribute("data-belang", c.belang);
  return li;
}

function section(cls, heading, level, id) {
  var s = el("section", null, cls), h = el("h" + level, heading);
  if (id) h.id = id;
  s.append(h);
  if (level < 4) s.append(Object.assign(el("p", null, "wpl-cl-count"), { hidden: true }));
  return s;
}

/* The print view, laid out like the site's PDFs: a header, the legend with the four status
   boxes, room for notes under each criterion and the signatures at the end (print only). */
function printParts(root, inst, formName) {
  var head = el("div", null, "wpl-print-only wpl-print-head");
  head.append(el("p", "Eigen instrument" + (inst.organisatie ? " van " + inst.organisatie : "") + ", gemaakt met de leidraad kwaliteitsvol werkplekleren", "wpl-print-kicker"),
    el("p", inst.titel, "wpl-print-title"),
    el("p", "Voor " + formName + (inst.rol ? ", rol " + inst.rol : "") + " · digitale editie " + root.dataset.leidraad + " van de leidraad"));
  var legend = el("div", null, "wpl-print-only wpl-print-legend"), boxes = el("p");
  legend.append(el("h2", "Legende"));
  var imp = el("p");
  imp.append(el("strong", "Belang: "), "heel belangrijk of belangrijk, zoals bij elk criterium staat. ", ownLabel(), " komt niet uit de leidraad.");
  boxes.append(el("strong", "Kruis per criterium één vakje aan: "));
  STATUS_LABELS.forEach(function (s) { boxes.append(el("span", "☐ " + s[1] + "  ", "wpl-print-box")); });
  legend.append(imp, boxes, el("p", "Onder elk criterium is ruimte voor een notitie: wat loopt goed, wat spreek je af, wie doet wat en tegen wanneer."));
  var signs = el("section", null, "wpl-print-only wpl-print-signs");
  signs.append(el("h2", "Besproken en ondertekend"));
  var grid = el("div", null, "wpl-print-grid");
  [["Lerende", "leerling, cursist of student"], ["Begeleider", "namens de instelling"], ["Mentor", "namens het bedrijf"]].forEach(function (p) {
    var d = el("div", null, "wpl-print-sign");
    d.append(el("h3", p[0]), el("p", p[1]), el("p", "Naam:"), el("p", "Datum:"), el("p", "Handtekening:", "wpl-print-signbox"));
    grid.append(d);
  });
  signs.append(grid);
  root.prepend(legend);
  root.prepend(head);
  var after = root.querySelector(".wpl-cl-gone") || null;
  root.insertBefore(signs, after);
  root.querySelectorAll("li.wpl-cl-item").forEach(function (li) {
    var b = el("p", null, "wpl-print-only wpl-print-boxes");
    STATUS_LABELS.forEach(function (s) { b.append(el("span", s[1], "wpl-pb wpl-pb-" + s[0])); });
    var body = li.querySelector(".wpl-criterion__body") || li;
    body.append(b, el("p", "Notitie", "wpl-print-only wpl-print-notes"));
  });
}

function rebuild(root, inst, code) {
  var items = Object.create(null), order = [];
  root.querySelectorAll("li.wpl-cl-item").forEach(function (li) { items[li.id] = li; order.push(li.id); });
  var protos = { "": root.querySelector("li.wpl-cl-item").cloneNode(true) };
  ["heel-belangrijk", "belangrijk"].forEach(function (b) {
    var li = root.querySelector('li.wpl-cl-item[data-belang="' + b + '"]:not([data-heel-belangrijk-rollen])');
    if (li) protos[b] = li.cloneNode(true);
  });
  var roles = Array.prototype.map.call(root.querySelectorAll("input[name=rol]"), function (i) { return i.value; }).filter(Boolean);
  var keep = Object.create(null);
  inst.criteria.forEach(function (id) { keep[id] = 1; });
  var vanished = inst.criteria.filter(function (id) { return !items[id]; });
  order.forEach(function (id) { if (!keep[id]) items[id].remove(); });
  var lists = Object.create(null), extra = null;
  root.querySelectorAll("section.wpl-question").forEach(function (s) {
    var h = s.querySelector("h4"), ul = s.querySelector("ul");
    if (h && h.id && ul) lists[h.id] = ul;
  });
  function rest() {
    if (!extra) {
      var phase = section("wpl-phase wpl-own-extra", "Eigen aanvullingen", 2, "eigen-aanvullingen");
      extra = section("wpl-domain", "Zonder plaats in deze checklist", 3, "eigen-aanvullingen-zonder-plaats");
      phase.append(extra);
      root.insertBefore(phase, root.querySelector(".wpl-cl-gone"));
    }
    return extra;
  }
  inst.eigen_vragen.forEach(function (q) {
    var s = section("wpl-question wpl-own-q", q.tekst, 4, q.id), ul = el("ul", null, "wpl-criteria");
    s.querySelector("h4").append(" ", ownLabel("eigen vraag"));
    s.append(ul);
    lists[q.id] = ul;
    (root.querySelector('section.wpl-domain[data-domein="' + q.domein + '"]') || rest()).append(s);
  });
  inst.eigen_criteria.forEach(function (c) {
    var ul = lists[c.vraag];
    if (!ul) {
      var s = section("wpl-question wpl-own-q", "Eigen criteria bij een vraag die deze checklist niet heeft (" + c.vraag + ")", 4);
      ul = lists[c.vraag] = el("ul", null, "wpl-criteria");
      s.append(ul);
      rest().append(s);
    }
    ul.append(ownItem(protos, c, roles));
  });
  // What the instrument left empty is out of view, as the role filter does it.
  root.querySelectorAll("section.wpl-question, section.wpl-domain, section.wpl-phase").forEach(function (s) {
    if (!s.querySelector("li.wpl-cl-item")) s.classList.add("wpl-filtered-out");
  });
  root.dataset.ids = Array.prototype.map.call(root.querySelectorAll("li.wpl-cl-item"), function (li) { return li.id; }).join(" ");
  return vanished;
}

function intro(root, inst, code, vanished, changed) {
  var article = root.closest("article") || root.parentElement, h1 = article.querySelector("h1");
  var formName = (h1 ? h1.textContent.replace(/^Checklist\s*/, "") : inst.vorm).trim();
  article.classList.add("wpl-own-page");
  if (h1) h1.textContent = inst.titel;
  document.title = inst.titel + " – eigen instrument";
  var lead = article.querySelector(".wpl-lead");
  var box = el("div", null, "wpl-own-intro");
  if (inst.organisatie) box.append(el("p", "Een eigen instrument van " + inst.organisatie + ".", "wpl-own-org"));
  paragraphs(box, inst.inleiding);
  var note = el("p", null, "wpl-own-note");
  note.append("Dit instrument is gemaakt met de leidraad kwaliteitsvol werkplekleren (digitale editie " + root.dataset.leidraad + ") voor " + formName +
    ". Criteria met het label ", ownLabel(), " komen niet uit de leidraad. De andere criteria staan er letterlijk zoals in de leidraad.");
  box.append(note);
  if (inst.leidraad !== root.dataset.leidraad || vanished.length || changed) {
    var upd = el("div", null, "wpl-own-update");
    upd.append(el("p", "Dit instrument werd gemaakt bij digitale editie " + inst.leidraad + " van de leidraad; deze pagina toont digitale editie " + root.dataset.leidraad + "." +
      (changed ? " Sindsdien veranderde de lijst met criteria voor deze vorm: je ziet de criteria van de huidige editie, zonder de criteria die het instrument wegliet." : "")));
    if (vanished.length) {
      upd.append(el("p", vanished.length + (vanished.length === 1 ? " criterium" : " criteria") + " van dit instrument " + (vanished.length === 1 ? "staat" : "staan") +
        " niet (meer) in deze checklist. Ze blijven in het instrument; antwoorden erbij vind je onderaan."));
      var ul = el("ul", null, "wpl-own-vanished");
      vanished.forEach(function (id) { var li = el("li"); li.append(el("code", id), " (niet meer in de leidraad)"); ul.append(li); });
      upd.append(ul);
    }
    box.append(upd);
  }
  var acts = el("p", null, "wpl-own-acts"), edit = el("a", "Bewerk dit instrument"), dl = el("button", "Download het instrumentbestand");
  edit.href = new URL(root.dataset.base || "/", location.href).pathname + "instrument/#i=" + code;
  dl.type = "button";
  dl.addEventListener("click", function () { download(fileName(inst), fileText(inst), "application/json"); });
  acts.append(edit, " ", dl);
  box.append(acts);
  if (lead) lead.replaceWith(box); else root.before(box);
  return formName;
}

function stylesheet(root) {
  var href = new URL(root.dataset.base || "/", location.href).pathname + CSS;
  if (document.querySelector('link[href="' + href + '"]')) return;
  var link = el("link");
  link.rel = "stylesheet";
  link.href = href;
  document.head.append(link);
}

/* Rebuild the page for the instrument in the address; resolves to what the checklist needs
   (storage key, fragment to keep, instrument for exports). On a broken or hostile link, say so,
   take the instrument out of the address and reject: the page stays the form's checklist. */
export function apply(root) {
  var code = location.hash.replace(/^#i=/, "").split("&")[0], ids = root.dataset.ids.split(" ");
  var roleOf = Object.create(null);
  root.querySelectorAll("li.wpl-cl-item").forEach(function (li) { roleOf[li.id] = " " + li.dataset.roles + " "; });
  var base = {
    order: ids, edition: root.dataset.leidraad,
    base: function (rol) { return ids.filter(function (id) { return !rol || roleOf[id].indexOf(" " + rol + " ") >= 0; }); }
  };
  stylesheet(root);
  return decode(code, base).then(function (got) {
    var inst = got.instrument;
    if (inst.vorm !== root.dataset.vorm) {
      var e = new Error("Dit instrument hoort bij een andere vorm van werkplekleren (" + inst.vorm + ") dan deze checklist.");
      e.wpl = true;
      throw e;
    }
    var vanished = rebuild(root, inst, code), formName = intro(root, inst, code, vanished, got.changed);
    printParts(root, inst, formName);
    return {
      key: storageKey(inst), fragment: "i=" + code, instrument: inst,
      /* Only exports of this instrument are imported or compared here. */
      check: function (o, name) {
        var theirs = o.instrument && typeof o.instrument === "object" ? String(o.instrument.id).slice(0, 40) : "";
        if (theirs !== inst.id) {
          var e = new Error("Het bestand ‘" + name + "’ hoort bij " + (theirs ? "een ander eigen instrument (‘" + String(o.instrument.titel).slice(0, 80) + "’)" : "de gewone checklist, niet bij dit eigen instrument") + ".");
          e.wpl = true;
          throw e;
        }
      }
    };
  }).catch(function (e) {
    var box = el("div", null, "wpl-own-error"), h1 = document.querySelector("article h1");
    box.setAttribute("role", "alert");
    box.append(el("p", (e && e.wpl ? e.message : "Deze link naar een eigen instrument kunnen we niet openen.") +
      " Er is niets gewijzigd aan wat in je browser bewaard is. Hieronder staat de gewone checklist" + (h1 ? " (" + h1.textContent.trim() + ")" : "") + "."));
    root.before(box);
    history.replaceState(history.state, "", location.href.split("#")[0]);
    throw e;
  });
}
