/* The share link's codec (no DOM); the format is in README.md. */
import { STATUSES } from "./state.js";

var ALPHA = "0123456789abcdefghijklmno";
var BROKEN = "Deze deellink is onvolledig of beschadigd.";

export function hash(ids) {
  var h = 0x811c9dc5, s = ids.join(",");
  for (var i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}

/* statuses: {id: status}; returns the code after "#cl=". */
export function encode(ids, statuses) {
  var d = ids.map(function (id) { return STATUSES.indexOf(statuses[id]) + 1; }), out = "";
  while (d.length && !d[d.length - 1]) d.pop();
  for (var i = 0; i < d.length; i += 2) out += ALPHA[d[i] * 5 + (d[i + 1] || 0)];
  return "1." + hash(ids) + "." + out;
}

/* The statuses in a code, {id: status}; throws an Error with a Dutch message. */
export function decode(ids, code) {
  var m = /^1\.([0-9a-z]+)\.([0-9a-o]*)$/.exec(code), out = {};
  if (!m || m[2].length > Math.ceil(ids.length / 2)) throw new Error(BROKEN);
  if (m[1] !== hash(ids)) throw new Error("Deze deellink hoort bij een andere checklist of een andere digitale editie van de leidraad.");
  for (var i = 0; i < m[2].length; i++) {
    var v = ALPHA.indexOf(m[2][i]), a = Math.floor(v / 5), b = v % 5;
    if (a) out[ids[2 * i]] = STATUSES[a - 1];
    if (b) {
      if (2 * i + 1 >= ids.length) throw new Error(BROKEN);
      out[ids[2 * i + 1]] = STATUSES[b - 1];
    }
  }
  return out;
}
