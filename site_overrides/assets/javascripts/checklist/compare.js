/* Comparing lists: loaded (import()) only when someone chooses files to compare. */
import { LABEL } from "../lib/state.js";
import { readFile } from "../lib/transfer.js";
import { el } from "./summary.js";

/* Where lists differ: cols = [{naam, criteria}], ids in page order, textOf(id) = criterion text. */
function table(ids, cols, textOf) {
  var table = el("table", null, "wpl-cl-cmp"), head = el("tr"), diff = 0;
  head.append(el("th", "Criterium"));
  cols.forEach(function (c) { var th = el("th", c.naam); th.scope = "col"; head.append(th); });
  table.append(el("caption"), head);
  ids.forEach(function (id) {
    var vals = cols.map(function (c) { var x = c.criteria[id] || {}; return [x.status || "", x.notitie || ""]; });
    if (vals.every(function (v) { return v[0] === vals[0][0]; })) return;
    var tr = el("tr"), th = el("th"), a = el("a", textOf(id));
    a.href = "#" + id; th.scope = "row"; th.append(a); tr.append(th); diff++;
    vals.forEach(function (v) { var td = el("td", LABEL[v[0]]); if (v[1]) td.append(el("br"), el("small", v[1])); tr.append(td); });
    table.append(tr);
  });
  table.firstChild.textContent = "Op " + diff + " van " + ids.length + " criteria verschillen de statussen.";
  return diff ? table : el("p", "De statussen zijn overal gelijk.");
}

/* Read the chosen files (JSON exports or PDFs) and show where they differ; with one file, it is
   compared with the current list. Nothing is saved. */
export function run(out, files, meta, ids, current, textOf) {
  var cols = [], bad = [];
  out.textContent = "";
  if (files.length === 1) cols.push({ naam: "Deze checklist (" + current.naam + ")", criteria: current.criteria });
  return Promise.all(files.map(function (f) {
    return readFile(f, meta).then(function (l) { return { naam: l.naam + " (" + f.name + ")", criteria: l.criteria }; },
      function (e) { bad.push(el("p", e.message + " Dit bestand laten we weg.", "wpl-cl-bad")); });
  })).then(function (got) {
    cols = cols.concat(got.filter(Boolean));
    out.replaceChildren.apply(out, bad.concat(cols.length < 2
      ? el("p", "Kies minstens twee geldige bestanden om te vergelijken.")
      : table(ids, cols, textOf)));
  });
}
