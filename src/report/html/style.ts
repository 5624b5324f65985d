export const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1280px; padding: 0 16px 48px; color: #111; }
h1 { font-size: 22px; margin: 16px 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.banner { background: #eef; padding: 8px 12px; border-radius: 4px; }
body.simulated .banner { background: #fde8ea; color: #8a0015; font-weight: 600; border: 2px solid #b00020; }
.banner.small-sample, body.simulated .banner.small-sample { background: #fff4d6; color: #4d3900; font-weight: 400; border: 1px solid #d9a400; }
.provenance, .note { color: #555; font-size: 12px; }
nav a { margin-right: 12px; font-size: 13px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 12.5px; }
th, td { border: 1px solid #ddd; padding: 3px 7px; text-align: left; vertical-align: top; }
th { background: #f5f5f5; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(600px, 1fr)); gap: 16px; }
.decision { border: 2px solid #2b4c7e; border-radius: 6px; padding: 4px 12px 8px; margin: 12px 0; background: #f7f9fd; }
.decision h2 { margin-top: 8px; } .decision-rows { font-size: 13px; } td.verdict { font-weight: 600; }
td.verdict-better { color: #0a7a2f; } td.verdict-worse { color: #b00020; } td.verdict-not-distinguishable { color: #555; }
figure { margin: 0; border: 1px solid #eee; padding: 8px; }
figcaption { font-size: 12px; color: #444; }
.explorer { display: grid; grid-template-columns: 360px 1fr; gap: 16px; }
.sample-list { max-height: 640px; overflow: auto; border: 1px solid #ddd; }
.sample-list button { display: block; width: 100%; text-align: left; border: 0; border-bottom: 1px solid #eee; background: #fff; padding: 4px 8px; font: 12px monospace; cursor: pointer; }
.sample-list button:hover, .sample-list button.active { background: #e8f0fe; }
.ok { color: #0a7a2f; } .bad { color: #b00020; } .err { color: #a15c00; }
.timeline { position: relative; border: 1px solid #ddd; margin: 8px 0; }
.lane { position: relative; height: 22px; border-bottom: 1px solid #f3f3f3; }
.bar { position: absolute; top: 3px; height: 16px; border-radius: 3px; font-size: 11px; color: #fff; white-space: nowrap; overflow: hidden; padding: 0 4px; box-sizing: border-box; }
.step { border: 1px solid #ddd; border-left: 4px solid #888; margin: 8px 0; padding: 6px 10px; }
.step h4 { margin: 0 0 4px; font-size: 13px; }
pre { white-space: pre-wrap; word-break: break-word; background: #fafafa; border: 1px solid #eee; padding: 6px; max-height: 360px; overflow: auto; font-size: 12px; }
`;
