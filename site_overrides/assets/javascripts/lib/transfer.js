/* Export (JSON, CSV) and import of checklists (no DOM). A PDF is read by ./pdf-reader.js, loaded
   only then; it yields an export object, so JSON and PDF take the same checks from there on. */
import { FORMAT, LABEL, checkList, fail, isObj, parse } from "./state.js";

var MB = 1048576;
var MAX = { json: MB, pdf: 10 * MB };

/* One list as an export file object (see the format in state.js). */
export function exportObject(meta, list) {
  var o = { formaat: FORMAT, schema: 1, leidraad: meta.leidraad, vorm: meta.vorm, naam: list.naam, bewaard: list.bewaard };
  if (list.rol) o.rol = list.rol;
  o.bron = list.bron || "online";
  if (meta.instrument) o.instrument = meta.instrument;
  o.criteria = list.criteria;
  return o;
}

export function fileName(vorm, naam, ext) {
  return "checklist-" + vorm + "-" + (naam.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "lijst") + "." + ext;
}

/* A spreadsheet cell: no formulas in spreadsheets (the same rule as generator/exports.py). */
export function cell(v) {
  v = String(v == null ? "" : v);
  if (/^\s*[=+\-@\t\r]/.test(v)) v = "'" + v;
  return '"' + v.replace(/"/g, '""') + '"';
}
export function csvText(rows) {
  return "\ufeff" + rows.map(function (r) { return r.map(cell).join(";"); }).join("\r\n") + "\r\n";
}
export var CSV_HEAD = ["code", "fase", "domein", "vraag", "criterium", "belang", "status", "notitie", "actie wat", "actie wie", "actie wanneer"];
/* One CSV row; `where` = [phase, domain, question, criterion text, importance] or null for an
   answer to a criterion that is no longer on the page. */
export function csvRow(id, where, e) {
  var a = e.actie || {}, w = where || ["", "", "", "(niet meer in deze checklist)", ""];
  return [id].concat(w, [LABEL[e.status || ""], e.notitie, a.wat, a.wie, a.wanneer]);
}

function mb(size) { return (size / MB).toFixed(1).replace(".", ",") + " MB"; }

/* An export of an own instrument does not belong on a form's checklist. */
function plain(o, name) {
  if (o.instrument != null) fail("Het bestand ‘" + name + "’ hoort bij een eigen instrument. Open dat instrument om het te importeren.");
}
/* Check an export object against this page; returns the list (+ leidraad, rol, bron, and the
   raw `instrument` of an own instrument's export: check it with lib/instrument.js). meta.check
   (an own instrument's page) replaces the check that the file is no instrument's; with meta
   null (the overview of many lists), a list of any form or instrument is taken. */
export function fromExport(o, meta, name) {
  if (!isObj(o) || o.formaat !== FORMAT) fail("Het bestand ‘" + name + "’ is geen export van een checklist werkplekleren.");
  if (o.schema !== 1) fail("Het bestand ‘" + name + "’ gebruikt een onbekende versie van het formaat.");
  if (meta && o.vorm !== meta.vorm) fail("Het bestand ‘" + name + "’ hoort bij een andere checklist (" + String(o.vorm).slice(0, 40) + ").");
  if (meta) (meta.check || plain)(o, name);
  var l = checkList(o);
  l.leidraad = typeof o.leidraad === "string" ? o.leidraad.slice(0, 20) : "";
  if (typeof o.vorm === "string" && o.vorm.length <= 60) l.vorm = o.vorm;
  if (isObj(o.instrument)) l.instrument = o.instrument;
  return l;
}

/* Read a chosen file: a JSON export or a filled-in PDF of this site. Resolves to a checked list,
   rejects with an Error whose message is Dutch and names the file. */
export function readFile(file, meta) {
  var name = file.name;
  return file.slice(0, 5).text().then(function (head) {
    var kind = head === "%PDF-" ? "pdf" : "json";
    if (file.size > MAX[kind]) {
      fail("Het bestand ‘" + name + "’ is te groot (" + mb(file.size) + "). " +
        (kind === "pdf" ? "Een ingevulde checklist-pdf is nooit groter dan 10 MB." : "Een checklist is nooit groter dan 1 MB."));
    }
    if (kind === "pdf") {
      return file.arrayBuffer().then(function (buf) {
        return import("./pdf-reader.js").then(function (m) { return m.readPdf(new Uint8Array(buf), name); });
      });
    }
    return file.text().then(function (text) {
      try { return parse(text); } catch (e) {
        if (e instanceof SyntaxError) fail("Het bestand ‘" + name + "’ is geen geldig JSON-bestand of pdf. Kies een bestand dat je met ‘Exporteer (JSON)’ maakte, of een ingevulde pdf van deze site.");
        throw e;
      }
    });
  }, function () { fail("We konden het bestand ‘" + name + "’ niet lezen."); }).then(function (o) {
    return fromExport(o, meta, name);
  });
}

/* What an import brought in, in one sentence (the same for JSON and PDF). */
export function describe(list) {
  var n = { status: 0, notitie: 0, actie: 0 };
  Object.keys(list.criteria).forEach(function (id) {
    var e = list.criteria[id];
    Object.keys(n).forEach(function (k) { if (e[k]) n[k]++; });
  });
  return n.status + (n.status === 1 ? " status" : " statussen") + ", " + n.notitie + (n.notitie === 1 ? " notitie" : " notities") +
    " en " + n.actie + (n.actie === 1 ? " actie" : " acties");
}
