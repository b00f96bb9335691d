/* Own instruments (no DOM): the file format, its checks and the link that carries an instrument.
   The same format and limits as generator/instrument.py (documented on /open-data/, JSON Schema
   in /downloads/instrument.schema.json). Everything in an instrument is untrusted: it is checked
   here and shown with textContent only. */
import { SLUG, fail, isObj, parse } from "./state.js";
/* The FNV hash of lib/codec.js, loaded when a link is made or read (not part of a page's load). */
function codec() { return import("./codec.js"); }

export var FORMAT = "werkplekleren-instrument";
export var LIMITS = {
  eigen_criteria: 200, eigen_vragen: 50, criteria: 300, tekst: 1000, vraag: 200,
  titel: 120, organisatie: 120, inleiding: 1000, bytes: 1000000
};
/* Links up to this many characters get a QR code (about 70 x 70 modules: a phone reads that). */
export var QR_MAX = 400;
export var IMPORTANCE = ["heel-belangrijk", "belangrijk"];
var OWN = /^eigen-[1-9][0-9]{0,3}$/, OWN_Q = /^eigen-vraag-[1-9][0-9]{0,3}$/;
var LINE = /^[^\x00-\x1f\x7f]*$/, LINES = /^[^\x00-\x09\x0b\x0c\x0e-\x1f\x7f]*$/;
var ID = /^[a-z0-9]{4,32}$/, EDITION = /^\d{4}\.\d{1,4}$/;
var BROKEN = "Deze link naar een eigen instrument is onvolledig of beschadigd.";

function text(v, max, what, lines, required) {
  if (v == null) v = "";
  if (typeof v !== "string") fail("Het veld ‘" + what + "’ is geen tekst.");
  v = v.trim();
  if (v.length > max) fail("Het veld ‘" + what + "’ is te lang (meer dan " + max + " tekens).");
  if (!(lines ? LINES : LINE).test(v)) fail("Het veld ‘" + what + "’ bevat ongeldige tekens.");
  if (required && !v) fail("Het veld ‘" + what + "’ is leeg.");
  return v;
}
function slug(v, what) {
  if (typeof v !== "string" || !SLUG.test(v) || v.length < 2 || v.length > 60) fail("‘" + what + "’ is geen geldige code.");
  return v;
}
function list(v, max, what) {
  if (v == null) return [];
  if (!Array.isArray(v)) fail("Het veld ‘" + what + "’ is geen lijst.");
  if (v.length > max) fail("Een instrument heeft hoogstens " + max + " " + what + ".");
  return v;
}

/* A clean copy of an instrument object, or an Error with a Dutch message (e.wpl). */
export function check(o) {
  if (!isObj(o) || o.formaat !== FORMAT) fail("Dit is geen instrumentbestand van werkplekleren.");
  if (o.schema !== 1) fail("Dit instrument gebruikt een onbekende versie van het formaat.");
  if (typeof o.id !== "string" || !ID.test(o.id)) fail("Dit instrument heeft geen geldige code.");
  if (typeof o.leidraad !== "string" || !EDITION.test(o.leidraad)) fail("Dit instrument noemt geen geldige digitale editie van de leidraad.");
  var out = {
    formaat: FORMAT, schema: 1, id: o.id, leidraad: o.leidraad, vorm: slug(o.vorm, "vorm"),
    titel: text(o.titel, LIMITS.titel, "titel", false, true),
    organisatie: text(o.organisatie, LIMITS.organisatie, "organisatie"),
    inleiding: text(o.inleiding, LIMITS.inleiding, "inleiding", true),
    criteria: [], eigen_vragen: [], eigen_criteria: [], teller: 0
  };
  if (o.rol != null && o.rol !== "") out.rol = slug(o.rol, "rol");
  var seen = Object.create(null);
  list(o.criteria, LIMITS.criteria, "criteria van de leidraad").forEach(function (id) {
    slug(id, "criterium");
    if (seen[id]) fail("Het criterium ‘" + id + "’ staat er twee keer in.");
    seen[id] = 1;
    out.criteria.push(id);
  });
  list(o.eigen_vragen, LIMITS.eigen_vragen, "eigen vragen").forEach(function (q) {
    if (!isObj(q) || typeof q.id !== "string" || !OWN_Q.test(q.id)) fail("Een eigen vraag heeft geen geldige code.");
    if (seen[q.id]) fail("De code ‘" + q.id + "’ staat er twee keer in.");
    seen[q.id] = 1;
    out.eigen_vragen.push({ id: q.id, domein: slug(q.domein, "domein"), tekst: text(q.tekst, LIMITS.vraag, "eigen vraag", false, true) });
  });
  list(o.eigen_criteria, LIMITS.eigen_criteria, "eigen criteria").forEach(function (c) {
    if (!isObj(c) || typeof c.id !== "string" || !OWN.test(c.id)) fail("Een eigen criterium heeft geen geldige code.");
    if (seen[c.id]) fail("De code ‘" + c.id + "’ staat er twee keer in.");
    seen[c.id] = 1;
    var vraag = slug(c.vraag, "vraag");
    if (/^eigen-vraag-/.test(vraag) && !out.eigen_vragen.some(function (q) { return q.id === vraag; })) {
      fail("Het eigen criterium ‘" + c.id + "’ hoort bij een onbekende eigen vraag.");
    }
    var belang = c.belang == null ? "belangrijk" : c.belang;
    if (IMPORTANCE.indexOf(belang) < 0) fail("Het eigen criterium ‘" + c.id + "’ heeft een onbekend belang.");
    out.eigen_criteria.push({ id: c.id, vraag: vraag, tekst: text(c.tekst, LIMITS.tekst, "eigen criterium", true, true), belang: belang });
  });
  if (o.teller != null) {
    if (typeof o.teller !== "number" || o.teller !== Math.floor(o.teller) || o.teller < 0 || o.teller > 9999) fail("Het veld ‘teller’ is ongeldig.");
    out.teller = o.teller;
  }
  return out;
}

/* An instrument file's text -> a checked instrument (throws with a Dutch message). */
export function fromText(textValue) {
  if (textValue.length > LIMITS.bytes) fail("Dit bestand is te groot voor een instrument (meer dan 1 MB).");
  var o;
  try { o = parse(textValue); } catch (e) {
    if (e instanceof SyntaxError) fail("Dit bestand is geen geldig JSON-bestand.");
    throw e;
  }
  return check(o);
}

export function newId() {
  var a = new Uint8Array(8), s = "";
  crypto.getRandomValues(a);
  a.forEach(function (b) { s += (b % 36).toString(36); });
  return s + Date.now().toString(36).slice(-4);
}
/* The number for the next own criterion or question: never one that was given out before. */
export function nextNumber(inst) {
  var n = inst.teller || 0;
  inst.eigen_criteria.concat(inst.eigen_vragen).forEach(function (x) { n = Math.max(n, +x.id.replace(/\D+/g, "")); });
  return n + 1;
}
/* The key part for the saved checklists of an instrument: lists of two instruments never mix. */
export function storageKey(inst) { return "instrument:" + inst.id; }

/* --- The link: #i=1.<base64url of raw DEFLATE of a compact JSON> ---------------------------- */

function b64url(bytes) {
  var s = "";
  for (var i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
function unb64url(s) {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) fail(BROKEN);
  var bin = atob(s.replace(/-/g, "+").replace(/_/g, "/")), out = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
function pipe(bytes, stream, max) {
  var reader = new Blob([bytes]).stream().pipeThrough(stream).getReader(), parts = [], total = 0;
  function next() {
    return reader.read().then(function (r) {
      if (r.done) {
        var out = new Uint8Array(total), at = 0;
        parts.forEach(function (p) { out.set(p, at); at += p.length; });
        return out;
      }
      total += r.value.length;
      if (total > max) { reader.cancel(); fail("Deze link bevat meer gegevens dan een instrument ooit heeft. We openen hem niet."); }
      parts.push(r.value);
      return next();
    });
  }
  return next();
}

/* base: {order: IDs in the guideline's order as this page has them, base(rol, vorm): the IDs an
   instrument of this form (and role) starts with, edition: the page's digital edition}. */
function compact(inst, base, hash) {
  var o = { id: inst.id, l: inst.leidraad, f: inst.vorm };
  if (inst.rol) o.r = inst.rol;
  o.t = inst.titel;
  if (inst.organisatie) o.o = inst.organisatie;
  if (inst.inleiding) o.n = inst.inleiding;
  var full = inst.criteria, inOrder = base.order.filter(function (id) { return full.indexOf(id) >= 0; });
  if (inst.leidraad === base.edition && inOrder.length === full.length && inOrder.every(function (id, i) { return id === full[i]; })) {
    var start = base.base(inst.rol, inst.vorm);
    o.s = [start.filter(function (id) { return full.indexOf(id) < 0; }), full.filter(function (id) { return start.indexOf(id) < 0; }), hash(full)];
  } else o.c = full;
  if (inst.eigen_vragen.length) o.q = inst.eigen_vragen.map(function (q) { return [q.id.slice(12), q.domein, q.tekst]; });
  if (inst.eigen_criteria.length) o.e = inst.eigen_criteria.map(function (c) { return [c.id.slice(6), c.vraag, c.tekst, c.belang === "heel-belangrijk" ? 1 : 0]; });
  if (inst.teller) o.k = inst.teller;
  return o;
}

/* The code after "#i=" for an instrument. */
export function encode(inst, base) {
  return codec().then(function (c) {
    var data = new TextEncoder().encode(JSON.stringify(compact(inst, base, c.hash)));
    return pipe(data, new CompressionStream("deflate-raw"), Infinity);
  }).then(function (packed) { return "1." + b64url(packed); });
}

/* The instrument in a code, checked; resolves to {instrument, changed} where changed says that
   the guideline's list of criteria for this form changed since the link was made (the criteria
   left out are then taken from this edition). Rejects with a Dutch message. */
export function decode(code, base) {
  return Promise.resolve().then(function () {
    var m = /^1\.([A-Za-z0-9_-]+)$/.exec(code);
    if (!m) fail(+(/^(\d+)\./.exec(code) || [])[1] > 1 ? "Deze link werd gemaakt met een nieuwere versie van deze site. Laad de pagina opnieuw." : BROKEN);
    if (m[1].length > 2 * LIMITS.bytes) fail("Deze link is te lang voor een instrument. We openen hem niet.");
    return Promise.all([pipe(unb64url(m[1]), new DecompressionStream("deflate-raw"), LIMITS.bytes), codec()]);
  }).then(function (got) {
    var bytes = got[0], hash = got[1].hash;
    var o;
    try { o = parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)); } catch (e) { if (e.wpl) throw e; fail(BROKEN); }
    if (!isObj(o)) fail(BROKEN);
    var changed = false, criteria = o.c;
    if (o.s != null) {
      var s = o.s;
      if (!Array.isArray(s) || s.length !== 3 || !Array.isArray(s[0]) || !Array.isArray(s[1]) || typeof s[2] !== "string") fail(BROKEN);
      if (s[0].length > LIMITS.criteria || s[1].length > LIMITS.criteria) fail(BROKEN);
      var start = base.base(typeof o.r === "string" ? o.r : "", o.f);
      criteria = base.order.filter(function (id) { return (start.indexOf(id) >= 0 && s[0].indexOf(id) < 0) || s[1].indexOf(id) >= 0; });
      s[1].forEach(function (id) { if (criteria.indexOf(id) < 0) criteria.push(id); });
      changed = hash(criteria) !== s[2];
    }
    function own(a, n) { if (!Array.isArray(a) || a.length < n) fail(BROKEN); return a; }
    return {
      instrument: check({
        formaat: FORMAT, schema: 1, id: o.id, leidraad: o.l, vorm: o.f, rol: o.r, titel: o.t, organisatie: o.o, inleiding: o.n,
        criteria: criteria,
        eigen_vragen: list(o.q, LIMITS.eigen_vragen, "eigen vragen").map(function (q) { own(q, 3); return { id: "eigen-vraag-" + q[0], domein: q[1], tekst: q[2] }; }),
        eigen_criteria: list(o.e, LIMITS.eigen_criteria, "eigen criteria").map(function (c) {
          own(c, 4);
          return { id: "eigen-" + c[0], vraag: c[1], tekst: c[2], belang: c[3] === 1 ? "heel-belangrijk" : c[3] === 0 ? "belangrijk" : "?" };
        }),
        teller: o.k
      }),
      changed: changed
    };
  }, function (e) {
    if (e && e.wpl) throw e;
    fail(BROKEN);
  }).catch(function (e) {
    if (e && e.wpl) throw e;
    fail(BROKEN);
  });
}

/* The instrument as a file to download (pretty JSON). */
export function fileText(inst) { return JSON.stringify(inst, null, 2) + "\n"; }
export function fileName(inst) {
  return "instrument-" + (inst.titel.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "eigen") + ".json";
}
