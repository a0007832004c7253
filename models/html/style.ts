/** The report's one inline stylesheet (no external fonts, images or scripts). */
export const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1b1b1b;background:#fff}
h1{font-size:1.4em;margin:0 0 .2em}h2{font-size:1.15em;margin:1.6em 0 .5em;border-bottom:1px solid #ddd}
h3{font-size:1em;margin:.2em 0}h4{margin:.2em 0;font-size:.9em;color:#555}
.meta{color:#555}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #d8d8d8;padding:2px 6px;text-align:left;vertical-align:top}
thead th{position:sticky;top:0;background:#f4f4f4}
th.rule small{display:block;color:#888;font-weight:normal;font-size:.75em}
td.cell small{color:#555}td.cell small.why{display:block;font-size:.75em;max-width:22em}
td.pass{background:#e5f5e5}td.fail{background:#fbd5d5;font-weight:bold}td.skip{background:#f3f3f3;color:#777}
.badge{display:inline-block;padding:0 .4em;border-radius:3px}.badge.fail{background:#c62828;color:#fff}
.legend span{display:inline-block;margin-right:1em}.legend i{display:inline-block;width:1em;height:.8em;margin-right:.3em;border:1px solid #999;vertical-align:middle}
section.failure{border:1px solid #e0b4b4;border-radius:4px;padding:.6em;margin:1em 0;background:#fffafa}
.failure-body{display:flex;gap:1.2em;align-items:flex-start;flex-wrap:wrap}
.steps-col{flex:0 1 34em;min-width:24em}.pictures{flex:1 1 40em}
ol.steps{padding-left:2.2em;margin:.2em 0}li.step{margin:.15em 0;font-size:.85em}li.step code{word-break:break-all}
li.failing{background:#fbd5d5;padding:.2em;border-left:3px solid #c62828}
.wanted{color:#1b5e20}.got{color:#b71c1c;font-weight:bold}.rules,.loose{color:#555}
figure.state{margin:.3em 0 .8em}figcaption{font-weight:bold;font-size:.85em;margin-bottom:.2em}
.observed{margin:.3em 0 .8em;padding:.3em;border-left:3px solid #c62828;background:#fff0f0;font-size:.9em}
svg.pages{display:block;margin:.2em 0 .6em}
svg text{font:10px monospace;fill:#222}svg .file-title{font:bold 11px monospace}
svg .lane-name{text-anchor:end;fill:#555}svg .lane-text{text-anchor:middle;fill:#fff;font-size:9px}svg .t-m-zero,svg .t-uffd{fill:#102a43}
svg .tick{stroke:#999}svg .tick-text{fill:#555;font-size:9px}
.m-none{fill:#fff;stroke:#bbb}.m-zero{fill:#90caf9}.m-data{fill:#1565c0}
.s-shared{fill:#43a047}.s-private{fill:#7b1fa2}.pol{fill:#00897b}.slot{fill:#ef6c00}.uffd{fill:#c0a000}
.dm-on{fill:#cfd8dc}.dm-off{fill:#d32f2f}.none{fill:#f5f5f5;stroke:#e0e0e0}.gap{fill:#eee;stroke:#ccc;stroke-dasharray:2 2}
.legend i.m-none{background:#fff}.legend i.m-zero{background:#90caf9}.legend i.m-data{background:#1565c0}
.legend i.s-shared{background:#43a047}.legend i.s-private{background:#7b1fa2}.legend i.pol{background:#00897b}
.legend i.slot{background:#ef6c00}.legend i.uffd{background:#c0a000}.legend i.dm-off{background:#d32f2f}.legend i.gap{background:#eee}
pre{background:#f7f7f7;padding:.5em;overflow:auto;font-size:.8em}
`;
