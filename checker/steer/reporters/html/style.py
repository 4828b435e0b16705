"""The page's look: colours (with the text/background pairs the contrast test
checks), the stylesheet, screen and A4 print, and the small filter script.

Everything is inline: the page ships no font, image or script from anywhere else.
The script only adds the findings filters; without it every row is shown.
"""

from __future__ import annotations

import base64
import hashlib

COLORS = {
    "crossing-covered": "#2e7d32",
    "crossing-uncovered": "#c62828",
    "flow": "#607080",
    "call": "#6a4c93",
    "lineage": "#8a96a3",
}
"""Line colours in the diagrams (not text: lines only need to be told apart)."""

TEXT_PAIRS = {
    "body": ("#1b1f24", "#ffffff"),
    "muted": ("#4f5b66", "#ffffff"),
    "muted-on-home": ("#4f5b66", "#eef4fb"),
    "muted-on-outside": ("#4f5b66", "#f4f4f4"),
    "cluster-label": ("#24405f", "#ffffff"),
    "error": ("#9b1c1c", "#fdecec"),
    "warning": ("#7a4100", "#fff3df"),
    "pass": ("#1d5e20", "#e6f4e7"),
    "waived": ("#44474a", "#ececec"),
    "law": ("#0b4a8f", "#e4effb"),
    "policy": ("#5b2d86", "#f1e9f9"),
    "bad-text": ("#9b1c1c", "#ffffff"),
    "good-text": ("#1d5e20", "#ffffff"),
    "table-head": ("#1b1f24", "#eef1f4"),
    "holiday-label": ("#4f5b66", "#fbe3e3"),
}
"""Every text colour on the background it is shown on (WCAG AA needs 4.5:1)."""

JURISDICTION_NAMES = {
    "CN": "CN · mainland China",
    "HK": "HK · Hong Kong",
    "MO": "MO · Macau",
    "TW": "TW · Taiwan",
    "unknown": "jurisdiction unknown",
}

CSS = """
:root{color-scheme:light}
*{box-sizing:border-box}
body{margin:0;font-size:15px;line-height:1.45;color:#1b1f24;background:#fff;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",
"PingFang SC","Microsoft YaHei",sans-serif}
header.page,main{max-width:1240px;margin:0 auto;padding:0 20px}
header.page{padding-top:18px}
h1{font-size:1.7rem;margin:.2em 0}
h2{font-size:1.3rem;margin:1.6em 0 .5em;padding-bottom:.2em;border-bottom:2px solid #d5dbe1}
h3{font-size:1.05rem;margin:1.2em 0 .4em}
h4{font-size:.95rem;margin:1em 0 .3em}
p{margin:.4em 0}
.muted{color:#4f5b66}
.lede{font-size:1.05rem}
code,.mono{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.9em}
table{border-collapse:collapse;width:100%;margin:.5em 0 1em;font-size:.9rem}
th,td{border:1px solid #d5dbe1;padding:4px 6px;text-align:left;vertical-align:top}
thead th{background:#eef1f4}
td.id,td.nw{white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.group th{background:#f7f8fa;font-weight:600}
.badge{display:inline-block;padding:0 6px;border-radius:9px;font-size:.8rem;font-weight:600;
white-space:nowrap}
.badge.long{white-space:normal;border-radius:4px;font-weight:500}
.b-error{color:#9b1c1c;background:#fdecec}
.b-warning{color:#7a4100;background:#fff3df}
.b-pass{color:#1d5e20;background:#e6f4e7}
.b-waived{color:#44474a;background:#ececec}
.b-law{color:#0b4a8f;background:#e4effb}
.b-policy{color:#5b2d86;background:#f1e9f9}
.b-confirmed{color:#1d5e20;background:#e6f4e7}
.b-pending{color:#7a4100;background:#fff3df}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:.6em 0}
.card{border:1px solid #d5dbe1;border-radius:8px;padding:8px 14px;min-width:120px}
.card .n{font-size:1.6rem;font-weight:700;display:block}
.verdict{border-left:6px solid #9b1c1c;background:#fdecec;padding:8px 12px;margin:.6em 0;
color:#1b1f24}
.verdict.ok{border-color:#1d5e20;background:#e6f4e7}
.figure{overflow-x:auto;margin:.5em 0 1em}
svg.diagram{max-width:100%;height:auto;display:block}
svg text{fill:#1b1f24;font-family:inherit}
svg text.muted{fill:#4f5b66}
svg text.strong{font-weight:700}
svg text.bad{fill:#9b1c1c;font-weight:700}
svg text.good{fill:#1d5e20;font-weight:700}
svg text.cluster-label{fill:#24405f;font-weight:600}
svg rect.jurisdiction{fill:#f4f4f4;stroke:#8a96a3}
svg rect.cluster{fill:#fff;stroke:#b7c1cc;stroke-dasharray:4 3}
svg .node rect{fill:#fff;stroke:#4f5b66}
svg .node.failing rect,svg rect.node.failing{fill:#fdecec;stroke:#c62828;stroke-width:2}
svg .collapsed rect{fill:#eef4fb;stroke:#4f5b66}
svg line.border{stroke:#c62828;stroke-width:2;stroke-dasharray:8 6}
svg .edge{fill:none}
svg .edge.crossing-covered{stroke:#2e7d32}
svg .edge.crossing-uncovered{stroke:#c62828}
svg .edge.flow{stroke:#607080}
svg .edge.call{stroke:#6a4c93}
svg .edge.lineage{stroke:#8a96a3}
svg .xbox rect{fill:#fff;stroke-width:2}
svg .xbox.covered rect{stroke:#2e7d32}
svg .xbox.uncovered rect{stroke:#c62828;fill:#fdecec}
svg rect.home{fill:#eef4fb}
svg rect.outside{fill:#f4f4f4}
svg rect.weekend{fill:#f1f3f5}
svg rect.holiday{fill:#fbe3e3}
svg rect.window{fill:#fff3df;stroke:#b26a00}
svg rect.window.projected{fill:#fffaf0;stroke-dasharray:4 3}
svg rect.extension{fill:#f1e9f9;stroke:#5b2d86}
svg rect.valid{fill:#e6f4e7;stroke:#2e7d32}
svg line.go-live{stroke:#c62828;stroke-width:2}
svg line.as-of{stroke:#0b4a8f;stroke-width:2;stroke-dasharray:4 3}
svg line.grid{stroke:#d5dbe1}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:end;margin:.4em 0}
.filters label{display:flex;flex-direction:column;font-size:.85rem}
.filters select{font:inherit;padding:2px}
.scenario{border:1px solid #d5dbe1;border-radius:8px;padding:0 14px 10px;margin:1em 0}
.changes li{margin:.15em 0}
tr.detail td{background:#fafbfc;font-size:.85rem;border-top:none}
div.detail{display:grid;grid-template-columns:3fr 2fr;gap:2px 18px}
div.detail p{grid-column:1/-1;margin:.1em 0}
div.detail ul{margin:.2em 0;padding-left:1.2em}
nav.toc ul{display:flex;flex-wrap:wrap;gap:4px 16px;padding:0;list-style:none;margin:.4em 0}
a{color:#0b4a8f}
@page{size:A4;margin:12mm}
@media print{
 body{font-size:9.5pt}
 header.page,main{max-width:none;padding:0}
 .filters,nav.toc{display:none!important}
 tr.hidden{display:table-row!important}
 tbody[hidden]{display:table-row-group!important}
 h2{break-after:avoid;page-break-after:avoid}
 h3,h4{break-after:avoid}
 tr,.card,.verdict,svg.diagram{break-inside:avoid;page-break-inside:avoid}
 .figure{overflow:visible}
 svg.diagram{width:100%;height:auto}
 section{break-before:auto}
 a{color:inherit;text-decoration:none}
}
"""

SCRIPT = """(function(){
var box=document.getElementById('finding-filters');
var table=document.getElementById('findings-table');
if(!box||!table){return;}
var rows=[].slice.call(table.querySelectorAll('tbody tr[data-level]'));
var keys=['level','category','authority'];
var selects={};
keys.forEach(function(k){
 var seen={};rows.forEach(function(r){seen[r.getAttribute('data-'+k)]=1;});
 var label=document.createElement('label');label.textContent=k;
 var s=document.createElement('select');s.setAttribute('aria-label','Filter findings by '+k);
 var all=document.createElement('option');all.value='';all.textContent='all';s.appendChild(all);
 Object.keys(seen).sort().forEach(function(v){
  var o=document.createElement('option');o.value=v;o.textContent=v;s.appendChild(o);});
 s.addEventListener('change',apply);label.appendChild(s);box.appendChild(label);selects[k]=s;
});
var count=document.createElement('span');count.className='muted';
count.setAttribute('aria-live','polite');box.appendChild(count);
function apply(){
 var shown=0;
 rows.forEach(function(r){
  var ok=keys.every(function(k){var v=selects[k].value;return !v||r.getAttribute('data-'+k)===v;});
  r.hidden=!ok;r.classList.toggle('hidden',!ok);if(ok){shown++;}
 });
 [].slice.call(table.querySelectorAll('tbody')).forEach(function(b){
  b.hidden=!b.querySelector('tr[data-level]:not([hidden])');
 });
 count.textContent=shown+' of '+rows.length+' findings shown';
}
box.hidden=false;apply();
})();"""


def script_hash() -> str:
    """The script's CSP hash: the page allows this one script and nothing else, so that
    even markup that slipped through escaping could not run."""
    digest = hashlib.sha256(SCRIPT.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; script-src '{hash}'"
)
