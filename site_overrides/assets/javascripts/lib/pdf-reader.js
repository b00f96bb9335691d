/* Reads a filled-in checklist PDF of this site back into an export object (no DOM). Loaded only
   when someone imports a PDF (transfer.js uses import()), so it costs nothing on other visits.

   Not a general PDF library: just enough for our own forms after any PDF tool has filled them.
   Objects are found by scanning the file ("12 0 obj ... endobj"), so a broken cross-reference
   table does not matter; an object defined again further on (an incremental update, as PDF
   viewers save) wins. Compressed object streams (/Type /ObjStm, FlateDecode, as `qpdf
   --object-streams=generate` and many viewers write) are unpacked with the browser's
   DecompressionStream. Strings: literal, hex, UTF-16BE and PDFDocEncoding.

   What is read (see CONTRACTS: the PDF's form fields and Info keys): the Info dictionary's
   /WplFormaat (must be "werkplekleren-checklist-pdf"), /WplSchema, /WplEditie, /WplVorm and
   /WplRol, and /WplInstrument (an own instrument's PDF: its file as JSON, which transfer.js
   and lib/instrument.js then check as for a JSON export of that instrument); the AcroForm
   fields <criterion id>_status (a radio group: /V is /in-orde, /deels, /nog-niet or /nvt),
   <criterion id>_notitie (text) and the cover fields voorblad_lerende, voorblad_bedrijf and
   voorblad_periode, which name the list. Everything else is ignored. */
import { FORMAT, STATUSES, fail, parse } from "./state.js";

var PDF_FORMAT = "werkplekleren-checklist-pdf";
var WS = "\0\t\n\f\r ";
var DELIM = "()<>[]{}/%";
// PDFDocEncoding where it differs from Latin-1 (0x18-0x1f and 0x80-0xa0).
var DOC = { 24: "˘", 25: "ˇ", 26: "ˆ", 27: "˙", 28: "˝", 29: "˛", 30: "˚", 31: "˜", 160: "€" };
"•†‡…—–ƒ⁄‹›−‰„“”‘’‚™ﬁﬂŁŒŠŸŽıłœšž".split("").forEach(function (c, i) { DOC[128 + i] = c; });

function Name(v) { this.v = v; }
function Str(raw) { this.raw = raw; }
function Ref(n) { this.n = n; }
function Stream(dict, data) { this.dict = dict; this.data = data; }

/* A recursive-descent reader of PDF objects in the binary string s, from position p. */
function Lexer(s, p) { this.s = s; this.p = p; }
Lexer.prototype.skip = function () {
  var s = this.s;
  for (;;) {
    while (this.p < s.length && WS.indexOf(s[this.p]) >= 0) this.p++;
    if (s[this.p] !== "%") return;
    while (this.p < s.length && s[this.p] !== "\n" && s[this.p] !== "\r") this.p++;
  }
};
Lexer.prototype.word = function () {
  var s = this.s, start = this.p;
  while (this.p < s.length && WS.indexOf(s[this.p]) < 0 && DELIM.indexOf(s[this.p]) < 0) this.p++;
  return s.slice(start, this.p);
};
Lexer.prototype.value = function (depth) {
  var s = this.s, c, out, w;
  if ((depth = (depth || 0) + 1) > 60) throw new Error("nesting");
  this.skip();
  c = s[this.p];
  if (c === "/") {
    this.p++;
    return new Name(this.word().replace(/#([0-9a-fA-F]{2})/g, function (m, h) { return String.fromCharCode(parseInt(h, 16)); }));
  }
  if (c === "(") return this.literal();
  if (c === "<" && s[this.p + 1] === "<") {
    this.p += 2;
    out = Object.create(null);
    for (;;) {
      this.skip();
      if (s[this.p] === ">" && s[this.p + 1] === ">") { this.p += 2; return out; }
      var key = this.value(depth);
      if (!(key instanceof Name)) throw new Error("dict key");
      out[key.v] = this.value(depth);
    }
  }
  if (c === "<") {
    var end = s.indexOf(">", this.p);
    if (end < 0) throw new Error("hex");
    var hex = s.slice(this.p + 1, end).replace(/[^0-9a-fA-F]/g, ""), raw = "";
    if (hex.length % 2) hex += "0";
    for (var i = 0; i < hex.length; i += 2) raw += String.fromCharCode(parseInt(hex.substr(i, 2), 16));
    this.p = end + 1;
    return new Str(raw);
  }
  if (c === "[") {
    this.p++;
    out = [];
    for (;;) {
      this.skip();
      if (s[this.p] === "]") { this.p++; return out; }
      if (this.p >= s.length) throw new Error("array");
      out.push(this.value(depth));
    }
  }
  w = this.word();
  if (w === "true" || w === "false") return w === "true";
  if (w === "null") return null;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(w)) throw new Error("token " + w.slice(0, 10));
  var ref = /^\s+(\d+)\s+R(?![^\0\t\n\f\r ()<>[\]{}/%])/.exec(s.slice(this.p, this.p + 24));
  if (/^\d+$/.test(w) && ref) { this.p += ref[0].length; return new Ref(+w); }
  return +w;
};
Lexer.prototype.literal = function () {
  var s = this.s, depth = 0, out = "", c, ESC = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f" };
  for (this.p++; this.p < s.length; this.p++) {
    c = s[this.p];
    if (c === "\\") {
      c = s[++this.p];
      if (ESC[c]) out += ESC[c];
      else if (c >= "0" && c <= "7") {
        var oct = /^[0-7]{1,3}/.exec(s.substr(this.p, 3))[0];
        out += String.fromCharCode(parseInt(oct, 8) & 255);
        this.p += oct.length - 1;
      } else if (c === "\r") { if (s[this.p + 1] === "\n") this.p++; } // line continuation
      else if (c !== "\n") out += c;
    } else if (c === "(") { depth++; out += c; }
    else if (c === ")") { if (!depth--) { this.p++; return new Str(out); } out += c; }
    else if (c === "\r") { out += "\n"; if (s[this.p + 1] === "\n") this.p++; }
    else out += c;
  }
  throw new Error("string");
};

function binary(bytes) {
  var out = "";
  for (var i = 0; i < bytes.length; i += 8192) out += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
  return out;
}
function bytesOf(s) {
  var b = new Uint8Array(s.length);
  for (var i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}
function inflate(s) {
  var stream = new Blob([bytesOf(s)]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Response(stream).arrayBuffer().then(function (buf) { return binary(new Uint8Array(buf)); });
}

/* The text of a PDF string (UTF-16BE with its byte order mark, UTF-8 with its mark (PDF 2.0), or
   PDFDocEncoding). */
function text(v) {
  if (!(v instanceof Str)) return "";
  var r = v.raw, out = "", i;
  if (r.charCodeAt(0) === 0xfe && r.charCodeAt(1) === 0xff) {
    for (i = 2; i + 1 < r.length; i += 2) out += String.fromCharCode(r.charCodeAt(i) << 8 | r.charCodeAt(i + 1));
    return out;
  }
  if (r.slice(0, 3) === "\xef\xbb\xbf") return new TextDecoder().decode(bytesOf(r.slice(3)));
  for (i = 0; i < r.length; i++) out += DOC[r.charCodeAt(i)] || r[i];
  return out;
}

/* Every object in the file, by number; a later definition wins. Also the trailer, merged over
   classic trailers and cross-reference streams in file order. */
function scan(s) {
  var objects = Object.create(null), trailer = Object.create(null), streams = [], trailers = [];
  var re = /(\d+)\s+\d+\s+obj(?![^\0\t\n\f\r ()<>[\]{}/%])/g, m, t;
  function keep(n, value, at) {
    if (!objects[n] || objects[n].at <= at) objects[n] = { value: value, at: at };
  }
  while ((m = re.exec(s))) {
    var lex = new Lexer(s, m.index + m[0].length), value;
    try { value = lex.value(); } catch (e) { continue; } // damaged object: skip it
    lex.skip();
    if (s.substr(lex.p, 6) === "stream" && value && typeof value === "object" && !(value instanceof Name)) {
      var start = lex.p + 6, len = value.Length, end;
      if (s[start] === "\r") start++;
      if (s[start] === "\n") start++;
      if (typeof len === "number" && /^\s*endstream/.test(s.substr(start + len, 20))) end = start + len;
      else {
        end = s.indexOf("endstream", start);
        if (end < 0) continue;
        while (end > start && (s[end - 1] === "\n" || s[end - 1] === "\r")) end--;
      }
      value = new Stream(value, s.slice(start, end));
      lex.p = end;
      var type = value.dict.Type instanceof Name ? value.dict.Type.v : "";
      if (type === "XRef") trailers.push([value.dict, m.index]);
      if (type === "ObjStm") streams.push([value, m.index]);
    }
    re.lastIndex = Math.max(re.lastIndex, lex.p);
    keep(+m[1], value, m.index);
  }
  // Classic trailers and cross-reference streams, merged in file order: the last update wins.
  var tre = /trailer\s*<</g;
  while ((t = tre.exec(s))) {
    try { trailers.push([new Lexer(s, t.index + 7).value(), t.index]); } catch (e) { /* damaged */ }
  }
  trailers.sort(function (a, b) { return a[1] - b[1]; }).forEach(function (x) {
    Object.keys(x[0]).forEach(function (k) { trailer[k] = x[0][k]; });
  });
  return { objects: objects, trailer: trailer, streams: streams, keep: keep };
}

function names(v) { return (Array.isArray(v) ? v : [v]).map(function (x) { return x instanceof Name ? x.v : ""; }); }

/* Unpack the compressed object streams: their objects count as defined where the stream is. */
function unpack(file) {
  return Promise.all(file.streams.map(function (pair) {
    var st = pair[0], filters = st.dict.Filter == null ? [] : names(st.dict.Filter);
    if (filters.some(function (f) { return f !== "FlateDecode"; }) || st.dict.DecodeParms) return Promise.reject(new Error("filter"));
    return (filters.length ? inflate(st.data) : Promise.resolve(st.data)).then(function (data) {
      var n = st.dict.N, first = st.dict.First, head = new Lexer(data, 0), i;
      for (i = 0; i < n; i++) {
        var num = head.value(), off = head.value();
        if (typeof num !== "number" || typeof off !== "number") throw new Error("objstm");
        try { file.keep(num, new Lexer(data, first + off).value(), pair[1]); } catch (e) { /* skip */ }
      }
    });
  }));
}

/* Field values by (partial) name: {name: {v: value, on: [appearance states of its widgets]}}. */
function fields(file, acro) {
  var out = Object.create(null), seen = Object.create(null);
  function get(v) { return v instanceof Ref ? (file.objects[v.n] ? file.objects[v.n].value : null) : v; }
  function walk(x, owner, depth) {
    if (x instanceof Ref) { if (seen[x.n]) return; seen[x.n] = 1; }
    var f = get(x);
    if (!f || typeof f !== "object" || Array.isArray(f) || f instanceof Name || depth > 30) return;
    var t = get(f.T), me = owner;
    if (t instanceof Str) me = out[text(t)] = { v: get(f.V), on: [] };
    else if (me && me.v == null && f.V != null) me.v = get(f.V);
    var as = get(f.AS);
    if (me && as instanceof Name && as.v !== "Off") me.on.push(as.v);
    var kids = get(f.Kids);
    if (Array.isArray(kids)) kids.forEach(function (k) { walk(k, me, depth + 1); });
  }
  var list = get(acro.Fields);
  if (Array.isArray(list)) list.forEach(function (f) { walk(f, null, 0); });
  return { get: get, values: out };
}

/* The export object of a filled-in checklist PDF; throws an Error with a Dutch message. */
export function readPdf(bytes, fileName) {
  var name = "‘" + fileName + "’";
  var broken = "Het bestand " + name + " is een beschadigde pdf; we konden het niet lezen.";
  var s = binary(bytes), file = scan(s);
  if (file.trailer.Encrypt) fail("De pdf " + name + " is beveiligd (versleuteld); die kunnen we niet lezen. Bewaar hem zonder beveiliging en probeer opnieuw.");
  if (file.streams.length && typeof DecompressionStream !== "function") {
    fail("Deze browser kan de pdf " + name + " niet lezen (hij is gecomprimeerd). Probeer een recente versie van je browser.");
  }
  return unpack(file).catch(function () { fail(broken); }).then(function () {
    var get = function (v) { return v instanceof Ref ? (file.objects[v.n] ? file.objects[v.n].value : null) : v; };
    var info = get(file.trailer.Info), root = get(file.trailer.Root);
    if (!root || typeof root !== "object") fail(broken);
    var key = function (k) { return info && typeof info === "object" ? text(get(info[k])) : ""; };
    if (key("WplFormaat") !== PDF_FORMAT) {
      fail("Het bestand " + name + " is geen checklist-pdf van deze site. We lezen alleen de invulbare pdf's die je hier downloadt, nadat ze ingevuld zijn.");
    }
    if (key("WplSchema") !== "1") fail("De pdf " + name + " gebruikt een onbekende versie van het formaat. Laad de pagina opnieuw voor de nieuwste versie van deze site.");
    var acro = get(root.AcroForm);
    if (!acro || typeof acro !== "object") fail("De pdf " + name + " heeft geen invulvelden meer (misschien werd hij ‘afgedrukt als pdf’). Gebruik de ingevulde pdf zelf.");
    var got = fields(file, acro).values, criteria = {};
    Object.keys(got).forEach(function (full) {
      var m = /^(.+)_(status|notitie)$/.exec(full.split(".").pop()), f = got[full], v = f.v;
      if (!m) return;
      var e = criteria[m[1]] || {};
      if (m[2] === "status") {
        var status = v instanceof Name ? v.v : f.on[0];
        if (STATUSES.indexOf(status) < 0) return;
        e.status = status;
      } else {
        var note = text(v).replace(/\r\n?/g, "\n").trim();
        if (!note) return;
        e.notitie = note;
      }
      criteria[m[1]] = e;
    });
    var cover = ["voorblad_lerende", "voorblad_bedrijf", "voorblad_periode"].map(function (k) {
      return got[k] ? text(got[k].v).replace(/\s+/g, " ").trim() : "";
    }).filter(Boolean);
    var o = { formaat: FORMAT, schema: 1, leidraad: key("WplEditie"), vorm: key("WplVorm"), naam: (cover.join(" – ") || "Pdf " + fileName).slice(0, 100) };
    if (key("WplRol")) o.rol = key("WplRol");
    o.bron = "pdf";
    o.bewaard = new Date().toISOString();
    var own = key("WplInstrument");
    if (own) {
      try { o.instrument = parse(own); } catch (e) { if (e && e.wpl) throw e; fail(broken); }
    }
    o.criteria = criteria;
    return o;
  });
}
