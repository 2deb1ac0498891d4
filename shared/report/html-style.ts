// The page's only stylesheet, inlined and allowed by its hash in the CSP. Light, high-contrast
// colours (each severity colour is ≥ 4.5:1 on white and always comes with a shape and a word);
// print shows every row, hides the controls and drops background fills.
export const STYLE = `
:root {
  color-scheme: light;
  --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --panel: #f6f8fa; --focus: #0b57d0;
  --critical: #a4161a; --high: #9a4700; --medium: #7a5c00; --low: #1f5f99;
  --warn: #9a3412; --ok: #1a7f37;
}
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 14px/1.4 system-ui, "Segoe UI", "DejaVu Sans", sans-serif; }
main { max-width: 1260px; margin: 0 auto; padding: 10px 16px 24px; }
h1 { font-size: 20px; margin: 0; }
h2 { font-size: 16px; margin: 14px 0 6px; display: flex; align-items: center; gap: 6px; }
code, pre, .chip { font-family: ui-monospace, "Cascadia Mono", "DejaVu Sans Mono", monospace; }
a { color: #0a4fb4; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.muted { color: var(--muted); }
.none { color: var(--muted); font-style: italic; }
.warn { color: var(--warn); font-weight: 600; }
ul.plain, ul.chips, ul.links, ul.counts, ul.errors { list-style: none; margin: 0; padding: 0; }
.defs { position: absolute; width: 0; height: 0; overflow: hidden; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; }

.sev-critical { color: var(--critical); } .sev-high { color: var(--high); }
.sev-medium { color: var(--medium); } .sev-low { color: var(--low); }
svg.icon { width: 14px; height: 14px; flex: none; fill: currentColor; vertical-align: -2px; }
.sev { display: inline-flex; align-items: center; gap: 4px; font-weight: 700; white-space: nowrap; }

.top { display: flex; justify-content: space-between; align-items: center; gap: 16px; flex-wrap: wrap; }
.meta { margin: 2px 0 0; color: var(--muted); }
.counts { display: flex; gap: 8px; }
.count { display: flex; align-items: center; gap: 5px; border: 2px solid currentColor; border-radius: 6px; padding: 3px 10px; font-weight: 600; }
.count strong { font-size: 20px; }
.count svg.icon { width: 18px; height: 18px; }
.count.zero { color: var(--muted); border-color: var(--line); font-weight: 400; }

.status { margin-top: 10px; padding: 6px 12px; border: 1px solid var(--line); border-left-width: 8px; border-radius: 4px; }
.status h2 { margin: 2px 0 4px; font-size: 15px; display: block; }
.status p { margin: 4px 0; }
.status.incomplete { border-color: var(--warn); background: #fff7ed; }
.status.complete { border-left-color: var(--ok); background: #f0faf2; }
.flag { background: var(--warn); color: #fff; text-transform: uppercase; letter-spacing: .04em; padding: 1px 6px; border-radius: 3px; margin-right: 4px; }
.errors li { margin: 3px 0; }
.errors .source { font-weight: 700; text-transform: uppercase; font-size: 12px; }
.errors .http { font-weight: 600; }
.errors .message { display: block; color: var(--muted); font-size: 12px; }
.coverage { font-size: 13px; }
.notes { margin: 2px 0; padding-left: 18px; font-size: 13px; }
.suppressed { color: var(--muted); font-style: italic; }

table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; }
thead th { background: var(--panel); border-bottom: 2px solid var(--line); font-size: 13px; white-space: nowrap; }
.blast td { border-bottom: 1px solid var(--line); }
.blast .due { white-space: nowrap; font-weight: 700; color: var(--critical); }
.blast .kind { white-space: nowrap; }
.kind { font-weight: 600; }
.chips { display: flex; flex-wrap: wrap; gap: 4px; }
.chip { border: 1px solid; border-radius: 10px; padding: 0 7px; font-size: 12px; white-space: nowrap; }
.chip.registry { background: #eef4ff; border-color: #8fb0e0; }
.chip.cluster { background: #f4effc; border-color: #b39ddb; }

svg.timeline { display: block; width: 100%; height: auto; font-size: 11px; }
.timeline .overdue { fill: #fdeeee; }
.timeline .grid { stroke: var(--line); stroke-dasharray: 3 3; }
.timeline .today { stroke: var(--ink); stroke-width: 1.5; }
.timeline .lane-rule { stroke: #e6eaef; }
.timeline .tick, .timeline .lane-name { fill: var(--ink); font-weight: 700; }
.timeline .date, .timeline .empty { fill: var(--muted); }
.timeline use { fill: currentColor; }
.timeline .marker text { fill: var(--ink); }
.timeline .marker:hover text, .timeline .marker:focus text { text-decoration: underline; }
.timeline-list { margin-top: 4px; }
.timeline-list li, .links li { margin: 2px 0; }

.controls { display: flex; flex-wrap: wrap; align-items: end; gap: 10px 14px; margin: 6px 0 8px; padding: 8px; background: var(--panel); border: 1px solid var(--line); border-radius: 4px; }
.controls[hidden] { display: none; }
.controls .field { display: flex; flex-direction: column; gap: 2px; }
.controls label { font-size: 12px; font-weight: 600; }
select, input, button { font: inherit; font-size: 13px; padding: 3px 6px; border: 1px solid #8c959f; border-radius: 4px; background: #fff; color: var(--ink); }
button { cursor: pointer; }
#shown { font-size: 13px; color: var(--muted); align-self: center; }
th button.sort { border: 0; padding: 0; background: none; font-weight: 700; }
th[data-sort] button.sort::after { content: " ↕"; color: var(--muted); }
th[aria-sort="ascending"] button.sort::after { content: " ▲"; color: var(--ink); }
th[aria-sort="descending"] button.sort::after { content: " ▼"; color: var(--ink); }
.findings { font-size: 13px; }
.findings tbody.finding { border-top: 2px solid var(--line); }
.findings .n { font-weight: 700; }
.findings .due { white-space: nowrap; }
.findings tr.detail td { padding-top: 0; }
.message { margin: 0 0 4px; }
.commands { display: flex; gap: 8px; align-items: flex-start; margin-bottom: 6px; }
.commands pre { flex: 1; margin: 0; padding: 6px 8px; background: var(--panel); border: 1px solid var(--line); border-radius: 4px; font-size: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
.owners th[scope="row"] { font-weight: 600; white-space: nowrap; }
.owners td, .owners th { border-bottom: 1px solid var(--line); }
.links { display: flex; flex-wrap: wrap; gap: 2px 14px; }
footer { max-width: 1260px; margin: 0 auto; padding: 8px 16px 16px; color: var(--muted); font-size: 12px; }

@media print {
  body { font-size: 11px; }
  main { max-width: none; padding: 0; }
  .controls, button.copy, .skip { display: none !important; }
  .findings tbody.finding[hidden] { display: table-row-group !important; }
  .status, .flag, .chip, thead th, .commands pre, .timeline .overdue { background: none !important; fill: none; }
  .flag { color: var(--warn); border: 1px solid var(--warn); }
  th[data-sort] button.sort::after { content: none; }
  a { color: inherit; text-decoration: none; }
  tbody.finding, .blast tr, svg.timeline { break-inside: avoid; }
  details::details-content { content-visibility: visible; }
}
`;
