/**
 * The console's one stylesheet, inlined into every page (one request, no build step, the same bytes on Node
 * and in a Worker). A TypeScript string because esbuild, wrangler and vitest would each need their own
 * loader for a .css import. Colours meet WCAG AA contrast on their backgrounds; state is never told by
 * colour alone (every badge has its word).
 */
export const CONSOLE_CSS = `
:root{--fg:#1b1f24;--muted:#4f5965;--bg:#fff;--panel:#f5f7fa;--line:#d4d9e0;--accent:#0b57d0;
--err:#a4161a;--err-bg:#fde8e7;--warn:#6b4300;--warn-bg:#fff1cc;--ok:#0f5f2a;--ok-bg:#e2f3e7;--info-bg:#e8effc;
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
*{box-sizing:border-box}
body{margin:0}
a{color:var(--accent)}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:var(--bg);padding:.5rem 1rem}
.skip:focus{left:.5rem;z-index:2}
header.top{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;padding:.6rem 1rem;background:#16202c;color:#fff}
header.top a{color:#fff}
header.top .brand{font-weight:700;text-decoration:none;font-size:1.1rem}
header.top nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
header.top nav a{text-decoration:none;padding:.2rem .1rem;border-bottom:3px solid transparent}
header.top nav a[aria-current=page]{border-bottom-color:#8ab4f8}
header.top form{margin-left:auto}
header.top :focus-visible{outline-color:#8ab4f8}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:1.75rem 0 .5rem;padding-bottom:.25rem;border-bottom:1px solid var(--line)}
h3{font-size:1rem;margin:1rem 0 .25rem}
.muted{color:var(--muted)}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.92rem}
caption{text-align:left;color:var(--muted);padding:.25rem 0}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--panel);white-space:nowrap}
tbody th{background:none}
th a{color:inherit}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.attention{background:var(--err-bg)}
tr.attention td:first-child{box-shadow:inset 4px 0 var(--err)}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em}
.badge{display:inline-block;padding:0 .45rem;border-radius:.6rem;font-size:.82rem;font-weight:600;white-space:nowrap;border:1px solid currentColor}
.s-synced,.s-processed,.s-ok{color:var(--ok);background:var(--ok-bg)}
.s-pending,.s-queued,.s-superseded,.s-duplicate,.s-info{color:#123e8c;background:var(--info-bg)}
.s-retry,.s-retrying,.s-stale,.s-warning,.s-drift{color:var(--warn);background:var(--warn-bg)}
.s-failed,.s-error{color:var(--err);background:var(--err-bg)}
.s-ignored,.s-removed{color:var(--muted);background:var(--panel)}
.notice{padding:.6rem .8rem;border-radius:.4rem;border:1px solid var(--line);background:var(--panel);margin:.75rem 0}
.notice.ok{background:var(--ok-bg);border-color:var(--ok)}
.notice.error{background:var(--err-bg);border-color:var(--err)}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0 1rem}
.actions form{margin:0}
button,.button{display:inline-block;text-decoration:none;font:inherit;padding:.45rem .9rem;border-radius:.4rem;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer;min-height:2.5rem}
button.secondary,.button.secondary{background:var(--bg);color:var(--accent)}
header.top button{background:transparent;border-color:#8ab4f8;color:#fff;min-height:2rem;padding:.2rem .7rem}
label{display:block;font-weight:600;margin:.5rem 0 .2rem}
input,select,textarea{font:inherit;padding:.45rem .5rem;border:1px solid #6b7480;border-radius:.4rem;max-width:100%;background:var(--bg);color:var(--fg)}
textarea{width:100%;min-height:14rem;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88rem}
textarea.dragover{outline:3px dashed var(--accent)}
.row{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end}
.row>div{min-width:10rem}
.hint{font-size:.88rem;color:var(--muted);margin:.2rem 0}
details{border:1px solid var(--line);border-radius:.4rem;margin:.5rem 0;padding:.25rem .75rem}
details[open]{padding-bottom:.75rem}
summary{cursor:pointer;padding:.35rem 0;font-weight:600}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.5rem 0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;overflow-wrap:anywhere}
ol.source{list-style:none;margin:.5rem 0;padding:0;border:1px solid var(--line);border-radius:.4rem;overflow-x:auto;background:var(--panel);
font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem;line-height:1.45}
ol.source li{display:grid;grid-template-columns:3.5rem 1fr;min-width:max-content}
ol.source .ln{color:var(--muted);text-align:right;padding-right:.75rem;user-select:none;border-right:1px solid var(--line)}
ol.source .code{white-space:pre;padding-left:.75rem}
ol.source li.error{background:var(--err-bg)}
ol.source li.warning{background:var(--warn-bg)}
ol.source li.error .ln,ol.source li.warning .ln{font-weight:700;color:var(--fg)}
mark{border-radius:2px;padding:0 1px}
mark.error{background:#f7b4b0;color:#000;text-decoration:underline wavy var(--err)}
mark.warning{background:#ffd978;color:#000;text-decoration:underline wavy var(--warn)}
ol.source .why{grid-column:2;white-space:normal;padding:.15rem .75rem .35rem;font-family:system-ui,sans-serif}
.why.error{color:var(--err)}
.why.warning{color:var(--warn)}
ul.plain{list-style:none;padding:0;margin:.25rem 0}
ul.plain li{padding:.2rem 0}
.hits li{margin:.5rem 0;padding:.5rem .75rem;border-left:4px solid var(--accent);background:var(--panel)}
.live{font-size:.9rem}
@media (max-width:40rem){main{padding:.75rem}h1{font-size:1.3rem}th,td{padding:.35rem .4rem}
header.top form{margin-left:0}.row>div{min-width:100%}ol.source li{grid-template-columns:2.5rem 1fr}}
@media (prefers-reduced-motion:reduce){*{scroll-behavior:auto}}
`;
