/* Progress and the summary per domain: what the checklist shows about its answers as a whole.
   Each function computes first and then writes its part of the page in one go. */
import { LABEL, STATUSES } from "../lib/state.js";

var SVG = "http://www.w3.org/2000/svg";

export function el(tag, text, cls) {
  var n = document.createElement(tag);
  if (text != null) n.textContent = text;
  if (cls) n.className = cls;
  return n;
}

/* Counts of the statuses of `ids` (entry(id) gives an answer). tel = all but n.v.t. */
export function count(ids, entry) {
  var n = { "in-orde": 0, deels: 0, "nog-niet": 0, nvt: 0, "": 0, all: 0 };
  ids.forEach(function (id) { n[entry(id).status || ""]++; n.all++; });
  n.tel = n.all - n.nvt;
  return n;
}
export function line(n) {
  return n["in-orde"] + " van " + n.tel + " in orde, " + n.deels + " deels, " + n["nog-niet"] + " nog niet" +
    (n.nvt ? "; " + n.nvt + " n.v.t. niet meegeteld" : "");
}

/* A horizontal bar of the statuses (decorative: the counts are given as text next to it). */
export function chart(n) {
  var svg = document.createElementNS(SVG, "svg"), x = 0;
  svg.setAttribute("viewBox", "0 0 200 12");
  svg.setAttribute("preserveAspectRatio", "none"); // the bar fills its frame, as the counts do
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "wpl-cl-chart");
  STATUSES.concat("").forEach(function (s) {
    var r = document.createElementNS(SVG, "rect"), w = n.all ? 200 * n[s] / n.all : 0;
    r.setAttribute("x", x); r.setAttribute("width", w); r.setAttribute("height", 12);
    r.setAttribute("class", "wpl-cl-c-" + (s || "open"));
    svg.append(r);
    x += w;
  });
  return svg;
}

/* The summary: per domain a chart, the counts and the open actions (very important first).
   domains: [{title, items: [{id, very, href}]}]. */
export function summary(box, domains, entry) {
  var out = document.createDocumentFragment();
  domains.forEach(function (d) {
    var n = count(d.items.map(function (i) { return i.id; }), entry), acts = [];
    out.append(el("h3", d.title), chart(n), el("p", STATUSES.concat("").map(function (s) { return LABEL[s] + ": " + n[s]; }).join(" · ")));
    d.items.forEach(function (i) {
      var e = entry(i.id), a = e.actie;
      if (a && (a.wat || a.wie || a.wanneer) && e.status !== "in-orde" && e.status !== "nvt") acts.push([i, a]);
    });
    acts.sort(function (p, q) {
      return p[0].very !== q[0].very ? (p[0].very ? -1 : 1) : (p[1].wanneer || "9").localeCompare(q[1].wanneer || "9");
    });
    if (!acts.length) return out.append(el("p", "Geen open acties."));
    var ul = el("ul", null, "wpl-cl-actions");
    acts.forEach(function (p) {
      var li = el("li"), link = el("a", p[1].wat || "(actie zonder omschrijving)");
      link.href = "#" + p[0].id;
      li.append(el("strong", p[0].very ? "Heel belangrijk: " : "Belangrijk: "), link,
        (p[1].wie ? " — wie: " + p[1].wie : "") + (p[1].wanneer ? " — tegen " + p[1].wanneer : ""));
      ul.append(li);
    });
    out.append(ul);
  });
  box.replaceChildren(out);
}
