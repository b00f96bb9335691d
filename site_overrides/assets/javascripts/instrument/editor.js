/* The editor of an own instrument on /instrument/ ([data-module=instrument]). The guideline's
   criteria are on the page (rendered at build time, with their importance per form and role in
   data attributes); the editor ticks them, adds own criteria and questions (text set as value or
   textContent, never as HTML), keeps a draft in this browser and makes the link and the file.
   The instrument opens on the form's checklist page (instrument/apply.js). */
import { start } from "../base.js";
import { FORMAT, LIMITS, check, decode, encode, fileName, fileText, fromText, newId, nextNumber } from "../lib/instrument.js";
import { NOTHING } from "../lib/state.js";

function el(tag, text, cls) {
  var n = document.createElement(tag);
  if (text != null) n.textContent = text;
  if (cls) n.className = cls;
  return n;
}
function has(list, word) { return (" " + (list || "") + " ").indexOf(" " + word + " ") >= 0; }
function download(name, text, type) {
  var a = el("a"), url = URL.createObjectURL(new Blob([text], { type: type }));
  a.href = url; a.download = name; document.body.appendChild(a); a.click(); a.remove();
  setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
}
function clean(v) { return v.replace(/[\t\r]/g, " ").trim(); }

/* A QR code as SVG (one path), from lean-qr's module grid. */
function qrSvg(code, label) {
  var SVG = "http://www.w3.org/2000/svg", n = code.size, q = 4, d = "";
  for (var y = 0; y < n; y++) for (var x = 0; x < n; x++) if (code.get(x, y)) d += "M" + (x + q) + " " + (y + q) + "h1v1h-1z";
  var svg = document.createElementNS(SVG, "svg"), bg = document.createElementNS(SVG, "rect"), p = document.createElementNS(SVG, "path");
  svg.setAttribute("viewBox", "0 0 " + (n + 2 * q) + " " + (n + 2 * q));
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.setAttribute("class", "wpl-in-qrcode");
  bg.setAttribute("width", n + 2 * q); bg.setAttribute("height", n + 2 * q); bg.setAttribute("fill", "#fff");
  p.setAttribute("d", d); p.setAttribute("fill", "#000");
  svg.append(bg, p);
  return svg;
}

function setup(root) {
  var $ = function (s) { return root.querySelector(s); };
  var $$ = function (s) { return Array.prototype.slice.call(root.querySelectorAll(s)); };
  var data = root.dataset, edition = data.leidraad, ALL = data.alle, qrMax = +data.qr;
  var formSel = $(".wpl-in-vorm"), roleSel = $(".wpl-in-rol"), titel = $(".wpl-in-titel"), org = $(".wpl-in-org"), intro = $(".wpl-in-intro");
  var items = $$("li.wpl-in-item"), byId = Object.create(null), order = [];
  items.forEach(function (li) { byId[li.dataset.id] = li; order.push(li.dataset.id); });
  var DRAFT = "wpl-instrument:" + new URL(data.base || "/", location.href).pathname + ":concept";
  var state = { id: newId(), teller: 0, vanished: [], orphans: { q: [], c: [] } }, dirty = false, timer = 0, made = 0;

  function say(text, isErr) {
    var box = isErr ? $(".wpl-in-err") : $(".wpl-in-msg");
    (isErr ? $(".wpl-in-msg") : $(".wpl-in-err")).textContent = "";
    box.replaceChildren(el("p", text));
  }
  function applies(li, form) { return form === ALL || !has(li.dataset.nvt, form); }
  function imp(li, form, role) {
    return li.dataset.belang || (has(li.dataset.heel, form + (role ? "-" + role : "")) ? "heel-belangrijk" : "belangrijk");
  }
  function baseIds(role, form) {
    return order.filter(function (id) { return applies(byId[id], form) && (!role || has(byId[id].dataset.roles, role)); });
  }
  function formName(form) {
    var o = formSel.querySelector('option[value="' + form + '"]');
    return o ? o.textContent.toLowerCase() : form;
  }

  /* Show the criteria of a form, with their importance and tips for it (and the role). */
  function show() {
    var form = formSel.value, role = roleSel.value;
    items.forEach(function (li) {
      li.hidden = !applies(li, form);
      var i = imp(li, form, role);
      li.dataset.imp = i;
      li.querySelector(".wpl-in-imp").textContent = "· " + (li.getAttribute("data-w-" + form) || li.getAttribute("data-w") || (i === "heel-belangrijk" ? "heel belangrijk" : "belangrijk"));
      li.querySelectorAll(".wpl-in-tip").forEach(function (h) { h.hidden = h.dataset.vorm !== form; });
    });
    $$(".wpl-in-q").forEach(function (q) { q.hidden = !q.querySelector("li.wpl-in-item:not([hidden])"); });
    $$(".wpl-in-domain").forEach(function (d) { d.hidden = !d.querySelector(".wpl-in-q:not([hidden])"); });
    $$(".wpl-in-phase").forEach(function (p) { p.hidden = !p.querySelector(".wpl-in-domain:not([hidden])"); });
  }
  function tick(ids) {
    items.forEach(function (li) { li.querySelector("input").checked = ids.indexOf(li.dataset.id) >= 0; });
  }

  function ownCriterion(c) {
    var li = el("li", null, "wpl-in-item wpl-in-own"), id = "in-" + c.id, ta = el("textarea", null, "wpl-in-own-text");
    var lab = el("label", "Tekst van eigen criterium " + c.id.slice(6)), sl = el("label", "Belang "), sel = el("select", null, "wpl-in-own-imp");
    var del = el("button", "Verwijder eigen criterium " + c.id.slice(6));
    li.dataset.own = c.id;
    lab.htmlFor = id; ta.id = id; ta.rows = 2; ta.maxLength = LIMITS.tekst; ta.value = c.tekst;
    [["belangrijk", "belangrijk"], ["heel-belangrijk", "heel belangrijk"]].forEach(function (o) {
      var opt = el("option", o[1]); opt.value = o[0]; sel.append(opt);
    });
    sel.value = c.belang;
    sl.append(sel);
    del.type = "button"; del.dataset.act = "del-crit";
    var body = el("div", null, "wpl-in-body");
    body.append(lab, ta, sl, " ", del);
    li.append(el("span", "eigen criterium", "wpl-own-label"), body);
    return li;
  }
  function ownQuestion(q) {
    var s = el("section", null, "wpl-in-q wpl-in-ownq"), id = "in-" + q.id, input = el("input", null, "wpl-in-ownq-text");
    var p = el("p"), lab = el("label", "Eigen vraag " + q.id.slice(12)), add = el("p", null, "wpl-in-add");
    var a = el("button", "Eigen criterium bij deze vraag"), del = el("button", "Verwijder eigen vraag " + q.id.slice(12));
    s.dataset.vraag = q.id;
    input.type = "text"; input.id = id; input.maxLength = LIMITS.vraag; input.value = q.tekst;
    lab.htmlFor = id;
    p.append(el("span", "eigen vraag", "wpl-own-label"), " ", lab, " ", input);
    a.type = del.type = "button"; a.dataset.act = "add-crit"; del.dataset.act = "del-q";
    add.append(a, " ", del);
    s.append(p, el("ul", null, "wpl-in-list"), add);
    return s;
  }
  function placeQuestion(s, domain) {
    var d = $('.wpl-in-domain[data-domein="' + domain + '"]');
    if (!d) return false;
    d.insertBefore(s, d.querySelector(":scope > .wpl-in-add"));
    d.hidden = false;
    d.closest(".wpl-in-phase").hidden = false;
    return true;
  }
  function counter() {
    var inst = { teller: state.teller, eigen_criteria: [], eigen_vragen: [] };
    $$(".wpl-in-own").forEach(function (li) { inst.eigen_criteria.push({ id: li.dataset.own }); });
    $$(".wpl-in-ownq").forEach(function (s) { inst.eigen_vragen.push({ id: s.dataset.vraag }); });
    state.orphans.c.concat(state.orphans.q).forEach(function (x) { inst.eigen_criteria.push({ id: x.id }); });
    return (state.teller = nextNumber(inst));
  }

  /* The instrument as the page shows it now (checked, so it is exactly what others will read). */
  function collect() {
    var form = formSel.value, qs = [], cs = [];
    $$(".wpl-in-ownq").forEach(function (s) {
      qs.push({ id: s.dataset.vraag, domein: s.closest(".wpl-in-domain").dataset.domein, tekst: clean(s.querySelector("input").value) || "Eigen vraag" });
    });
    $$(".wpl-in-own").forEach(function (li) {
      var t = clean(li.querySelector("textarea").value).replace(/ *\n */g, "\n");
      if (t) cs.push({ id: li.dataset.own, vraag: li.closest(".wpl-in-q").dataset.vraag, tekst: t, belang: li.querySelector("select").value });
    });
    return check({
      formaat: FORMAT, schema: 1, id: state.id, leidraad: edition, vorm: form, rol: roleSel.value,
      titel: clean(titel.value) || "Eigen checklist " + formName(form), organisatie: clean(org.value),
      inleiding: intro.value.replace(/\t/g, " ").trim(),
      criteria: order.filter(function (id) { return !byId[id].hidden && byId[id].querySelector("input").checked; }).concat(state.vanished),
      eigen_vragen: qs.concat(state.orphans.q), eigen_criteria: cs.concat(state.orphans.c), teller: state.teller
    });
  }

  function pagePath(form) { return form === ALL ? "checklist/" : "vormen/" + form + "/checklist/"; }
  var baseInfo = { order: order, edition: edition, base: baseIds };

  function update() {
    timer = 0;
    var inst;
    $(".wpl-in-link").dataset.busy = "1";
    try { inst = collect(); } catch (e) { $(".wpl-in-link").removeAttribute("data-busy"); return say((e.wpl ? e.message : "Er ging iets mis.") + " Pas dit aan; je concept is niet bewaard.", true); }
    var guide = inst.criteria.length - state.vanished.length, own = inst.eigen_criteria.length;
    $(".wpl-in-count").textContent = "Je instrument telt " + guide + " criteria van de leidraad en " + own + (own === 1 ? " eigen criterium." : " eigen criteria.");
    if (dirty) {
      try { localStorage.setItem(DRAFT, JSON.stringify(inst)); } catch (e) { say("Je concept kon niet bewaard worden in deze browser. Download het instrumentbestand om het te houden.", true); }
    }
    var mine = ++made;
    encode(inst, baseInfo).then(function (code) {
      if (mine !== made) return;
      $(".wpl-in-link").removeAttribute("data-busy");
      var url = new URL(data.base + pagePath(inst.vorm), location.href);
      if (inst.rol) url.searchParams.set("rol", inst.rol);
      var href = url.href + "#i=" + code, n = href.length;
      $(".wpl-in-link").value = href;
      $(".wpl-in-open").href = href;
      $(".wpl-in-len").textContent = "De link telt " + n.toLocaleString("nl-BE") + " tekens." +
        (n > qrMax ? " Dat is te lang voor een QR-code die een gsm vlot leest: stuur de link of het instrumentbestand door." : "") +
        (n > 2000 ? " Sommige mailprogramma's knippen zo'n lange link af; stuur dan het instrumentbestand." : "");
      var box = $(".wpl-in-qr");
      if (n > qrMax) return box.replaceChildren();
      import("../vendor/lean-qr-nano.js").then(function (m) {
        if (mine !== made) return;
        var fig = el("figure"), cap = el("figcaption", "Scan deze code met je gsm om het instrument te openen.");
        fig.append(qrSvg(m.generate(href, { minCorrectionLevel: m.correction.L }), "QR-code met de link naar je instrument"), cap);
        box.replaceChildren(fig);
      });
    });
  }
  function changed() {
    dirty = true;
    made++; // a link still being encoded is out of date: it must not clear the busy mark
    $(".wpl-in-link").dataset.busy = "1"; // tests wait for the link to be current
    if (!timer) timer = setTimeout(update, 150);
  }

  /* Show an instrument (from a link, a file or the draft) in the editor. */
  function load(inst) {
    var known = !!formSel.querySelector('option[value="' + inst.vorm + '"]');
    formSel.value = known ? inst.vorm : ALL;
    roleSel.value = roleSel.querySelector('option[value="' + (inst.rol || "") + '"]') ? inst.rol || "" : "";
    titel.value = inst.titel; org.value = inst.organisatie; intro.value = inst.inleiding;
    state = { id: inst.id, teller: inst.teller, vanished: [], orphans: { q: [], c: [] } };
    $$(".wpl-in-own, .wpl-in-ownq").forEach(function (x) { x.remove(); });
    show();
    tick(inst.criteria);
    state.vanished = inst.criteria.filter(function (id) { return !byId[id] || byId[id].hidden; });
    var qEls = Object.create(null);
    inst.eigen_vragen.forEach(function (q) {
      var s = ownQuestion(q);
      if (placeQuestion(s, q.domein)) qEls[q.id] = s; else state.orphans.q.push(q);
    });
    inst.eigen_criteria.forEach(function (c) {
      var q = qEls[c.vraag] || $('.wpl-in-q[data-vraag="' + c.vraag + '"]:not(.wpl-in-ownq)');
      if (!q) return state.orphans.c.push(c);
      q.querySelector("ul").append(ownCriterion(c));
      q.hidden = false;
    });
    var box = $(".wpl-in-vanished"), ul = box.querySelector("ul"), lis = [];
    state.vanished.forEach(function (id) { var li = el("li"); li.append(el("code", id), " (criterium van de leidraad)"); lis.push(li); });
    state.orphans.q.concat(state.orphans.c).forEach(function (x) { lis.push(el("li", x.id + ": " + x.tekst)); });
    ul.replaceChildren.apply(ul, lis);
    box.hidden = !lis.length;
    if (!known) say("Dit instrument hoort bij een vorm die deze digitale editie niet kent (" + inst.vorm + "). We tonen de criteria voor alle vormen.", true);
  }
  function fresh(form, role) {
    formSel.value = form; roleSel.value = role || "";
    load({ id: newId(), teller: 0, vorm: form, rol: role, titel: "Eigen checklist " + formName(form), organisatie: org.value, inleiding: "", criteria: baseIds(role, form), eigen_vragen: [], eigen_criteria: [] });
  }

  var acts = {
    start: function () {
      fresh(formSel.value, roleSel.value);
      changed();
      say("Je begint opnieuw met de criteria voor " + formName(formSel.value) + (roleSel.value ? " en de rol " + roleSel.selectedOptions[0].textContent : "") + ".");
    },
    "new": function () {
      fresh(formSel.value, "");
      titel.value = ""; org.value = "";
      changed();
      say("Je hebt een nieuw leeg concept. Je vorige instrument staat niet meer in deze browser; had je het gedownload, dan kan je het weer openen.");
    },
    "add-crit": function (b) {
      var q = b.closest(".wpl-in-q"), n = $$(".wpl-in-own").length + state.orphans.c.length;
      if (n >= LIMITS.eigen_criteria) return say("Een instrument heeft hoogstens " + LIMITS.eigen_criteria + " eigen criteria.", true);
      var li = ownCriterion({ id: "eigen-" + counter(), tekst: "", belang: "belangrijk" });
      q.querySelector("ul").append(li);
      li.querySelector("textarea").focus();
      changed();
    },
    "add-q": function (b) {
      if ($$(".wpl-in-ownq").length + state.orphans.q.length >= LIMITS.eigen_vragen) return say("Een instrument heeft hoogstens " + LIMITS.eigen_vragen + " eigen vragen.", true);
      var s = ownQuestion({ id: "eigen-vraag-" + counter(), tekst: "" });
      placeQuestion(s, b.closest(".wpl-in-domain").dataset.domein);
      s.querySelector("input").focus();
      changed();
    },
    "del-crit": function (b) {
      var li = b.closest("li"), q = li.closest(".wpl-in-q");
      li.remove();
      (q.querySelector("button") || titel).focus();
      say("Het eigen criterium is verwijderd.");
      changed();
    },
    "del-q": function (b) {
      var s = b.closest(".wpl-in-ownq"), d = s.closest(".wpl-in-domain");
      s.remove();
      d.querySelector(":scope > .wpl-in-add button").focus();
      say("De eigen vraag en haar eigen criteria zijn verwijderd.");
      changed();
    },
    "drop-vanished": function () {
      state.vanished = []; state.orphans = { q: [], c: [] };
      $(".wpl-in-vanished").hidden = true;
      say("De criteria die niet meer in de leidraad staan, zijn uit je instrument weggelaten.");
      changed();
    },
    download: function () {
      if (timer) { clearTimeout(timer); update(); }
      var inst = collect();
      download(fileName(inst), fileText(inst), "application/json");
      say("Het bestand " + fileName(inst) + " is klaar. Open het later hier om verder te werken.");
    },
    copy: function () {
      var v = $(".wpl-in-link").value;
      (navigator.clipboard ? navigator.clipboard.writeText(v) : Promise.reject()).then(function () { say("De link is gekopieerd."); },
        function () { say("Kopiëren lukte niet: selecteer de link en kopieer hem zelf."); });
    }
  };

  root.addEventListener("click", function (ev) {
    var b = ev.target.closest("button[data-act]");
    if (b && root.contains(b) && acts[b.dataset.act]) acts[b.dataset.act](b);
  });
  root.addEventListener("input", function (ev) { if (ev.target.type !== "file") changed(); });
  root.addEventListener("change", function (ev) {
    var t = ev.target;
    if (t === formSel || t === roleSel) {
      show();
      tick(baseIds(roleSel.value, formSel.value));
      say("De criteria van de leidraad voor " + formName(formSel.value) + (roleSel.value ? " en de rol " + roleSel.selectedOptions[0].textContent : "") +
        " staan opnieuw aangevinkt. Je eigen criteria blijven staan.");
      changed();
    } else if (t.classList.contains("wpl-in-file") && t.files.length) {
      var f = t.files[0];
      (f.size > LIMITS.bytes ? Promise.reject(Object.assign(new Error("Dit bestand is te groot voor een instrument (meer dan 1 MB)."), { wpl: true })) : f.text())
        .then(fromText).then(function (inst) {
          t.value = "";
          load(inst);
          changed();
          say("Het instrument ‘" + inst.titel + "’ uit " + f.name + " staat klaar om te bewerken.");
        }, function (e) {
          t.value = "";
          say("We openen " + f.name + " niet: " + (e.wpl ? e.message : "het is geen instrumentbestand.") + NOTHING, true);
        });
    }
  });

  /* Start: an instrument in the address, else a form in the address (?vorm=), else the draft. */
  var params = new URLSearchParams(location.search), draft = null, m = /^#i=(.+)$/.exec(location.hash);
  try { var raw = localStorage.getItem(DRAFT); if (raw) draft = fromText(raw); } catch (e) { draft = null; }
  var form = params.get("vorm"), role = params.get("rol") || "";
  if (!formSel.querySelector('option[value="' + form + '"]')) form = null;
  if (!roleSel.querySelector('option[value="' + role + '"]')) role = "";
  if (draft && !form) load(draft); else fresh(form || formSel.options[0].value, role);
  if (draft && form) say("Je vorige concept (‘" + draft.titel + "’) staat nog in deze browser; het wordt vervangen zodra je hier iets wijzigt. Wil je het houden, open dan eerst de pagina zonder vorm in het adres.");
  else if (draft) say("Je concept ‘" + draft.titel + "’ staat er weer.");
  root.hidden = false;
  var nojs = root.parentElement.querySelector(".wpl-in-nojs");
  if (nojs) nojs.hidden = true;
  if (m) {
    decode(m[1], baseInfo).then(function (got) {
      load(got.instrument);
      update();
      say("Het instrument ‘" + got.instrument.titel + "’ uit de link staat klaar om te bewerken. Je concept wordt pas vervangen als je iets wijzigt.");
    }, function (e) {
      say((e.wpl ? e.message : "Deze link kunnen we niet openen.") + NOTHING, true);
      update();
    });
    history.replaceState(history.state, "", location.href.split("#")[0]);
  } else update();
}

start("instrument", setup, function () { return typeof CompressionStream === "function"; });
