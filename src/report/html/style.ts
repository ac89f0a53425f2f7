/** The report's stylesheet: system fonts only, light and dark from the viewer's preference, printable. */
export const REPORT_STYLE = `
:root {
  --bg: #f4f6fb; --card: #ffffff; --text: #0f172a; --muted: #64748b; --faint: #94a3b8;
  --line: #e5e9f2; --soft: #f1f4f9; --accent: #4f46e5; --good: #059669; --good-soft: #ecfdf5;
  --bad: #dc2626; --bad-soft: #fef2f2; --warn: #d97706;
  --shadow: 0 1px 2px rgba(15, 23, 42, .06), 0 4px 16px rgba(15, 23, 42, .05);
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0b1020; --card: #121a2f; --text: #e2e8f0; --muted: #94a3b8; --faint: #64748b;
    --line: #222c45; --soft: #18213a; --good-soft: rgba(5, 150, 105, .14); --bad-soft: rgba(220, 38, 38, .14);
    --shadow: 0 1px 2px rgba(0, 0, 0, .3);
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--text);
  font: 14px/1.5 ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
  font-variant-numeric: tabular-nums;
}
code, .mono { font-family: var(--mono); font-size: .92em; }
.hero {
  background: radial-gradient(1200px 400px at 85% -20%, rgba(129, 140, 248, .55), transparent 60%),
    linear-gradient(135deg, #111827 0%, #1e1b4b 55%, #312e81 100%);
  color: #f8fafc; padding: 28px 0 76px;
}
.hero.failed {
  background: radial-gradient(1200px 400px at 85% -20%, rgba(248, 113, 113, .45), transparent 60%),
    linear-gradient(135deg, #111827 0%, #3b0d18 55%, #7f1d1d 100%);
}
.page { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
.brand { display: flex; align-items: center; gap: 10px; font-size: 12px; letter-spacing: .08em; text-transform: uppercase; color: #c7d2fe; }
.brand svg { width: 20px; height: 20px; }
.title-row { display: flex; align-items: center; gap: 14px; flex-wrap: wrap; margin-top: 14px; }
h1 { margin: 0; font-size: 30px; line-height: 1.2; font-weight: 700; letter-spacing: -.01em; word-break: break-word; }
.status { display: inline-flex; align-items: center; gap: 6px; padding: 4px 12px; border-radius: 999px; font-size: 13px; font-weight: 600; }
.status.passed { background: rgba(16, 185, 129, .18); color: #6ee7b7; box-shadow: inset 0 0 0 1px rgba(110, 231, 183, .35); }
.status.failed { background: rgba(239, 68, 68, .2); color: #fecaca; box-shadow: inset 0 0 0 1px rgba(254, 202, 202, .4); }
.incomplete { margin: 12px 0 0; padding: 8px 12px; border-radius: 8px; background: rgba(239, 68, 68, .2); color: #fecaca; font-size: 14px; }
.baseline-note { margin: 4px 0 8px; font-size: 13px; color: var(--muted); }
.baseline-note.not-comparable { color: var(--text); font-weight: 600; }
.warmup-note { margin: 12px 0 0; padding: 8px 12px; border-radius: 8px; background: rgba(148, 163, 184, .2); color: #e2e8f0; font-size: 14px; }
.status.neutral { background: rgba(148, 163, 184, .2); color: #e2e8f0; }
.subtitle { margin-top: 6px; color: #c7d2fe; font-size: 14px; word-break: break-word; }
.chips { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 18px; }
.chip { background: rgba(255, 255, 255, .08); border: 1px solid rgba(255, 255, 255, .12); border-radius: 8px; padding: 5px 10px; font-size: 12.5px; color: #e0e7ff; }
.chip b { color: #fff; font-weight: 600; }
main.page { margin-top: -56px; padding-bottom: 40px; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(148px, 1fr)); gap: 12px; }
.card { background: var(--card); border-radius: 14px; box-shadow: var(--shadow); border: 1px solid var(--line); }
.kpi { padding: 14px 16px; }
.kpi .label { font-size: 11.5px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); font-weight: 600; }
.kpi .value { font-size: 26px; font-weight: 700; margin-top: 4px; letter-spacing: -.01em; white-space: nowrap; }
.kpi .value small { font-size: 14px; font-weight: 600; color: var(--muted); margin-left: 3px; }
.kpi .sub { font-size: 12px; color: var(--muted); margin-top: 2px; }
.kpi.bad .value { color: var(--bad); }
.kpi.good .value { color: var(--good); }
.overlaps { background: var(--card); border: 1px solid var(--warn); border-left-width: 4px; border-radius: 10px; padding: 10px 14px; }
.overlaps b { color: var(--warn); }
section { margin-top: 22px; }
h2 { font-size: 16px; margin: 0 0 10px; font-weight: 650; display: flex; align-items: baseline; gap: 10px; }
h2 .aside { font-size: 12.5px; font-weight: 500; color: var(--muted); }
.verdicts { list-style: none; margin: 0; padding: 6px; }
.verdicts li { display: grid; grid-template-columns: 28px minmax(0, 1.6fr) minmax(0, 1fr) minmax(0, .8fr) minmax(0, .8fr); align-items: center; gap: 12px; padding: 9px 10px; border-radius: 10px; }
.verdicts li + li { margin-top: 2px; }
.verdicts li.fail { background: var(--bad-soft); }
.verdicts .mark { width: 24px; height: 24px; border-radius: 50%; display: grid; place-items: center; color: #fff; font-weight: 700; font-size: 13px; }
.verdicts .pass .mark { background: var(--good); }
.verdicts .fail .mark { background: var(--bad); }
.verdicts .what { color: var(--muted); }
.verdicts .limit { color: var(--muted); }
.verdicts .actual { font-weight: 700; text-align: right; }
.verdicts .fail .actual { color: var(--bad); }
.verdicts .head { color: var(--faint); font-size: 11.5px; text-transform: uppercase; letter-spacing: .06em; font-weight: 600; padding-top: 4px; padding-bottom: 2px; }
.verdicts .head .actual { font-weight: 600; color: var(--faint); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(470px, 1fr)); gap: 14px; }
.chart-card { position: relative; padding: 14px 16px 8px; }
.chart-card header { display: flex; justify-content: space-between; align-items: baseline; gap: 12px; flex-wrap: wrap; }
.chart-card h3 { margin: 0; font-size: 14px; font-weight: 650; }
.chart-card .now { font-size: 12px; color: var(--muted); }
.legend { display: flex; gap: 14px; flex-wrap: wrap; font-size: 12px; color: var(--muted); margin: 4px 0 2px; }
.legend i, .tooltip i { display: inline-block; width: 10px; height: 10px; border-radius: 3px; margin-right: 6px; vertical-align: -1px; }
svg.chart { display: block; width: 100%; height: auto; overflow: visible; touch-action: none; }
svg.chart .grid { stroke: var(--line); stroke-width: 1; }
svg.chart .warmup { fill: var(--line); opacity: 0.45; }
svg.chart .warmup-end { stroke: var(--muted); stroke-width: 1; stroke-dasharray: 3 3; }
svg.chart .warmup-label { font-size: 10px; fill: var(--muted); }
svg.chart .axis { stroke: var(--faint); stroke-width: 1; }
svg.chart .tick { fill: var(--muted); font-size: 11px; }
svg.chart .line { fill: none; stroke-width: 2.2; stroke-linejoin: round; stroke-linecap: round; }
svg.chart .area { opacity: .12; }
svg.chart .bar { opacity: .85; }
svg.chart .guide { stroke: var(--faint); stroke-dasharray: 3 3; }
.tooltip { position: absolute; z-index: 2; min-width: 150px; pointer-events: none; background: #0f172a; color: #f8fafc; border-radius: 10px; padding: 8px 10px; font-size: 12px; box-shadow: 0 8px 24px rgba(15, 23, 42, .25); }
.tooltip strong { display: block; margin-bottom: 4px; color: #c7d2fe; font-weight: 600; }
.tooltip div { display: flex; align-items: center; gap: 4px; }
.tooltip b { margin-left: auto; padding-left: 12px; }
.table-card { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; }
th, td { padding: 10px 14px; text-align: right; white-space: nowrap; }
th { font-size: 11.5px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); font-weight: 600; border-bottom: 1px solid var(--line); }
td { border-bottom: 1px solid var(--line); }
tr:last-child td { border-bottom: 0; }
th:first-child, td:first-child { text-align: left; }
td.name { font-family: var(--mono); font-size: 13px; }
tr.total td { font-weight: 650; background: var(--soft); }
td .err { color: var(--bad); font-weight: 600; }
td svg.spark { width: 96px; height: 24px; vertical-align: middle; }
tr.pass .mark { color: var(--good); font-weight: 700; }
tr.fail .mark { color: var(--bad); font-weight: 700; }
td.value { text-align: left; font-family: var(--mono); font-size: 13px; white-space: normal; }
.split { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 14px; }
.pad { padding: 14px 16px; }
.bars { display: grid; grid-template-columns: auto 1fr auto; gap: 8px 12px; align-items: center; font-size: 13px; }
.bars .track { height: 10px; background: var(--soft); border-radius: 999px; overflow: hidden; }
.bars .fill { height: 100%; border-radius: 999px; background: linear-gradient(90deg, #818cf8, #4f46e5); }
.bars .fill.bad { background: linear-gradient(90deg, #f87171, #dc2626); }
.bars .fill.p99 { background: linear-gradient(90deg, #fb7185, #e11d48); }
.bars .fill.p95 { background: linear-gradient(90deg, #fbbf24, #d97706); }
.bars .fill.p50 { background: linear-gradient(90deg, #38bdf8, #0284c7); }
.bars .count { text-align: right; font-weight: 600; }
.muted { color: var(--muted); }
.messages { list-style: none; margin: 12px 0 0; padding: 0; font-size: 13px; }
.messages li { display: flex; gap: 10px; justify-content: space-between; padding: 6px 0; border-top: 1px solid var(--line); }
.messages code { color: var(--bad); word-break: break-all; }
.request-line { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; font-family: var(--mono); font-size: 13px; }
.method { background: var(--accent); color: #fff; border-radius: 6px; padding: 2px 8px; font-weight: 700; font-size: 12px; }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; margin-top: 12px; font-size: 13px; }
.kv dt { color: var(--muted); font-family: var(--mono); }
.kv dd { margin: 0; font-family: var(--mono); word-break: break-all; }
.redacted { background: var(--soft); border: 1px dashed var(--faint); color: var(--muted); border-radius: 6px; padding: 0 6px; font-size: 12px; }
pre { margin: 12px 0 0; background: var(--soft); border-radius: 10px; padding: 10px 12px; font-family: var(--mono); font-size: 12.5px; overflow-x: auto; }
footer { color: var(--muted); font-size: 12px; padding: 8px 0 40px; }
.empty { padding: 24px; text-align: center; color: var(--muted); }
.generator-warning { margin: 0; color: var(--warn); font-weight: 600; }
@media print {
  body { background: #fff; }
  .hero { color: #000; background: none !important; padding-bottom: 16px; }
  main.page { margin-top: 0; }
  .card { box-shadow: none; break-inside: avoid; }
}
`
