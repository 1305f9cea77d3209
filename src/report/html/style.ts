// The HTML report's stylesheet, inlined into the page (no external assets: it opens from file://).
export const STYLE = `
:root { --critical: #b00020; --high: #d9480f; --medium: #b58100; --low: #1971c2; --info: #6c757d;
  --border: #dee2e6; --muted: #6c757d; --stripe: #f8f9fa; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
body { margin: 0 auto; padding: 1.5rem; max-width: 1400px; color: #212529; font-size: 14px; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.muted { color: var(--muted); }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; }
.card { border: 1px solid var(--border); border-radius: 6px; padding: .6rem .9rem; min-width: 7rem; }
.card .n { font-size: 1.6rem; font-weight: 600; display: block; }
.totals { display: flex; flex-wrap: wrap; gap: 2rem; align-items: flex-start; }
.totals table { min-width: 16rem; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid var(--border); vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
#findings { width: 100%; }
#findings thead th { position: sticky; top: 0; background: #fff; cursor: pointer; user-select: none; white-space: nowrap; }
#findings thead th[aria-sort="ascending"]::after { content: " \\25B2"; font-size: .7em; }
#findings thead th[aria-sort="descending"]::after { content: " \\25BC"; font-size: .7em; }
#findings tbody tr.finding { cursor: pointer; }
#findings tbody tr.finding:hover { background: var(--stripe); }
#findings tbody tr.detail td { background: var(--stripe); }
#findings tbody tr.detail ul { margin: 0; padding-left: 1.2rem; }
.sev { display: inline-block; padding: 0 .45rem; border-radius: 3px; color: #fff; font-size: 12px; font-weight: 600; text-transform: uppercase; }
.sev-critical { background: var(--critical); } .sev-high { background: var(--high); } .sev-medium { background: var(--medium); }
.sev-low { background: var(--low); } .sev-info { background: var(--info); }
.controls { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; margin: .5rem 0; }
.controls input[type=search] { min-width: 22rem; padding: .35rem .5rem; }
.controls select { padding: .3rem; }
#timeline svg { display: block; max-width: 100%; }
#timeline .axis line { stroke: var(--border); }
#timeline .axis text, #timeline .label { font-size: 11px; fill: var(--muted); }
#timeline .bar-critical { fill: var(--critical); } #timeline .bar-high { fill: var(--high); }
#timeline .bar-medium { fill: var(--medium); } #timeline .bar-low { fill: var(--low); } #timeline .bar-info { fill: var(--info); }
.errors li { color: var(--critical); }
.warnings li { color: var(--medium); }
`;
