/* Checklist state and its storage in the browser (no DOM). The saved-state format (schema 1)
   and the export file are a promise, documented in README.md ("The checklist in the browser"). */

export var FORMAT = "werkplekleren-checklist";
export var STATUSES = ["in-orde", "deels", "nog-niet", "nvt"];
export var LABEL = { "in-orde": "in orde", deels: "deels", "nog-niet": "nog niet", nvt: "n.v.t.", "": "nog niet bekeken" };
export var NOTHING = " Er is niets gewijzigd.";
export var SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
var BAD = ["__proto__", "constructor", "prototype"];
var DATE = /^\d{4}-\d\d-\d\d$/;

export function isObj(v) { return !!v && typeof v === "object" && !Array.isArray(v); }
/* Our errors carry a Dutch message for the user (e.wpl); others get a general message. */
export function fail(msg) { var e = new Error(msg); e.wpl = true; throw e; }

/* JSON.parse that refuses keys which could pollute prototypes. */
export function parse(text) {
  var bad = "", o = JSON.parse(text, function (k, v) { if (BAD.indexOf(k) >= 0) bad = k; return v; });
  if (bad) fail("Dit bestand bevat een verboden sleutel (" + bad + ") en is daarom geweigerd.");
  return o;
}

function str(v, max, what) {
  if (v == null) return "";
  if (typeof v !== "string" || v.length > max) fail("Het veld ‘" + what + "’ is geen tekst of is te lang.");
  return v;
}

/* A clean copy of one list (prototype-free criteria). An import fails on the first problem;
   with `lenient` (our own storage) a bad part is dropped and counted, the rest stays. */
export function checkList(o, lenient) {
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
      if (STATUSES.indexOf(c.status) >= 0) e.status = c.status;
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
  var l = { naam: txt(o.naam, 100, "naam").trim() || "Checklist", bewaard: txt(o.bewaard, 40, "bewaard"), criteria: out };
  if (typeof o.rol === "string" && SLUG.test(o.rol) && o.rol.length <= 40) l.rol = o.rol;
  if (o.bron === "pdf" || o.bron === "online") l.bron = o.bron;
  return l;
}

export function newId() { return "l" + Date.now().toString(36) + Math.random().toString(36).slice(2, 6); }
export function freshList(naam) {
  return { id: newId(), naam: naam, bewaard: new Date().toISOString(), criteria: Object.create(null) };
}
/* A name not yet used by one of `lists`: "X", else "X (2)", "X (3)", ... */
export function freeName(lists, naam) {
  var names = lists.map(function (l) { return l.naam; }), name = naam, n = 1;
  while (names.indexOf(name) >= 0) name = naam + " (" + ++n + ")";
  return name;
}
/* Answers to criteria that are not in `known` (an ID -> truthy map). */
export function unknownIds(list, known) {
  return Object.keys(list.criteria).filter(function (id) { return !known[id]; });
}

function storage() {
  try { var s = window.localStorage, k = "wpl-checklist-test"; s.setItem(k, k); s.removeItem(k); return s; } catch (e) { return null; }
}

/* The checklists of one page (key) in this browser. meta: {leidraad, vorm}. */
export function Store(key, meta) {
  this.key = key;
  this.meta = meta;
  this.ls = storage();
  this.frozen = false; // true: never write (a newer site's data, or a copy that could not be kept)
  this.undo = null;
  this.state = null;
}

/* Read what is saved. Returns {notes: [text], error: text or "", raw: unreadable data or null}. */
Store.prototype.load = function () {
  var raw = null, notes = [], meta = this.meta, self = this;
  var first = freshList("Checklist 1");
  this.state = { formaat: FORMAT, schema: 1, leidraad: meta.leidraad, vorm: meta.vorm, actief: first.id, lijsten: [first] };
  if (!this.ls) {
    return { notes: notes, raw: null, error: "Je browser laat niet toe dat deze site iets bewaart. Je antwoorden gaan verloren als je de pagina sluit: exporteer ze." };
  }
  try { raw = this.ls.getItem(this.key); } catch (e) { /* treated as nothing saved */ }
  if (raw == null) return { notes: notes, raw: null, error: "" };
  var lenient = { dropped: 0 };
  try {
    var o = parse(raw);
    if (isObj(o) && o.formaat === FORMAT && typeof o.schema === "number" && o.schema > 1) {
      this.frozen = true; // a newer site wrote this: leave it exactly as it is
      return { notes: notes, raw: null, error: "Je bewaarde checklist werd gemaakt met een nieuwere versie van deze site. We passen er niets aan: " +
        "laad de pagina opnieuw om de nieuwste versie te krijgen. Wat je hier invult, wordt niet bewaard." };
    }
    if (!isObj(o) || o.schema !== 1 || !Array.isArray(o.lijsten) || !o.lijsten.length) fail("schema");
    var lists = o.lijsten.map(function (l) {
      var c = checkList(l, lenient);
      c.id = typeof l.id === "string" && l.id ? l.id.slice(0, 40) : newId();
      return c;
    });
    this.state.lijsten = lists;
    this.state.actief = lists.some(function (l) { return l.id === o.actief; }) ? o.actief : lists[0].id;
    if (o.leidraad !== meta.leidraad) {
      notes.push("Je antwoorden werden bewaard bij digitale editie " + String(o.leidraad).slice(0, 20) + " van de leidraad; deze pagina toont digitale editie " +
        meta.leidraad + ". Je antwoorden blijven bewaard en zijn per criterium overgenomen.");
    }
    if (lenient.dropped) {
      this.setAside(raw);
      notes.push(lenient.dropped + " onderdeel/onderdelen van je bewaarde antwoorden konden we niet lezen en lieten we weg; " +
        "de rest staat er nog. Een kopie van de oude gegevens staat apart in je browser.");
    }
  } catch (e) {
    self.setAside(raw);
    return { notes: notes, raw: raw, error: "We konden je bewaarde checklist niet lezen. " + (self.frozen
      ? "We bewaren niets tot je de oude gegevens hebt gedownload."
      : "We hebben de oude gegevens apart gezet in je browser en beginnen met een lege checklist.") +
      " Je kan ze downloaden en aan ons bezorgen." };
  }
  return { notes: notes, raw: null, error: "" };
};

/* Write the state; returns an error text, or "" when saved (or when saving is off). */
Store.prototype.save = function () {
  if (!this.ls || this.frozen) return "";
  this.state.leidraad = this.meta.leidraad;
  try { this.ls.setItem(this.key, JSON.stringify(this.state)); } catch (e) {
    return "We konden je antwoorden niet bewaren in deze browser (de opslag is vol of geblokkeerd). Exporteer ze om ze te houden.";
  }
  return "";
};

/* Keep unreadable data under "<key>:apart:<time>", then save what we could read (so it is
   copied once); if the copy fails, save nothing. */
Store.prototype.setAside = function (raw) {
  try { this.ls.setItem(this.key + ":apart:" + Date.now(), raw); } catch (e) { this.frozen = true; return; }
  this.save();
};

Store.prototype.active = function () {
  var id = this.state.actief;
  return this.state.lijsten.filter(function (l) { return l.id === id; })[0] || this.state.lijsten[0];
};
Store.prototype.entry = function (id) { return this.active().criteria[id] || {}; };

/* Set "status", "notitie" or an action field ("wat", "wie", "wanneer") of a criterion; an
   empty value removes it. Returns an error text or "". */
Store.prototype.set = function (id, f, v) {
  var l = this.active(), e = l.criteria[id] || (l.criteria[id] = {}), a = e.actie || {};
  if (f === "wanneer" && v && !DATE.test(v)) v = ""; // half-typed or out-of-range date
  if (f === "status" || f === "notitie") { if (v) e[f] = v; else delete e[f]; }
  else { if (v) a[f] = v; else delete a[f]; if (Object.keys(a).length) e.actie = a; else delete e.actie; }
  if (!Object.keys(e).length) delete l.criteria[id];
  l.bewaard = new Date().toISOString();
  this.undo = null; // an undo after new answers would silently throw them away
  return this.save();
};

Store.prototype.add = function (l) {
  this.state.lijsten.push(l);
  this.state.actief = l.id;
  return this.save();
};
