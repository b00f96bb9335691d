/* The checklist ([data-module=checklist]); its modules are listed in README.md. Data goes in
   with textContent / value, never as HTML. */
import { start } from "../base.js";
import { LABEL, NOTHING, Store, freeName, freshList, newId, unknownIds } from "../lib/state.js";
import { CSV_HEAD, csvRow, csvText, describe, exportObject, fileName, readFile } from "../lib/transfer.js";
import { changed, paint as paintOne, record, toggle } from "./criterion.js";
import { count, el, line, summary as renderSummary } from "./summary.js";

function download(name, text, type) {
  var a = el("a"), url = URL.createObjectURL(new Blob([text], { type: type }));
  a.href = url; a.download = name; document.body.appendChild(a); a.click(); a.remove();
  setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
}
/* d/m/yyyy, as nl-BE writes it (toLocaleDateString loads locale data: 30 ms on a slow phone). */
function today() { var d = new Date(); return d.getDate() + "/" + (d.getMonth() + 1) + "/" + d.getFullYear(); }

/* ext: an own instrument (../instrument/apply.js): key, fragment, instrument, check. */
function setup(root, ext) {
  var t0 = performance.now();
  ext = ext || {};
  var $ = function (s) { return root.querySelector(s); };
  var $$ = function (s) { return Array.prototype.slice.call(root.querySelectorAll(s)); };
  var data = root.dataset, ids = data.ids.split(" "), known = Object.create(null);
  ids.forEach(function (id) { known[id] = 1; });
  var meta = { leidraad: data.leidraad, vorm: data.vorm, instrument: ext.instrument, check: ext.check };
  var store = new Store("wpl-checklist:" + new URL(data.base || "/", location.href).pathname + ":" + data.vorm + (ext.key ? ":" + ext.key : ""), meta);
  var items = Object.create(null), msg = $(".wpl-cl-msg"), err = $(".wpl-cl-err"), sections = [];
  var checked = $("input[name=rol]:checked"), role = checked ? checked.value : "", roleName = role ? checked.parentNode.textContent.trim() : "";
  var tpl = $(".wpl-cl-tpl") || document.querySelector(".wpl-cl-tpl"), listSel = $(".wpl-cl-list");
  var active = function () { return store.active(); };
  var entry = function (id) { return store.entry(id); };

  function say(text, isErr, actions) {
    var box = isErr ? err : msg, p = el("p", text);
    (actions || []).forEach(function (a) {
      var b = el("button", a[0]);
      b.type = "button";
      b.addEventListener("click", function () { b.disabled = true; a[1](); });
      p.append(" ", b);
    });
    (isErr ? msg : err).textContent = "";
    box.replaceChildren(p);
  }
  function save() { var e = store.save(); if (e) say(e, true); }
  function load() {
    var r = store.load(), notes = r.notes;
    if (r.error) {
      return say(r.error, true, r.raw == null ? [] : [["Download de oude gegevens", function () {
        download("checklist-" + data.vorm + "-onleesbaar.txt", r.raw, "text/plain");
        if (store.frozen) { store.frozen = false; save(); say("De oude gegevens zijn gedownload; je antwoorden worden weer bewaard."); }
      }]]);
    }
    var gone = unknownIds(active(), known).length;
    if (gone) notes.push(gone + " antwoorden horen bij criteria die niet meer in deze checklist staan; je vindt ze onderaan.");
    if (notes.length) say(notes.join(" "));
  }

  function set(id, f, v) {
    var e = store.set(id, f, v);
    if (e) say(e, true);
    paintOne(items[id], entry(id), tpl);
    // Progress (a live region) changes only with a status; actions feed the summary.
    if (f === "status") totals(); else if (f !== "notitie") summary();
  }
  /* The lists and every criterion; progress and summary follow (totals), at once or, while the
     page sets up, in a task of their own. */
  function paint(later) {
    var opts = document.createDocumentFragment();
    store.state.lijsten.forEach(function (l) {
      var o = el("option", l.naam);
      o.value = l.id;
      o.selected = l.id === store.state.actief;
      opts.append(o);
    });
    listSel.replaceChildren(opts);
    $(".wpl-cl-pname").textContent = "Checklist: " + active().naam + " (" + today() + ")";
    ids.forEach(function (id) { paintOne(items[id], entry(id), tpl); });
    var gone = unknownIds(active(), known), lis = document.createDocumentFragment();
    gone.forEach(function (id) {
      var e = active().criteria[id], li = el("li");
      li.append(el("code", id), " — " + LABEL[e.status || ""] + (e.notitie ? " — notitie: " + e.notitie : "") +
        (e.actie && e.actie.wat ? " — actie: " + e.actie.wat : ""));
      lis.append(li);
    });
    $(".wpl-cl-gone-list").replaceChildren(lis);
    $(".wpl-cl-gone").hidden = !gone.length;
    if (!later) totals();
  }

  /* The criteria of a scope that the role filter shows. */
  function shown(list) {
    return list.filter(function (id) { return !items[id].li.classList.contains("wpl-filtered-out"); });
  }
  function totals() {
    // Compute everything first, then write.
    var n = count(shown(ids), entry), pct = n.tel ? Math.round(100 * n["in-orde"] / n.tel) : 0;
    var parts = sections.map(function (s) { return line(count(shown(s.ids), entry)) + "."; });
    $(".wpl-cl-meter").value = n.tel ? n["in-orde"] / n.tel : 0;
    $("#wpl-cl-total").textContent = "Voortgang" + (roleName ? " voor " + roleName : "") + ": " + line(n) + " (" + pct + "%).";
    sections.forEach(function (s, i) { s.count.hidden = false; s.count.textContent = parts[i]; });
    summary();
  }
  function summary() {
    var domains = sections.filter(function (s) { return s.title && !s.el.classList.contains("wpl-filtered-out"); }).map(function (s) {
      return { title: s.title, items: shown(s.ids).map(function (id) { return { id: id, very: items[id].li.dataset.belang === "heel-belangrijk" }; }) };
    });
    renderSummary($(".wpl-cl-sum"), domains, entry);
  }

  function ask(title, text, value, ok, done) {
    var d = $(".wpl-cl-dialog"), input = d.querySelector("input"), back = document.activeElement;
    d.querySelector("h2").textContent = title;
    d.querySelector(".wpl-cl-dlg-p").textContent = text;
    d.querySelector(".wpl-cl-dlg-f").hidden = value === null;
    d.querySelector("[value=ok]").textContent = ok;
    input.value = value || "";
    d.returnValue = "";
    d.onclose = function () {
      var f = document.activeElement;
      if (back && back.focus && (!f || f === document.body || d.contains(f))) back.focus();
      if (d.returnValue === "ok") done(input.value.trim());
    };
    d.showModal();
    if (value !== null) input.select();
  }
  function addList(l, text) {
    var e = store.add(l);
    paint();
    say(text);
    if (e) say(e, true);
  }
  function textOf(id) { return items[id].li.querySelector(".wpl-criterion__text").textContent; }
  function csv() {
    var rows = [CSV_HEAD], t = function (li, s) { var h = li.closest(s); return h ? h.querySelector("h2, h3, h4").textContent.trim() : ""; };
    ids.concat(unknownIds(active(), known)).forEach(function (id) {
      var li = items[id] && items[id].li;
      rows.push(csvRow(id, li ? [t(li, ".wpl-phase"), t(li, ".wpl-domain"), t(li, ".wpl-question"), textOf(id).trim(), li.dataset.belang] : null, entry(id)));
    });
    return csvText(rows);
  }
  /* A part only some visitors use (share link, comparison) loads when it is first used. */
  function need(load, then) {
    return load.then(then, function (e) {
      console.error(e);
      say("Dit onderdeel van de checklist kon niet laden. Controleer je internetverbinding en probeer opnieuw.", true);
    });
  }
  function importFile(input) {
    var file = input.files[0];
    readFile(file, meta).then(function (l) {
      input.value = "";
      var name = freeName(store.state.lijsten, l.naam), list = { id: newId(), naam: name, bewaard: l.bewaard || new Date().toISOString(), criteria: l.criteria };
      if (l.rol) list.rol = l.rol;
      if (l.bron) list.bron = l.bron;
      var gone = unknownIds(list, known).length;
      addList(list, "‘" + name + "’ is geïmporteerd als nieuwe checklist (" + describe(list) + (l.bron === "pdf" ? ", uit de pdf ‘" + file.name + "’" +
        (l.rol ? ", ingevuld voor de rol " + l.rol : "") : "") + "). Je andere checklists zijn niet gewijzigd." +
        (l.leidraad && l.leidraad !== data.leidraad ? " Het bestand werd gemaakt bij digitale editie " + l.leidraad +
          " van de leidraad; deze pagina toont digitale editie " + data.leidraad + ". De antwoorden zijn per criterium overgenomen." : "") +
        (gone ? " " + gone + " antwoorden horen bij criteria die niet in deze checklist staan; je vindt ze onderaan." : ""));
    }, function (e) {
      input.value = "";
      say(e.message + NOTHING, true);
    });
  }

  var acts = {
    "new": function () {
      ask("Nieuwe checklist", "Geef de nieuwe checklist een naam, bijvoorbeeld de naam van de lerende of de werkplek.", "Checklist " + (store.state.lijsten.length + 1), "Maak aan", function (v) {
        var l = freshList(v.slice(0, 100) || "Checklist " + (store.state.lijsten.length + 1));
        addList(l, "Nieuwe checklist ‘" + l.naam + "’ gemaakt. Je werkt er nu in.");
      });
    },
    rename: function () {
      ask("Checklist hernoemen", "Nieuwe naam voor ‘" + active().naam + "’.", active().naam, "Hernoem", function (v) {
        if (!v) return;
        active().naam = v.slice(0, 100);
        save(); paint(); say("De checklist heet nu ‘" + active().naam + "’.");
      });
    },
    "delete": function () {
      var l = active();
      ask("Checklist verwijderen", "Wil je ‘" + l.naam + "’ met alle antwoorden verwijderen? Dat kan je niet ongedaan maken. Exporteer hem eerst als je hem wil houden.", null, "Verwijder", function () {
        var st = store.state;
        st.lijsten = st.lijsten.filter(function (x) { return x !== l; });
        store.undo = null;
        if (!st.lijsten.length) st.lijsten.push(freshList("Checklist 1"));
        st.actief = st.lijsten[0].id;
        save(); paint(); say("‘" + l.naam + "’ is verwijderd. Je werkt nu in ‘" + active().naam + "’.");
      });
    },
    json: function () {
      var name = fileName(data.vorm, active().naam, "json");
      download(name, JSON.stringify(exportObject(meta, active()), null, 2), "application/json");
      say("Het bestand " + name + " is klaar. Bewaar het goed: je kan het later importeren.");
    },
    csv: function () {
      var name = fileName(data.vorm, active().naam, "csv");
      download(name, csv(), "text/csv;charset=utf-8");
      say("Het bestand " + name + " is klaar.");
    },
    share: function () {
      need(import("../lib/codec.js"), function (codec) {
        var st = {}, input = $(".wpl-cl-link");
        ids.forEach(function (id) { st[id] = entry(id).status; });
        input.value = location.href.split("#")[0].split("?")[0] + (role ? "?rol=" + role : "") + "#" + (ext.fragment ? ext.fragment + "&" : "") + "cl=" + codec.encode(ids, st);
        $(".wpl-cl-share").hidden = false;
        input.focus(); input.select();
      });
    },
    copy: function () {
      var v = $(".wpl-cl-link").value;
      (navigator.clipboard ? navigator.clipboard.writeText(v) : Promise.reject()).then(function () { say("De deellink is gekopieerd."); },
        function () { say("Kopiëren lukte niet: selecteer de link en kopieer hem zelf."); });
    },
    print: function () { window.print(); },
    reset: function () {
      var l = active();
      ask("Alle antwoorden wissen", "Wil je alle statussen, notities en acties in ‘" + l.naam + "’ wissen? Je kan dat daarna nog ongedaan maken.", null, "Wis alles", function () {
        var undo = store.undo = { l: l, c: l.criteria };
        l.criteria = Object.create(null);
        save(); paint();
        store.undo = undo;
        say("Alle antwoorden in ‘" + l.naam + "’ zijn gewist.", false, [["Ongedaan maken", function () {
          if (store.undo !== undo) return say("Ongedaan maken kan niet meer: er is intussen iets gewijzigd.", true);
          undo.l.criteria = undo.c; store.undo = null;
          save(); paint(); say("De antwoorden zijn teruggezet.");
        }]]);
      });
    }
  };

  root.addEventListener("click", function (ev) {
    var b = ev.target.closest("button");
    if (!b || !root.contains(b)) return;
    var li = b.closest("[data-criterion]"), r = li && items[li.id];
    if (b.dataset.act && acts[b.dataset.act]) acts[b.dataset.act]();
    else if (r && b === r.more) toggle(r, tpl);
    else if (r && b.classList.contains("wpl-cl-clear")) {
      set(li.id, "status", "");
      r.radios[0].focus(); // the button hides itself now
    }
  });
  root.addEventListener("wpl:rol", function (ev) { role = ev.detail.rol; roleName = ev.detail.naam; totals(); });
  root.addEventListener("input", function (ev) {
    var li = ev.target.closest("[data-criterion]"), c = li && changed(ev.target);
    if (c) set(li.id, c[0], c[1]);
  });
  root.addEventListener("change", function (ev) {
    var t = ev.target;
    if (t === listSel) { store.state.actief = t.value; store.undo = null; save(); paint(); say("Je werkt nu in ‘" + active().naam + "’."); }
    else if (t.classList.contains("wpl-cl-import")) { if (t.files.length) importFile(t); }
    else if (t.classList.contains("wpl-cl-cmp-files")) {
      need(import("./compare.js"), function (c) { c.run($(".wpl-cl-cmp-out"), Array.prototype.slice.call(t.files), meta, ids, active(), textOf); });
    }
  });

  $$("[data-criterion]").forEach(function (li) { items[li.id] = record(li); });
  $$(".wpl-phase, .wpl-domain").forEach(function (s) {
    sections.push({ el: s, count: s.querySelector(".wpl-cl-count"), title: s.classList.contains("wpl-domain") && s.querySelector("h3").textContent,
      ids: Array.prototype.map.call(s.querySelectorAll("[data-criterion]"), function (li) { return li.id; }) });
  });
  load();
  /* A share link (#cl=...): its statuses become a new list. */
  var m = /(?:^#|&)cl=([^&]+)$/.exec(location.hash), shared = m && need(import("../lib/codec.js"), function (codec) {
    try {
      var got = codec.decode(ids, m[1]), l = freshList("Gedeeld op " + today()), n = 0;
      Object.keys(got).forEach(function (id) { l.criteria[id] = { status: got[id] }; n++; });
      store.state.lijsten.push(l);
      store.state.actief = l.id;
      save();
      paint(true);
      say("Je opende een deellink: de " + n + " statussen staan nu in een nieuwe checklist ‘" + l.naam + "’. Je andere checklists zijn niet gewijzigd.");
    } catch (e) { say(e.message + NOTHING, true); }
    history.replaceState(history.state, "", location.href.split("#")[0] + (ext.fragment ? "#" + ext.fragment : ""));
  });
  /* Another tab saved this checklist: take its version, so neither tab overwrites the other. */
  function other(ev) {
    if (!root.isConnected) return window.removeEventListener("storage", other);
    if (ev.key !== store.key || ev.newValue == null || store.frozen) return;
    var keep = store.state.actief;
    store.undo = null;
    load();
    if (store.state.lijsten.some(function (l) { return l.id === keep; })) store.state.actief = keep;
    paint();
    say("Deze checklist werd in een ander venster gewijzigd. Je ziet nu de nieuwste versie.");
  }
  window.addEventListener("storage", other);
  paint(true);
  // Progress, summary and the tools in a second task: neither task blocks the page for long.
  var busy = performance.now() - t0;
  Promise.resolve(shared).then(function () { setTimeout(function () {
    var t1 = performance.now();
    totals();
    $(".wpl-cl-tools").hidden = false;
    $$(".wpl-cl-summary, .wpl-cl-compare").forEach(function (s) { s.hidden = false; });
    // The time spent restoring the saved answers (both tasks), for `make bench`.
    performance.measure("wpl:checklist-setup", { start: t0, duration: busy + performance.now() - t1 });
  }, 0); });
}

/* #i=...: an own instrument rebuilds the list first (else this form's checklist). */
function boot(root) {
  if (!/^#i=/.test(location.hash)) return setup(root);
  import("../instrument/apply.js").then(function (m) { return m.apply(root); })
    .then(function (ext) { setup(root, ext); }, function (e) { if (!e || !e.wpl) console.error(e); setup(root); });
}

start("checklist", boot, function () { return typeof HTMLDialogElement === "function"; });
