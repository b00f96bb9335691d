/* /overzicht/ ([data-module=overzicht]): many checklists at once. Files are read with the
   checklist's own import (lib/transfer.js: JSON exports, and filled-in PDFs through the lazily
   loaded PDF reader), instruments are checked with lib/instrument.js (loaded only for a file that
   has one), the summary charts are the
   checklist's (checklist/summary.js). Nothing is stored or sent: the files stay in this page.
   Every text from a file is set with textContent. */
import { start } from "../base.js";
import { LABEL, STATUSES } from "../lib/state.js";
import { csvText, readFile } from "../lib/transfer.js";
import { chart, count, el } from "../checklist/summary.js";

var SYMBOL_ORDER = STATUSES.concat("");
var NOT_IN = "niet in deze lijst";
/* The matrix shows this many lists (columns) at a time, with buttons for the others: 200 lists
   of 57 criteria are 11,400 cells, too many to lay out in a second and to read on a screen.
   Counts, sorting, the summary, the actions and the CSV always cover every chosen list. */
var PAGE = 20;
var OPEN = "niet beantwoord";

function has(list, word) { return (" " + (list || "") + " ").indexOf(" " + word + " ") >= 0; }
function download(name, text, type) {
  var a = el("a"), url = URL.createObjectURL(new Blob([text], { type: type }));
  a.href = url; a.download = name; document.body.appendChild(a); a.click(); a.remove();
  setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
}
function label(s) { return s === null ? NOT_IN : s === "" ? OPEN : LABEL[s]; }

function setup(root) {
  var $ = function (s) { return root.querySelector(s); };
  var ALL = root.dataset.alle, names = Object.create(null), cat = [], byId = Object.create(null);
  root.querySelectorAll(".wpl-ov-names li").forEach(function (li) { names[li.dataset.id] = { text: li.textContent, fase: li.dataset.fase, domein: li.dataset.domein }; });
  root.querySelectorAll(".wpl-ov-crit li").forEach(function (li, i) {
    var c = { id: li.dataset.id, key: li.dataset.id, text: li.textContent, fase: li.dataset.fase, domein: li.dataset.domein, vraag: li.dataset.vraag, pos: i, li: li };
    cat.push(c); byId[c.id] = c;
  });
  var lists = [], seq = 0, rows = [], page = 0, cells = Object.create(null);
  var f = { rol: Object.create(null), vorm: Object.create(null), lijst: Object.create(null) };

  /* Cells are copies of one prepared cell per status (fast for 200 lists x 57 criteria). */
  SYMBOL_ORDER.concat(null).forEach(function (s) {
    var td = el("td", null, "wpl-ov-s wpl-ov-" + (s === null ? "weg" : s || "open"));
    td.append(el("span", label(s), "wpl-sr-only"));
    cells[s === null ? "weg" : s] = td;
  });

  function importance(row, l) {
    if (row.own) return row.own.belang;
    var li = byId[row.id] && byId[row.id].li, rol = l.rol || (l.inst && l.inst.rol) || "";
    if (!li) return "belangrijk";
    return li.dataset.belang || (has(li.dataset.heel, (l.vorm || ALL) + (rol ? "-" + rol : "")) ? "heel-belangrijk" : "belangrijk");
  }
  /* The criteria a list has: an instrument's own choice, or its form's criteria. */
  function scope(l) {
    var s = Object.create(null);
    if (l.inst) {
      l.inst.criteria.forEach(function (id) { s[id] = 1; });
      l.inst.eigen_criteria.forEach(function (c) { s["i:" + l.inst.id + ":" + c.id] = 1; });
    } else {
      cat.forEach(function (c) { if (l.vorm === ALL || !names[l.vorm] || !has(c.li.dataset.nvt, l.vorm)) s[c.id] = 1; });
    }
    Object.keys(l.criteria).forEach(function (id) { s[l.keyOf(id)] = 1; });
    return s;
  }

  function addList(l, file, checkInstrument) {
    var inst = null;
    if (l.instrument) {
      try { inst = checkInstrument(l.instrument); } catch (e) { throw new Error("Het bestand ‘" + file.name + "’: het eigen instrument erin is ongeldig. " + e.message); }
    }
    var own = Object.create(null);
    if (inst) inst.eigen_criteria.forEach(function (c) { own[c.id] = c; });
    var list = {
      n: seq++, naam: l.naam, file: file.name, vorm: l.vorm || ALL, rol: l.rol || (inst && inst.rol) || "", leidraad: l.leidraad,
      criteria: l.criteria, inst: inst, own: own,
      keyOf: function (id) { return own[id] ? "i:" + inst.id + ":" + id : id; }
    };
    list.scope = scope(list);
    lists.push(list);
  }

  /* Rows: the guideline's criteria any list has (in its order), own criteria after their
     question, then answers to criteria this edition does not know. */
  function buildRows() {
    var seen = Object.create(null), ownRows = [], unknown = [];
    lists.forEach(function (l) {
      Object.keys(l.scope).forEach(function (k) { seen[k] = 1; });
      if (l.inst) {
        l.inst.eigen_criteria.forEach(function (c) {
          var key = "i:" + l.inst.id + ":" + c.id;
          if (ownRows.some(function (r) { return r.key === key; })) return;
          var q = l.inst.eigen_vragen.filter(function (x) { return x.id === c.vraag; })[0];
          var dom = q ? q.domein : names[c.vraag] ? names[c.vraag].domein : "";
          var anchor = cat.filter(function (x) { return x.vraag === c.vraag || (!names[c.vraag] && x.domein === dom); }).pop();
          ownRows.push({ key: key, id: c.id, own: c, inst: l.inst, text: c.tekst, domein: dom, fase: names[dom] ? names[dom].fase : "", vraag: q ? q.tekst : c.vraag, pos: anchor ? anchor.pos + 0.5 : 1e6 });
        });
      }
    });
    Object.keys(seen).forEach(function (k) {
      if (!byId[k] && k.indexOf("i:") !== 0) unknown.push({ key: k, id: k, text: "Criterium ‘" + k + "’ (niet in deze digitale editie)", domein: "", fase: "", pos: 2e6, gone: true });
    });
    rows = cat.filter(function (c) { return seen[c.id]; }).concat(ownRows, unknown);
    rows.sort(function (a, b) { return a.pos - b.pos; });
    rows.forEach(function (r, i) { r.order = i; });
  }

  function visible() {
    return lists.filter(function (l) { return f.lijst[l.n] !== false && f.rol[l.rol] !== false && f.vorm[l.vorm] !== false; });
  }
  function status(row, l) {
    if (!l.scope[row.key]) return null;
    if (row.own && (!l.inst || l.inst.id !== row.inst.id)) return null;
    var e = l.criteria[row.id];
    return (e && e.status) || "";
  }

  function filters() {
    function boxes(box, key, values) {
      var d = box.querySelector("div"), frag = document.createDocumentFragment();
      values.forEach(function (v) {
        var lab = el("label"), i = el("input");
        i.type = "checkbox"; i.checked = f[key][v[0]] !== false; i.dataset.f = key; i.value = v[0];
        lab.append(i, " " + v[1]);
        frag.append(lab);
      });
      d.replaceChildren(frag);
    }
    var roles = [], forms = [];
    lists.forEach(function (l) {
      if (roles.indexOf(l.rol) < 0) roles.push(l.rol);
      if (forms.indexOf(l.vorm) < 0) forms.push(l.vorm);
    });
    boxes($(".wpl-ov-f-rol"), "rol", roles.sort().map(function (r) { return [r, r ? (names["rol:" + r] || { text: r }).text : "zonder rol"]; }));
    boxes($(".wpl-ov-f-vorm"), "vorm", forms.sort().map(function (v) { return [v, (names[v] || { text: v }).text]; }));
    boxes($(".wpl-ov-f-lijst"), "lijst", lists.map(function (l) { return [String(l.n), l.naam + " (" + l.file + ")"]; }));
  }

  function tally(row, vis) {
    var n = { "in-orde": 0, deels: 0, "nog-niet": 0, nvt: 0, "": 0, urgent: 0 };
    vis.forEach(function (l) {
      var s = status(row, l);
      if (s === null) return;
      n[s]++;
      if (s === "nog-niet" && importance(row, l) === "heel-belangrijk") n.urgent++;
    });
    return n;
  }

  function render() {
    var vis = visible(), table = $(".wpl-ov-table"), frag = document.createDocumentFragment();
    var pages = Math.max(1, Math.ceil(vis.length / PAGE));
    page = Math.min(page, pages - 1);
    var cols = vis.slice(page * PAGE, page * PAGE + PAGE), pager = $(".wpl-ov-pages");
    var first = page * PAGE + 1, last = page * PAGE + cols.length;
    pager.hidden = pages === 1;
    $(".wpl-ov-pos").textContent = pages === 1 ? "" : "Lijsten " + first + "–" + last + " van " + vis.length + " in de tabel.";
    pager.querySelector("[data-act=prev]").disabled = page === 0;
    pager.querySelector("[data-act=next]").disabled = page === pages - 1;
    var sorted = rows.map(function (r) { return { r: r, n: tally(r, vis) }; });
    if ($(".wpl-ov-sort").value === "dringend") {
      sorted.sort(function (a, b) {
        return b.n.urgent - a.n.urgent || b.n["nog-niet"] - a.n["nog-niet"] || b.n.deels - a.n.deels || a.r.order - b.r.order;
      });
    }
    var cap = el("caption", rows.length + " criteria en " + vis.length + (vis.length === 1 ? " lijst" : " lijsten") + ($(".wpl-ov-sort").value === "dringend" ? ", dringendst eerst." : ", in de volgorde van de leidraad.") +
      (pages === 1 ? "" : " De tabel toont lijst " + first + " tot " + last + "; de tellingen gelden voor alle " + vis.length + "."));
    var thead = el("thead"), head = el("tr");
    [["Criterium", "wpl-ov-crit-h"], ["in orde"], ["deels"], ["nog niet"], ["n.v.t."], ["niet beantwoord"]].forEach(function (h) {
      var th = el("th", h[0], h[1] || "wpl-ov-n"); th.scope = "col"; head.append(th);
    });
    cols.forEach(function (l) {
      var th = el("th", l.naam, "wpl-ov-list"); th.scope = "col"; th.title = l.file + " · " + (names[l.vorm] || { text: l.vorm }).text + (l.rol ? " · " + l.rol : "");
      head.append(th);
    });
    thead.append(head);
    var body = el("tbody");
    sorted.forEach(function (x) {
      var r = x.r, n = x.n, tr = el("tr"), th = el("th", null, "wpl-ov-crit-h");
      th.scope = "row";
      th.append(el("span", r.text, "wpl-ov-text"));
      if (r.own) th.append(" ", el("span", "eigen criterium", "wpl-own-label"));
      th.append(el("small", " " + (r.own ? r.inst.titel : r.gone ? "" : (names[r.domein] || { text: "" }).text), "wpl-ov-where"));
      if (n.urgent) th.append(el("strong", " · " + n.urgent + "× heel belangrijk en nog niet", "wpl-ov-urgent"));
      tr.append(th);
      ["in-orde", "deels", "nog-niet", "nvt", ""].forEach(function (s) { tr.append(el("td", String(n[s]), "wpl-ov-n")); });
      cols.forEach(function (l) { var s = status(r, l); tr.append(cells[s === null ? "weg" : s].cloneNode(true)); });
      body.append(tr);
    });
    frag.append(cap, thead, body);
    table.replaceChildren(frag);
    table.dataset.order = sorted.map(function (x) { return x.r.key; }).join(" ");
    summary(vis);
    actions(vis);
  }

  function summary(vis) {
    var groups = [], by = Object.create(null);
    rows.forEach(function (r) {
      var d = r.domein || "overige";
      if (!by[d]) { by[d] = { id: d, keys: [] }; groups.push(by[d]); }
      vis.forEach(function (l) { if (status(r, l) !== null) by[d].keys.push([r, l]); });
    });
    var out = document.createDocumentFragment();
    groups.forEach(function (g) {
      if (!g.keys.length) return;
      var n = count(g.keys, function (k) { return { status: status(k[0], k[1]) }; });
      out.append(el("h3", g.id === "overige" ? "Overige criteria" : (names[g.id] || { text: g.id }).text), chart(n),
        el("p", SYMBOL_ORDER.map(function (s) { return label(s) + ": " + n[s]; }).join(" · ")));
    });
    $(".wpl-ov-sum").replaceChildren(out);
  }

  function openActions(vis) {
    var out = [];
    vis.forEach(function (l) {
      rows.forEach(function (r) {
        if (status(r, l) === null) return;
        var e = l.criteria[r.id], a = e && e.actie;
        if (a && (a.wat || a.wie || a.wanneer) && e.status !== "in-orde" && e.status !== "nvt") out.push({ l: l, r: r, a: a, very: importance(r, l) === "heel-belangrijk" });
      });
    });
    out.sort(function (p, q) { return p.very !== q.very ? (p.very ? -1 : 1) : (p.a.wanneer || "9").localeCompare(q.a.wanneer || "9"); });
    return out;
  }
  function actions(vis) {
    var acts = openActions(vis), box = $(".wpl-ov-acts");
    if (!acts.length) return box.replaceChildren(el("p", "Geen open acties in de gekozen lijsten."));
    var table = el("table", null, "wpl-ov-acttable"), tr = el("tr");
    table.append(el("caption", acts.length + (acts.length === 1 ? " open actie" : " open acties") + ", heel belangrijke eerst, dan op datum."));
    ["Lijst", "Criterium", "Belang", "Actie", "Wie", "Tegen wanneer"].forEach(function (h) { var th = el("th", h); th.scope = "col"; tr.append(th); });
    var thead = el("thead"), body = el("tbody");
    thead.append(tr);
    acts.forEach(function (x) {
      var row = el("tr");
      [x.l.naam, x.r.text, x.very ? "heel belangrijk" : "belangrijk", x.a.wat || "(zonder omschrijving)", x.a.wie || "", x.a.wanneer || ""].forEach(function (v) { row.append(el("td", v)); });
      body.append(row);
    });
    table.append(thead, body);
    box.replaceChildren(table);
  }

  function csv() {
    var vis = visible(), order = $(".wpl-ov-table").dataset.order.split(" "), byKey = Object.create(null);
    rows.forEach(function (r) { byKey[r.key] = r; });
    var head = ["code", "fase", "domein", "vraag", "criterium", "eigen criterium", "in orde", "deels", "nog niet", "n.v.t.", "niet beantwoord"];
    var out = [head.concat(vis.map(function (l) { return l.naam + " (" + l.file + ")"; }))];
    order.forEach(function (k) {
      var r = byKey[k];
      if (!r) return;
      var n = tally(r, vis), q = r.own ? r.vraag : (names[r.vraag] || { text: "" }).text;
      out.push([r.id, (names[r.fase] || { text: "" }).text, (names[r.domein] || { text: "" }).text, q, r.text, r.own ? "ja" : "",
        n["in-orde"], n.deels, n["nog-niet"], n.nvt, n[""]].concat(vis.map(function (l) { return label(status(r, l)); })));
    });
    return csvText(out);
  }

  function say(text) { $(".wpl-ov-msg").replaceChildren(el("p", text)); }

  function load(files) {
    var t0 = performance.now(), bad = [];
    files = Array.prototype.slice.call(files);
    if (!files.length) return;
    say("Bezig met " + files.length + " bestand(en) lezen…");
    return Promise.all(files.map(function (file) {
      return readFile(file, null).then(function (l) { return [file, l]; }, function (e) {
        bad.push(e && e.wpl ? e.message : "We konden het bestand ‘" + file.name + "’ niet lezen.");
      });
    })).then(function (got) {
      var any = got.some(function (x) { return x && x[1].instrument; });
      return (any ? import("../lib/instrument.js") : Promise.resolve(null)).then(function (m) { return [got, m]; });
    }).then(function (pair) {
      pair[0].forEach(function (x) {
        if (!x) return;
        try { addList(x[1], x[0], pair[1] && pair[1].check); } catch (e) { bad.push(e.message); }
      });
      var err = $(".wpl-ov-err");
      if (bad.length) {
        var ul = el("ul");
        bad.forEach(function (b) { ul.append(el("li", b)); });
        err.replaceChildren(el("p", bad.length + (bad.length === 1 ? " bestand kon" : " bestanden konden") + " niet gelezen worden; de andere staan in het overzicht:"), ul);
      } else err.replaceChildren();
      buildRows();
      filters();
      $(".wpl-ov-result").hidden = !lists.length;
      page = 0;
      render();
      say(lists.length + (lists.length === 1 ? " lijst staat" : " lijsten staan") + " in het overzicht.");
      root.dataset.lists = String(lists.length);
      performance.measure("wpl:overzicht-load", { start: t0 });
      // Until the new table is on screen (make bench reports it): a frame callback runs before
      // that frame's style and layout, a task queued from it runs after them.
      requestAnimationFrame(function () { setTimeout(function () { performance.measure("wpl:overzicht-frame", { start: t0 }); }, 0); });
    });
  }

  root.addEventListener("change", function (ev) {
    var t = ev.target;
    if (t.classList.contains("wpl-ov-files")) { load(t.files); t.value = ""; }
    else if (t.dataset.f) { f[t.dataset.f][t.value] = t.checked; render(); }
    else if (t.classList.contains("wpl-ov-sort")) render();
  });
  root.addEventListener("click", function (ev) {
    var b = ev.target.closest("button[data-act]");
    if (!b) return;
    if (b.dataset.act === "csv") { download("overzicht-checklists.csv", csv(), "text/csv;charset=utf-8"); say("Het bestand overzicht-checklists.csv is klaar."); }
    else if (b.dataset.act === "print") window.print();
    else if (b.dataset.act === "prev" || b.dataset.act === "next") { page += b.dataset.act === "next" ? 1 : -1; render(); if (b.disabled) $(".wpl-ov-pages button:not([disabled])").focus(); }
    else if (b.dataset.act === "clear") {
      lists = []; rows = []; page = 0; f = { rol: Object.create(null), vorm: Object.create(null), lijst: Object.create(null) };
      $(".wpl-ov-result").hidden = true; $(".wpl-ov-err").replaceChildren();
      root.dataset.lists = "0";
      say("Het overzicht is leeg.");
    }
  });
  var drop = $(".wpl-ov-drop");
  drop.addEventListener("dragover", function (ev) { ev.preventDefault(); drop.classList.add("wpl-ov-over"); });
  drop.addEventListener("dragleave", function () { drop.classList.remove("wpl-ov-over"); });
  drop.addEventListener("drop", function (ev) { ev.preventDefault(); drop.classList.remove("wpl-ov-over"); load(ev.dataTransfer.files); });
  root.hidden = false;
  var nojs = root.parentElement.querySelector(".wpl-in-nojs");
  if (nojs) nojs.hidden = true;
  root.dataset.lists = "0";
}

start("overzicht", setup, function () { return typeof Promise === "function" && typeof Blob === "function" && !!Blob.prototype.text; });
