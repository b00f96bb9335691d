/* Checklist / self-evaluation (issue 4). Plain JavaScript: no framework, no build step, no
   dependency. Without it the page is a plain list of checkboxes; this script adds statuses, notes,
   actions, progress, named checklists, saving, export/import, share links, a summary and a
   comparison. All data is inserted with textContent / value, never as HTML.

   SAVED-STATE FORMAT, schema 1 (a promise: change it only with a new schema number, and keep
   reading the old one). localStorage key "wpl-checklist:<site path>:<form slug or alle-vormen>":
     {"formaat": "werkplekleren-checklist", "schema": 1, "leidraad": "<guideline version>",
      "vorm": "<form>", "actief": "<list id>",
      "lijsten": [{"id": "<list id>", "naam": "<name>", "bewaard": "<ISO date-time>",
                   "criteria": {"<criterion id>": {"status": "in-orde|deels|nog-niet|nvt",
                                "notitie": "...", "actie": {"wat": "", "wie": "",
                                "wanneer": "YYYY-MM-DD"}}}}]}
   Every field inside a criterion is optional. Answers are matched by criterion ID, so they survive
   a new guideline version; answers to IDs that are no longer on the page are kept and listed.
   A value that cannot be read is never dropped: it is copied to "<key>:apart:<time>" and offered
   as a download. EXPORT FILE: one list as {"formaat", "schema", "leidraad", "vorm", "naam",
   "bewaard", "criteria"} (same meaning as above).
   SHARE LINK: "#cl=1.<hash>.<data>": <hash> = FNV-1a (base 36) of the page's criterion IDs joined
   by ","; <data> = statuses in page order (0 none, 1-4 as above), two per character in
   "0123456789abcdefghijklmno", trailing "none" dropped. */
(function () {
  "use strict";
  if (window.wplChecklist) return; // evaluated again after an instant navigation: already set up

  var ST = ["in-orde", "deels", "nog-niet", "nvt"];
  var LABEL = { "in-orde": "in orde", deels: "deels", "nog-niet": "nog niet", nvt: "n.v.t.", "": "nog niet bekeken" };
  var FORMAT = "werkplekleren-checklist";
  var SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var BAD = ["__proto__", "constructor", "prototype"];
  var MAX = 1048576;
  var ALPHA = "0123456789abcdefghijklmno";
  var NOTHING = " Er is niets gewijzigd.";

  function hash(ids) {
    var h = 0x811c9dc5, s = ids.join(",");
    for (var i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
    return (h >>> 0).toString(36);
  }
  function encode(ids, statuses) {
    var d = ids.map(function (id) { return ST.indexOf(statuses[id]) + 1; }), out = "";
    while (d.length && !d[d.length - 1]) d.pop();
    for (var i = 0; i < d.length; i += 2) out += ALPHA[d[i] * 5 + (d[i + 1] || 0)];
    return "1." + hash(ids) + "." + out;
  }
  function decode(ids, code) {
    var m = /^1\.([0-9a-z]+)\.([0-9a-o]*)$/.exec(code), out = {};
    if (!m || m[2].length > Math.ceil(ids.length / 2)) throw new Error("Deze deellink is onvolledig of beschadigd.");
    if (m[1] !== hash(ids)) throw new Error("Deze deellink hoort bij een andere checklist of een andere versie van de leidraad.");
    for (var i = 0; i < m[2].length; i++) {
      var v = ALPHA.indexOf(m[2][i]), a = Math.floor(v / 5), b = v % 5;
      if (a) out[ids[2 * i]] = ST[a - 1];
      if (b) { if (2 * i + 1 >= ids.length) throw new Error("Deze deellink is onvolledig of beschadigd."); out[ids[2 * i + 1]] = ST[b - 1]; }
    }
    return out;
  }

  function isObj(v) { return !!v && typeof v === "object" && !Array.isArray(v); }
  function fail(msg) { throw new Error(msg); }
  /* JSON.parse that reports keys which could pollute prototypes. */
  function parse(text) {
    var bad = "", o = JSON.parse(text, function (k, v) { if (BAD.indexOf(k) >= 0) bad = k; return v; });
    if (bad) fail("Dit bestand bevat een verboden sleutel (" + bad + ") en is daarom geweigerd.");
    return o;
  }
  function str(v, max, what) {
    if (v == null) return "";
    if (typeof v !== "string" || v.length > max) fail("Het veld ‘" + what + "’ is geen tekst of is te lang.");
    return v;
  }
  var DATE = /^\d{4}-\d\d-\d\d$/;
  /* Validate one list; returns a clean copy with a prototype-free criteria map. An import fails
     on the first problem; with `lenient` (our own storage) a bad part is dropped and counted in
     lenient.dropped, so one odd value never costs the rest. */
  function checkList(o, lenient) {
    if (!isObj(o) || !isObj(o.criteria)) fail("Dit bestand bevat geen lijst met criteria.");
    var out = Object.create(null);
    function bad(msg) { if (!lenient) fail(msg); lenient.dropped++; return false; }
    function txt(v, max, what) {
      try { return str(v, max, what); } catch (e) { return bad(e.message) || ""; }
    }
    Object.keys(o.criteria).forEach(function (id) {
      var c = o.criteria[id], e = {}, a = {};
      if (!SLUG.test(id) || id.length > 60) return bad("‘" + id.slice(0, 60) + "’ is geen geldige code van een criterium.");
      if (!isObj(c)) return bad("De gegevens bij criterium ‘" + id + "’ zijn ongeldig.");
      if (c.status != null && c.status !== "") {
        if (ST.indexOf(c.status) >= 0) e.status = c.status;
        else bad("Criterium ‘" + id + "’ heeft een onbekende status.");
      }
      if (txt(c.notitie, 5000, "notitie")) e.notitie = c.notitie;
      if (c.actie != null) {
        if (!isObj(c.actie)) bad("De actie bij criterium ‘" + id + "’ is ongeldig.");
        else ["wat", "wie", "wanneer"].forEach(function (f) { if (txt(c.actie[f], 500, f)) a[f] = c.actie[f]; });
        if (a.wanneer && !DATE.test(a.wanneer)) { delete a.wanneer; bad("De datum bij criterium ‘" + id + "’ is ongeldig."); }
        if (Object.keys(a).length) e.actie = a;
      }
      if (Object.keys(e).length) out[id] = e;
    });
    return { naam: txt(o.naam, 100, "naam").trim() || "Checklist", bewaard: txt(o.bewaard, 40, "bewaard"), criteria: out };
  }
  function newId() { return "l" + Date.now().toString(36) + Math.random().toString(36).slice(2, 6); }
  function storage() {
    try { var s = window.localStorage, k = "wpl-checklist-test"; s.setItem(k, k); s.removeItem(k); return s; } catch (e) { return null; }
  }
  function el(tag, text, cls) {
    var n = document.createElement(tag);
    if (text != null) n.textContent = text;
    if (cls) n.className = cls;
    return n;
  }
  function download(name, text, type) {
    var a = el("a"), url = URL.createObjectURL(new Blob([text], { type: type }));
    a.href = url; a.download = name; document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }
  function today() { return new Date().toLocaleDateString("nl-BE"); }
  function cell(v) {
    v = String(v == null ? "" : v);
    if (/^\s*[=+\-@\t\r]/.test(v)) v = "'" + v; // no formulas in spreadsheets (as exports.py)
    return '"' + v.replace(/"/g, '""') + '"';
  }

  function setup(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    var $ = function (s) { return root.querySelector(s); };
    var $$ = function (s) { return Array.prototype.slice.call(root.querySelectorAll(s)); };
    var data = root.dataset, ids = data.ids.split(" "), known = Object.create(null);
    ids.forEach(function (id) { known[id] = 1; });
    var key = "wpl-checklist:" + new URL(root.dataset.base || "/", location.href).pathname + ":" + data.vorm;
    var ls = storage(), frozen = false, role = "", undo = null, state;
    var items = Object.create(null), msg = $(".wpl-cl-msg"), err = $(".wpl-cl-err");
    var tpl = $(".wpl-cl-tpl") || document.querySelector(".wpl-cl-tpl"), listSel = $(".wpl-cl-list");

    function say(text, isErr, actions) {
      var box = isErr ? err : msg, p = el("p", text);
      (actions || []).forEach(function (a) {
        var b = el("button", a[0]);
        b.type = "button";
        b.addEventListener("click", function () { b.disabled = true; a[1](); });
        p.append(" ", b);
      });
      (isErr ? msg : err).textContent = "";
      box.textContent = "";
      box.append(p);
    }
    function fresh(naam) { return { id: newId(), naam: naam, bewaard: new Date().toISOString(), criteria: Object.create(null) }; }
    function active() {
      return state.lijsten.filter(function (l) { return l.id === state.actief; })[0] || state.lijsten[0];
    }
    function save() {
      if (!ls || frozen) return;
      state.leidraad = data.leidraad;
      try { ls.setItem(key, JSON.stringify(state)); } catch (e) {
        say("We konden je antwoorden niet bewaren in deze browser (de opslag is vol of geblokkeerd). Exporteer ze om ze te houden.", true);
      }
    }
    /* Keep unreadable data under "<key>:apart:<time>", then replace it by what we could read, so
       it is copied once, not at every visit. If the copy fails (storage full), save nothing. */
    function setAside(raw) {
      try { ls.setItem(key + ":apart:" + Date.now(), raw); } catch (e) { frozen = true; return; }
      save();
    }
    function load() {
      var raw = null, msgs = [];
      state = { formaat: FORMAT, schema: 1, leidraad: data.leidraad, vorm: data.vorm, actief: "", lijsten: [fresh("Checklist 1")] };
      state.actief = state.lijsten[0].id;
      if (!ls) return say("Je browser laat niet toe dat deze site iets bewaart. Je antwoorden gaan verloren als je de pagina sluit: exporteer ze.", true);
      try { raw = ls.getItem(key); } catch (e) { /* treated as nothing saved */ }
      if (raw == null) return;
      var lenient = { dropped: 0 };
      try {
        var o = parse(raw);
        if (isObj(o) && o.formaat === FORMAT && typeof o.schema === "number" && o.schema > 1) {
          frozen = true; // a newer site wrote this: leave it exactly as it is
          return say("Je bewaarde checklist werd gemaakt met een nieuwere versie van deze site. We passen er niets aan: " +
            "laad de pagina opnieuw om de nieuwste versie te krijgen. Wat je hier invult, wordt niet bewaard.", true);
        }
        if (!isObj(o) || o.schema !== 1 || !Array.isArray(o.lijsten) || !o.lijsten.length) fail("schema");
        var lists = o.lijsten.map(function (l) {
          var c = checkList(l, lenient);
          c.id = typeof l.id === "string" && l.id ? l.id.slice(0, 40) : newId();
          return c;
        });
        state.lijsten = lists;
        state.actief = lists.some(function (l) { return l.id === o.actief; }) ? o.actief : lists[0].id;
        if (o.leidraad !== data.leidraad) {
          msgs.push("Je antwoorden werden bewaard bij versie " + String(o.leidraad).slice(0, 20) + " van de leidraad; deze pagina toont versie " +
            data.leidraad + ". Je antwoorden blijven bewaard en zijn per criterium overgenomen.");
        }
        if (lenient.dropped) {
          setAside(raw);
          msgs.push(lenient.dropped + " onderdeel/onderdelen van je bewaarde antwoorden konden we niet lezen en lieten we weg; " +
            "de rest staat er nog. Een kopie van de oude gegevens staat apart in je browser.");
        }
      } catch (e) {
        setAside(raw);
        return say("We konden je bewaarde checklist niet lezen. " + (frozen
          ? "We bewaren niets tot je de oude gegevens hebt gedownload."
          : "We hebben de oude gegevens apart gezet in je browser en beginnen met een lege checklist.") +
          " Je kan ze downloaden en aan ons bezorgen.", true, [["Download de oude gegevens", function () {
          download("checklist-" + data.vorm + "-onleesbaar.txt", raw, "text/plain");
          if (frozen) { frozen = false; save(); say("De oude gegevens zijn gedownload; je antwoorden worden weer bewaard."); }
        }]]);
      }
      var gone = Object.keys(active().criteria).filter(function (id) { return !known[id]; }).length;
      if (gone) msgs.push(gone + " antwoorden horen bij criteria die niet meer in deze checklist staan; je vindt ze onderaan.");
      if (msgs.length) say(msgs.join(" "));
    }

    function entry(id) { return active().criteria[id] || {}; }
    function set(id, f, v) {
      var l = active(), e = l.criteria[id] || (l.criteria[id] = {}), a = e.actie || {};
      if (f === "wanneer" && v && !DATE.test(v)) v = ""; // half-typed or out-of-range date
      if (f === "status" || f === "notitie") { if (v) e[f] = v; else delete e[f]; }
      else { if (v) a[f] = v; else delete a[f]; if (Object.keys(a).length) e.actie = a; else delete e.actie; }
      if (!Object.keys(e).length) delete l.criteria[id];
      l.bewaard = new Date().toISOString();
      undo = null; // an undo after new answers would silently throw them away
      save();
      paintItem(id);
      // Progress (a live region) changes only with a status; actions feed the summary.
      if (f === "status") totals(); else if (f !== "notitie") summary();
    }
    function paintItem(id) {
      var li = items[id], e = entry(id), a = e.actie || {}, s = e.status || "";
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
    function paint() {
      listSel.textContent = "";
      state.lijsten.forEach(function (l) {
        var o = el("option", l.naam);
        o.value = l.id;
        o.selected = l.id === state.actief;
        listSel.append(o);
      });
      $(".wpl-cl-pname").textContent = "Checklist: " + active().naam + " (" + today() + ")";
      ids.forEach(paintItem);
      var gone = Object.keys(active().criteria).filter(function (id) { return !known[id]; }), ul = $(".wpl-cl-gone-list");
      ul.textContent = "";
      gone.forEach(function (id) {
        var e = active().criteria[id], li = el("li");
        li.append(el("code", id), " — " + LABEL[e.status || ""] + (e.notitie ? " — notitie: " + e.notitie : "") +
          (e.actie && e.actie.wat ? " — actie: " + e.actie.wat : ""));
        ul.append(li);
      });
      $(".wpl-cl-gone").hidden = !gone.length;
      totals();
    }

    function count(scope) {
      var n = { "in-orde": 0, deels: 0, "nog-niet": 0, nvt: 0, "": 0, all: 0 };
      scope.querySelectorAll("li.wpl-cl-item:not(.wpl-cl-hide)").forEach(function (li) { n[li.dataset.status || ""]++; n.all++; });
      n.tel = n.all - n.nvt;
      return n;
    }
    function line(n) {
      return n["in-orde"] + " van " + n.tel + " in orde, " + n.deels + " deels, " + n["nog-niet"] + " nog niet" +
        (n.nvt ? "; " + n.nvt + " n.v.t. niet meegeteld" : "");
    }
    function totals() {
      var n = count(root), pct = n.tel ? Math.round(100 * n["in-orde"] / n.tel) : 0;
      $(".wpl-cl-meter").value = n.tel ? n["in-orde"] / n.tel : 0;
      $("#wpl-cl-total").textContent = "Voortgang" + (role ? " voor " + role : "") + ": " + line(n) + " (" + pct + "%).";
      $$(".wpl-phase, .wpl-domain").forEach(function (s) {
        var p = s.querySelector(".wpl-cl-count");
        p.hidden = false;
        p.textContent = line(count(s)) + ".";
      });
      summary();
    }

    function summary() {
      var box = $(".wpl-cl-sum");
      box.textContent = "";
      $$(".wpl-domain:not(.wpl-cl-hide)").forEach(function (d) {
        var n = count(d), x = 0, svg = document.createElementNS("http://www.w3.org/2000/svg", "svg"), acts = [];
        box.append(el("h3", d.querySelector("h3").textContent));
        svg.setAttribute("viewBox", "0 0 200 12");
        svg.setAttribute("preserveAspectRatio", "none"); // the bar fills its frame, as the counts do
        svg.setAttribute("aria-hidden", "true");
        svg.setAttribute("class", "wpl-cl-chart");
        ST.concat("").forEach(function (s) {
          var r = document.createElementNS(svg.namespaceURI, "rect"), w = n.all ? 200 * n[s] / n.all : 0;
          r.setAttribute("x", x); r.setAttribute("width", w); r.setAttribute("height", 12);
          r.setAttribute("class", "wpl-cl-c-" + (s || "open"));
          svg.append(r);
          x += w;
        });
        box.append(svg, el("p", ST.concat("").map(function (s) { return LABEL[s] + ": " + n[s]; }).join(" · ")));
        d.querySelectorAll("li.wpl-cl-item:not(.wpl-cl-hide)").forEach(function (li) {
          var e = entry(li.id), a = e.actie;
          if (a && (a.wat || a.wie || a.wanneer) && e.status !== "in-orde" && e.status !== "nvt") acts.push([li, a]);
        });
        acts.sort(function (p, q) {
          var hp = p[0].dataset.belang === "heel-belangrijk", hq = q[0].dataset.belang === "heel-belangrijk";
          return hp !== hq ? (hp ? -1 : 1) : (p[1].wanneer || "9").localeCompare(q[1].wanneer || "9");
        });
        if (!acts.length) return box.append(el("p", "Geen open acties."));
        var ul = el("ul", null, "wpl-cl-actions");
        acts.forEach(function (p) {
          var li = el("li"), link = el("a", p[1].wat || "(actie zonder omschrijving)");
          link.href = "#" + p[0].id;
          li.append(el("strong", p[0].dataset.belang === "heel-belangrijk" ? "Heel belangrijk: " : "Belangrijk: "), link,
            (p[1].wie ? " — wie: " + p[1].wie : "") + (p[1].wanneer ? " — tegen " + p[1].wanneer : ""));
          ul.append(li);
        });
        box.append(ul);
      });
    }

    function setRole(r, push) {
      var valid = $$("input[name=wpl-cl-rol]").map(function (i) { return i.value; });
      role = valid.indexOf(r) < 0 ? "" : r;
      $$("li.wpl-cl-item").forEach(function (li) {
        li.classList.toggle("wpl-cl-hide", !!role && (" " + li.dataset.roles + " ").indexOf(" " + role + " ") < 0);
        li.dataset.belang = (role && li.getAttribute("data-belang-" + role)) || li.dataset.belangStd;
      });
      $$("section.wpl-question, section.wpl-domain, section.wpl-phase").forEach(function (s) {
        s.classList.toggle("wpl-cl-hide", !s.querySelector("li.wpl-cl-item:not(.wpl-cl-hide)"));
      });
      $$("input[name=wpl-cl-rol]").forEach(function (i) { i.checked = i.value === role; });
      if (push) {
        var u = new URL(location.href);
        if (role) u.searchParams.set("rol", role); else u.searchParams.delete("rol");
        history.replaceState(history.state, "", u);
      }
      totals();
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
        if (back && back.focus) back.focus();
        if (d.returnValue === "ok") done(input.value.trim());
      };
      d.showModal();
      if (value !== null) input.select();
    }
    function addList(l, text) {
      state.lijsten.push(l);
      state.actief = l.id;
      save();
      paint();
      say(text);
    }
    function exportObj(l) {
      return { formaat: FORMAT, schema: 1, leidraad: data.leidraad, vorm: data.vorm, naam: l.naam, bewaard: l.bewaard, criteria: l.criteria };
    }
    function fileName(ext) {
      return "checklist-" + data.vorm + "-" + (active().naam.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "lijst") + "." + ext;
    }
    function csv() {
      var rows = [["code", "fase", "domein", "vraag", "criterium", "belang", "status", "notitie", "actie wat", "actie wie", "actie wanneer"]];
      var all = ids.concat(Object.keys(active().criteria).filter(function (id) { return !known[id]; }));
      all.forEach(function (id) {
        var li = items[id], e = entry(id), a = e.actie || {}, t = function (s) { var h = li && li.closest(s); return h ? h.querySelector("h2, h3, h4").textContent.trim() : ""; };
        rows.push([id, t(".wpl-phase"), t(".wpl-domain"), t(".wpl-question"), li ? li.querySelector("label").textContent.trim() : "(niet meer in deze checklist)",
          li ? li.dataset.belang : "", LABEL[e.status || ""], e.notitie, a.wat, a.wie, a.wanneer]);
      });
      return "\ufeff" + rows.map(function (r) { return r.map(cell).join(";"); }).join("\r\n") + "\r\n";
    }
    /* Read and validate an exported file; calls back with (error message) or (null, list). */
    function readFile(file, cb) {
      if (file.size > MAX) return cb("Het bestand ‘" + file.name + "’ is te groot (" + (file.size / MAX).toFixed(1).replace(".", ",") + " MB). Een checklist is nooit groter dan 1 MB.");
      file.text().then(function (text) {
        var o;
        try { o = parse(text); } catch (e) {
          return cb(e instanceof SyntaxError ? "Het bestand ‘" + file.name + "’ is geen geldig JSON-bestand. Kies een bestand dat je met ‘Exporteer (JSON)’ maakte." : e.message);
        }
        try {
          if (!isObj(o) || o.formaat !== FORMAT) fail("Het bestand ‘" + file.name + "’ is geen export van een checklist werkplekleren.");
          if (o.schema !== 1) fail("Het bestand ‘" + file.name + "’ gebruikt een onbekende versie van het formaat.");
          if (o.vorm !== data.vorm) fail("Het bestand ‘" + file.name + "’ hoort bij een andere checklist (" + String(o.vorm).slice(0, 40) + ").");
          var l = checkList(o);
          l.leidraad = typeof o.leidraad === "string" ? o.leidraad.slice(0, 20) : "";
          cb(null, l);
        } catch (e) { cb(e.message); }
      }, function () { cb("We konden het bestand ‘" + file.name + "’ niet lezen."); });
    }
    function compare(files) {
      var out = $(".wpl-cl-cmp-out"), cols = [], left = files.length;
      out.textContent = "";
      if (files.length === 1) cols.push({ naam: "Deze checklist (" + active().naam + ")", criteria: active().criteria });
      files.forEach(function (f, i) {
        readFile(f, function (e, l) {
          if (e) out.append(el("p", e + " Dit bestand laten we weg.", "wpl-cl-bad"));
          else cols[i + (files.length === 1)] = { naam: l.naam + " (" + f.name + ")", criteria: l.criteria };
          if (--left) return;
          cols = cols.filter(Boolean);
          if (cols.length < 2) return out.append(el("p", "Kies minstens twee geldige bestanden om te vergelijken."));
          var table = el("table", null, "wpl-cl-cmp"), head = el("tr"), diff = 0;
          head.append(el("th", "Criterium"));
          cols.forEach(function (c) { var th = el("th", c.naam); th.scope = "col"; head.append(th); });
          table.append(el("caption"), head);
          ids.forEach(function (id) {
            var vals = cols.map(function (c) { var x = c.criteria[id] || {}; return [x.status || "", x.notitie || ""]; });
            if (vals.every(function (v) { return v[0] === vals[0][0]; })) return;
            var tr = el("tr"), th = el("th"), a = el("a", items[id].querySelector("label").textContent);
            a.href = "#" + id; th.scope = "row"; th.append(a); tr.append(th); diff++;
            vals.forEach(function (v) { var td = el("td", LABEL[v[0]]); if (v[1]) td.append(el("br"), el("small", v[1])); tr.append(td); });
            table.append(tr);
          });
          table.querySelector("caption").textContent = "Op " + diff + " van " + ids.length + " criteria verschillen de statussen.";
          out.append(diff ? table : el("p", "De statussen zijn overal gelijk."));
        });
      });
    }

    var acts = {
      "new": function () {
        ask("Nieuwe checklist", "Geef de nieuwe checklist een naam, bijvoorbeeld de naam van de lerende of de werkplek.", "Checklist " + (state.lijsten.length + 1), "Maak aan", function (v) {
          var l = fresh(v.slice(0, 100) || "Checklist " + (state.lijsten.length + 1));
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
          state.lijsten = state.lijsten.filter(function (x) { return x !== l; });
          undo = null;
          if (!state.lijsten.length) state.lijsten.push(fresh("Checklist 1"));
          state.actief = state.lijsten[0].id;
          save(); paint(); say("‘" + l.naam + "’ is verwijderd. Je werkt nu in ‘" + active().naam + "’.");
        });
      },
      json: function () {
        download(fileName("json"), JSON.stringify(exportObj(active()), null, 2), "application/json");
        say("Het bestand " + fileName("json") + " is klaar. Bewaar het goed: je kan het later importeren.");
      },
      csv: function () { download(fileName("csv"), csv(), "text/csv;charset=utf-8"); say("Het bestand " + fileName("csv") + " is klaar."); },
      share: function () {
        var st = {}, input = $(".wpl-cl-link");
        ids.forEach(function (id) { st[id] = entry(id).status; });
        input.value = location.href.split("#")[0].split("?")[0] + (role ? "?rol=" + role : "") + "#cl=" + encode(ids, st);
        $(".wpl-cl-share").hidden = false;
        input.focus(); input.select();
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
          undo = { l: l, c: l.criteria };
          l.criteria = Object.create(null);
          save(); paint();
          say("Alle antwoorden in ‘" + l.naam + "’ zijn gewist.", false, [["Ongedaan maken", function () {
            if (!undo) return say("Ongedaan maken kan niet meer: er is intussen iets gewijzigd.", true);
            undo.l.criteria = undo.c; undo = null;
            save(); paint(); say("De antwoorden zijn teruggezet.");
          }]]);
        });
      }
    };

    root.addEventListener("click", function (ev) {
      var b = ev.target.closest("button");
      if (!b || !root.contains(b)) return;
      if (b.dataset.act && acts[b.dataset.act]) acts[b.dataset.act]();
      if (b.classList.contains("wpl-cl-more")) {
        var open = b.getAttribute("aria-expanded") !== "true";
        b.setAttribute("aria-expanded", open);
        b.nextElementSibling.classList.toggle("wpl-cl-open", open);
      }
    });
    function onField(ev) {
      var t = ev.target, li = t.closest("li.wpl-cl-item");
      if (li && t.classList.contains("wpl-cl-tick")) set(li.id, "status", t.checked ? "in-orde" : "");
      else if (li && t.dataset.f) set(li.id, t.dataset.f, t.value);
    }
    root.addEventListener("input", onField);
    root.addEventListener("change", function (ev) {
      var t = ev.target;
      if (t === listSel) { state.actief = t.value; undo = null; save(); paint(); say("Je werkt nu in ‘" + active().naam + "’."); }
      else if (t.name === "wpl-cl-rol") setRole(t.value, true);
      else if (t.classList.contains("wpl-cl-import")) {
        if (!t.files.length) return;
        readFile(t.files[0], function (e, l) {
          t.value = "";
          if (e) return say(e + NOTHING, true);
          var names = state.lijsten.map(function (x) { return x.naam; }), name = l.naam, n = 1;
          while (names.indexOf(name) >= 0) name = l.naam + " (" + ++n + ")";
          addList({ id: newId(), naam: name, bewaard: l.bewaard || new Date().toISOString(), criteria: l.criteria },
            "‘" + name + "’ is geïmporteerd als nieuwe checklist. Je andere checklists zijn niet gewijzigd." +
            (l.leidraad && l.leidraad !== data.leidraad ? " Het bestand werd gemaakt bij versie " + l.leidraad +
              " van de leidraad; deze pagina toont versie " + data.leidraad + ". De antwoorden zijn per criterium overgenomen." : ""));
        });
      } else if (t.classList.contains("wpl-cl-cmp-files")) compare(Array.prototype.slice.call(t.files));
    });

    $$("li.wpl-cl-item").forEach(function (li) {
      var ctl = tpl.content.firstElementChild.cloneNode(true), ex = ctl.querySelector(".wpl-cl-extra");
      items[li.id] = li;
      ex.id = "ex-" + li.id;
      ctl.querySelector(".wpl-cl-more").setAttribute("aria-controls", ex.id);
      ctl.querySelectorAll("select, textarea, input, button").forEach(function (c) { c.setAttribute("aria-describedby", "lb-" + li.id); });
      li.querySelector(".wpl-criterion__body").append(ctl);
    });
    load();
    var m = /^#cl=(.+)$/.exec(location.hash);
    if (m) {
      try {
        var got = decode(ids, m[1]), l = fresh("Gedeeld op " + today()), n = 0;
        Object.keys(got).forEach(function (id) { l.criteria[id] = { status: got[id] }; n++; });
        state.lijsten.push(l);
        state.actief = l.id;
        save();
        say("Je opende een deellink: de " + n + " statussen staan nu in een nieuwe checklist ‘" + l.naam + "’. Je andere checklists zijn niet gewijzigd.");
      } catch (e) { say(e.message + NOTHING, true); }
      history.replaceState(history.state, "", location.href.split("#")[0]);
    }
    /* Another tab saved this checklist: take its version, so neither tab overwrites the other. */
    function other(ev) {
      if (!root.isConnected) return window.removeEventListener("storage", other);
      if (ev.key !== key || ev.newValue == null || frozen) return;
      var keep = state.actief;
      undo = null;
      load();
      if (state.lijsten.some(function (l) { return l.id === keep; })) state.actief = keep;
      paint();
      setRole(role, false);
      say("Deze checklist werd in een ander venster gewijzigd. Je ziet nu de nieuwste versie.");
    }
    window.addEventListener("storage", other);
    $(".wpl-cl-tools").hidden = false;
    $$(".wpl-cl-summary, .wpl-cl-compare").forEach(function (s) { s.hidden = false; });
    paint();
    setRole(new URLSearchParams(location.search).get("rol") || "", false);
  }

  function init() {
    document.querySelectorAll("[data-module=checklist]").forEach(function (root) {
      try { setup(root); } catch (e) { if (window.console) console.error(e); }
    });
  }
  window.wplChecklist = { encode: encode, decode: decode, init: init };
  function start() {
    if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
    else init();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
