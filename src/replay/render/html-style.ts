/** The HTML view's stylesheet, inlined into the page (no external file, no web font). */
export const HTML_STYLE = `
:root { --bg: #fbfbfa; --fg: #1d1f21; --muted: #6b6f76; --line: #dfe1e4; --bad: #c62828; --warn: #b26a00; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; }
header { padding: 12px 16px; border-bottom: 1px solid var(--line); }
header h1 { font-size: 16px; margin: 0 0 4px; }
header p { margin: 2px 0; color: var(--muted); }
#controls { padding: 8px 16px; display: flex; gap: 8px; align-items: center; }
#controls button { font: inherit; padding: 2px 10px; border: 1px solid var(--line); background: #fff; border-radius: 4px; cursor: pointer; }
.legend span { display: inline-block; margin-right: 10px; color: var(--muted); }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px; border-radius: 2px; }
#notes { padding: 0 16px; color: var(--warn); }
#lanes { overflow-x: auto; padding: 0 16px 8px; }
.lane { display: flex; border-top: 1px solid var(--line); padding: 6px 0; }
.lane-label { flex: 0 0 130px; font-weight: 600; padding-top: 2px; overflow: hidden; text-overflow: ellipsis; }
.axis text, .row-label { fill: var(--muted); font-size: 10px; }
.band { stroke: none; }
.session-connected { fill: #9ccc65; } .session-connecting { fill: #dce775; } .session-suspended { fill: #ffb74d; }
.session-lost { fill: #e57373; } .session-closed { fill: #b0bec5; }
.leader { fill: #7e57c2; } .vip { fill: #ffca28; }
.ev { fill: #90a4ae; } .ev:hover, .bar:hover { stroke: #000; stroke-width: 1; }
.cat-session { fill: #26a69a; } .cat-membership { fill: #5c6bc0; } .cat-leadership { fill: #7e57c2; }
.cat-vip { fill: #f9a825; } .cat-health { fill: #66bb6a; } .cat-teardown { fill: #ef5350; }
.cat-restart { fill: #ff7043; } .cat-process { fill: #ab47bc; } .cat-submission { fill: #42a5f5; }
.cat-dispatch { fill: #29b6f6; } .cat-runner { fill: #9ccc65; }
.ev-anomaly { fill: var(--bad); }
.bar { fill: #64b5f6; } .bar-succeeded { fill: #81c784; } .bar-failed, .bar-timed_out { fill: #e57373; }
.bar-cancelled { fill: #bdbdbd; } .bar-interrupted, .bar-awaiting_retry { fill: #ffb74d; }
.anomaly { fill: rgba(198, 40, 40, 0.08); stroke: var(--bad); stroke-width: 1; }
#tip { position: fixed; pointer-events: none; background: #263238; color: #fff; padding: 6px 8px; border-radius: 4px;
  max-width: 520px; font-size: 12px; display: none; z-index: 10; white-space: pre-wrap; }
#anomalies { padding: 8px 16px 24px; }
#anomalies h2 { font-size: 14px; }
#anomalies li { margin-bottom: 6px; }
#anomalies .error { color: var(--bad); font-weight: 600; }
#anomalies .warning { color: var(--warn); font-weight: 600; }
#anomalies code { color: var(--muted); }
`;
