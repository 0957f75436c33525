// The dashboard at /: one self-contained page (no CDN, no build step). A small script polls
// the JSON endpoints every few seconds and draws the miner's own hashrate history
// (/api/v1/history, the last hour) on a canvas with a time axis. The page shows only what the
// JSON API shows. Money has no currency symbol because the estimate's inputs carry none: the
// amounts are in whatever currency --btc-price and --electricity-price were given in.
#include "miner/api/api_routes.hpp"

namespace nonceforge::miner::api {

namespace {

constexpr std::string_view HTML = R"NFHTML(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>nonceforge</title>
<style>
:root { --bg:#0f1419; --card:#1a2029; --fg:#e6e9ee; --dim:#8a94a3; --ok:#4cc38a; --bad:#f0616d;
        --warn:#f5b84b; --line:#2a3340; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif;
       background:var(--bg); color:var(--fg); }
header { display:flex; align-items:center; gap:16px; padding:14px 24px;
         border-bottom:1px solid var(--line); }
header h1 { font-size:18px; margin:0; letter-spacing:.5px; }
header .dim { color:var(--dim); }
#error { display:none; background:var(--bad); color:#fff; padding:8px 24px; }
main { padding:20px 24px; display:grid; gap:16px;
       grid-template-columns:repeat(auto-fit, minmax(260px, 1fr)); }
.card { background:var(--card); border-radius:8px; padding:14px 16px; }
.card h2 { font-size:12px; text-transform:uppercase; color:var(--dim); margin:0 0 8px;
           letter-spacing:.8px; font-weight:600; }
.big { font-size:28px; font-weight:600; font-variant-numeric:tabular-nums; }
.wide { grid-column:1 / -1; }
.kv { display:grid; grid-template-columns:auto 1fr; gap:2px 12px; font-variant-numeric:tabular-nums; }
.kv span { overflow-wrap:anywhere; min-width:0; }
.kv span.oneline { white-space:nowrap; overflow:hidden; text-overflow:ellipsis;
                   overflow-wrap:normal; word-break:normal; }
.note { color:var(--dim); font-size:12px; margin-top:8px; }
.note code { white-space:nowrap; font:inherit; }
#profit span:nth-child(even) { white-space:nowrap; overflow-wrap:normal; }
.kv span:nth-child(odd) { color:var(--dim); }
.ok { color:var(--ok); } .bad { color:var(--bad); } .warn { color:var(--warn); }
table { width:100%; border-collapse:collapse; font-variant-numeric:tabular-nums; }
th, td { text-align:left; padding:4px 8px; border-bottom:1px solid var(--line); }
th { color:var(--dim); font-weight:500; }
canvas { width:100%; height:260px; display:block; }
#time-axis { position:relative; height:18px; color:var(--dim); font-size:11px; }
#time-axis span { position:absolute; top:2px; transform:translateX(-50%); white-space:nowrap; }
#legend { display:flex; flex-wrap:wrap; gap:12px; margin-top:8px; color:var(--dim); }
#legend i { display:inline-block; width:10px; height:10px; border-radius:2px; margin-right:4px; }
</style>
</head>
<body>
<header>
  <h1>nonceforge</h1>
  <span class="dim" id="version"></span>
  <span class="dim">up <span id="uptime">-</span></span>
  <span id="pool-badge" class="warn">connecting</span>
</header>
<div id="error"></div>
<main>
  <section class="card">
    <h2>Hashrate (5 s)</h2>
    <div class="big"><span id="hashrate" data-hps="0">-</span></div>
    <div class="kv"><span>1 min</span><span id="hashrate-1m">-</span>
      <span>15 min</span><span id="hashrate-15m">-</span>
      <span>effective</span><span id="hashrate-effective">-</span></div>
  </section>
  <section class="card">
    <h2>Shares</h2>
    <div class="kv">
      <span>accepted</span><span class="ok" id="shares-accepted">0</span>
      <span>rejected</span><span class="bad" id="shares-rejected">0</span>
      <span>stale</span><span class="warn" id="shares-stale">0</span>
      <span>lost</span><span id="shares-lost">0</span>
      <span>pending</span><span id="shares-pending">0</span>
      <span>hardware errors</span><span id="hardware-errors">0</span>
      <span>best share</span><span id="best-share">-</span>
    </div>
  </section>
  <section class="card" id="solo-card" style="display:none">
    <h2>Solo on a node</h2>
    <div class="kv">
      <span>chain</span><span id="solo-chain">-</span>
      <span>height</span><span id="solo-height">-</span>
      <span>network diff.</span><span id="solo-difficulty">-</span>
      <span>chance per day</span><span id="solo-chance">-</span>
      <span>expected time</span><span id="solo-expected">-</span>
      <span>blocks accepted</span><span class="ok" id="solo-accepted">0</span>
      <span>rejected</span><span class="bad" id="solo-rejected">0</span>
      <span>stale</span><span class="warn" id="solo-stale">0</span>
      <span>last block</span><span class="oneline" id="solo-last">-</span>
    </div>
  </section>
  <section class="card" id="pool-card">
    <h2>Pool</h2>
    <div class="kv">
      <span>url</span><span class="oneline" id="pool-url">-</span>
      <span>state</span><span id="pool-state">-</span>
      <span>difficulty</span><span id="pool-difficulty">-</span>
      <span>latency</span><span id="pool-latency">-</span>
      <span>failovers</span><span id="pool-failovers">-</span>
      <span>network diff.</span><span id="network-difficulty">-</span>
    </div>
  </section>
  <section class="card">
    <h2>Profit estimate (per day)</h2>
    <div class="kv" id="profit"><span>estimate</span><span>-</span></div>
    <div class="note" id="profit-note"></div>
  </section>
  <section class="card wide">
    <h2>Hashrate, last hour</h2>
    <canvas id="chart" width="1200" height="260"></canvas>
    <div id="time-axis"></div>
    <div id="legend"></div>
  </section>
  <section class="card wide">
    <h2>Devices</h2>
    <table><thead><tr><th>device</th><th>5 s</th><th>1 min</th><th>15 min</th>
      <th>accepted</th><th>rejected</th><th>stale</th><th>hw errors</th></tr></thead>
      <tbody id="devices"></tbody></table>
  </section>
  <section class="card wide">
    <h2>Recent shares</h2>
    <table><thead><tr><th>time</th><th>device</th><th>difficulty</th><th>pool diff.</th>
      <th>verdict</th><th>latency</th></tr></thead><tbody id="shares"></tbody></table>
  </section>
</main>
<script>
"use strict";
const REFRESH_MS = 3000;
const COLORS = ["#4c9ef0", "#4cc38a", "#f5b84b", "#f0616d", "#b07cf0", "#4cd4d4", "#f08c4c",
                "#c0c84c", "#f04cb4", "#8ab4f8"];
const SERIES = [["hashrate_5s", "5 s average"], ["hashrate_1m", "1 min average"]];
// Fixed locale, so the page reads the same everywhere: 1,234,567.89.
const MONEY = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const BTC = new Intl.NumberFormat("en-US", { minimumFractionDigits: 8, maximumFractionDigits: 8 });
let historyData = { interval_seconds: 10, points: [] };
const $ = (id) => document.getElementById(id);

function hashrate(h) {
  const units = ["H/s", "kH/s", "MH/s", "GH/s", "TH/s", "PH/s", "EH/s"];
  let i = 0;
  while (h >= 1000 && i < units.length - 1) { h /= 1000; i++; }
  return h.toFixed(h >= 100 ? 1 : 2) + " " + units[i];
}
function num(x, digits) {
  if (x === null || x === undefined) return "-";
  if (x !== 0 && (Math.abs(x) >= 1e6 || Math.abs(x) < 1e-3)) return x.toExponential(3);
  return x.toFixed(digits === undefined ? 4 : digits).replace(/\.?0+$/, "") || "0";
}
function money(x) { return MONEY.format(x); }
function twoDigits(n) { return String(n).padStart(2, "0"); }
function clock(unix) { // HH:MM, local time
  const d = new Date(unix * 1000);
  return twoDigits(d.getHours()) + ":" + twoDigits(d.getMinutes());
}
function duration(s) {
  const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, sec = s % 60;
  return h ? h + "h" + String(m).padStart(2, "0") + "m" : m + "m" + String(sec).padStart(2, "0") + "s";
}
function text(id, value) { $(id).textContent = value; }
function cell(row, value, cls) {
  const td = document.createElement("td");
  td.textContent = value;
  if (cls) td.className = cls;
  row.appendChild(td);
}
async function get(path) {
  const r = await fetch(path, { cache: "no-store" });
  if (!r.ok) throw new Error(path + ": HTTP " + r.status);
  return r.json();
}

function renderSummary(s) {
  text("version", "v" + s.version);
  text("uptime", duration(s.uptime_seconds));
  const hr = $("hashrate");
  hr.textContent = hashrate(s.hashrate_5s);
  hr.dataset.hps = String(s.hashrate_5s);
  text("hashrate-1m", hashrate(s.hashrate_1m));
  text("hashrate-15m", hashrate(s.hashrate_15m));
  text("hashrate-effective", hashrate(s.effective_hashrate));
  for (const k of ["accepted", "rejected", "stale", "lost", "pending"]) {
    text("shares-" + k, s.shares[k]);
  }
  text("hardware-errors", s.hardware_errors);
  text("best-share", num(s.best_share_difficulty));
  text("network-difficulty", num(s.network_difficulty));
  const p = $("profit");
  p.replaceChildren();
  const row = (k, v, id, cls) => {
    const key = document.createElement("span"), val = document.createElement("span");
    key.textContent = k; val.textContent = v;
    if (id) val.id = id;
    if (cls) val.className = cls;
    p.append(key, val);
  };
  if (s.profit.available) {
    row("mined", BTC.format(s.profit.btc_per_day) + " BTC", "profit-btc");
    row("revenue", money(s.profit.revenue_per_day), "profit-revenue");
    row("power cost", money(s.profit.power_cost_per_day), "profit-power");
    row("profit", money(s.profit.profit_per_day), "profit-profit",
        s.profit.profit_per_day >= 0 ? "ok" : "bad");
    const opt = (name) => { const c = document.createElement("code"); c.textContent = name;
                            return c; };
    $("profit-note").replaceChildren("money in the currency of ", opt("--btc-price"), " and ",
                                     opt("--electricity-price"));
    if (s.profit.network_warning) {
      const w = document.createElement("div");
      w.className = "bad";
      w.id = "profit-warning";
      w.textContent = "not mainnet: " + s.profit.network_warning;
      $("profit-note").append(w);
    }
  } else {
    row("estimate", s.profit.reason);
    $("profit-note").replaceChildren();
  }
}

// Solo on a node: the node's chain and the blocks of this run in place of the pool card, and
// the badge says so (after renderPools, which lists the node as the one upstream).
function renderSolo(solo, pools) {
  $("solo-card").style.display = solo ? "" : "none";
  $("pool-card").style.display = solo ? "none" : "";
  if (!solo) return;
  text("solo-chain", solo.chain || "-");
  text("solo-height", solo.height);
  text("solo-difficulty", num(solo.network_difficulty));
  text("solo-chance", (100 * solo.chance_per_day).toPrecision(3) + " %");
  text("solo-expected", solo.expected_seconds_to_block === null ? "-"
                        : duration(Math.round(solo.expected_seconds_to_block)));
  for (const k of ["accepted", "rejected", "stale"]) text("solo-" + k, solo["blocks_" + k]);
  text("solo-last", solo.last_block_hash || "-");
  $("solo-last").title = solo.last_block_hash || "";
  const node = pools.pools.find((x) => x.active) || pools.pools[0];
  const up = !node || node.connected;
  const badge = $("pool-badge");
  badge.textContent = "solo: " + (up ? solo.chain || "node" : "node unreachable");
  badge.className = up ? "ok" : "bad";
}

function renderPools(pools) {
  const p = pools.pools.find((x) => x.active) || pools.pools[0];
  if (!p) return;
  text("pool-url", p.url);
  $("pool-url").title = p.url;
  text("pool-state", p.state);
  text("pool-difficulty", num(p.difficulty));
  text("pool-latency", p.latency_ms_mean === null ? "-" : p.latency_ms_mean.toFixed(1) + " ms");
  text("pool-failovers", p.failovers);
  const badge = $("pool-badge");
  badge.textContent = p.connected ? "connected" : "disconnected";
  badge.className = p.connected ? "ok" : "bad";
}

function renderDevices(d) {
  const body = $("devices");
  body.replaceChildren();
  for (const dev of d.devices) {
    const row = document.createElement("tr");
    cell(row, dev.name);
    cell(row, hashrate(dev.hashrate_5s));
    cell(row, hashrate(dev.hashrate_1m));
    cell(row, hashrate(dev.hashrate_15m));
    cell(row, dev.shares.accepted, "ok");
    cell(row, dev.shares.rejected, dev.shares.rejected ? "bad" : "");
    cell(row, dev.shares.stale, dev.shares.stale ? "warn" : "");
    cell(row, dev.hardware_errors, dev.hardware_errors ? "bad" : "");
    body.appendChild(row);
  }
}

function renderHistory(h) {
  historyData = h;
  drawChart();
}

function renderShares(s) {
  const body = $("shares");
  body.replaceChildren();
  for (const sh of s.shares) {
    const row = document.createElement("tr");
    cell(row, new Date(sh.time_unix_ms).toLocaleTimeString());
    cell(row, sh.backend);
    cell(row, num(sh.difficulty));
    cell(row, num(sh.pool_difficulty));
    cell(row, sh.verdict + (sh.reason ? " (" + sh.reason + ")" : ""),
         sh.verdict === "accepted" ? "ok" : sh.verdict === "stale" ? "warn" : "bad");
    cell(row, sh.latency_ms === null ? "-" : sh.latency_ms.toFixed(1) + " ms");
    body.appendChild(row);
  }
}

// The time axis spans at least 5 minutes (a young miner's line starts at the right) and is
// labelled HH:MM every TICK_STEPS[i] seconds, the first that gives at most 6 labels.
const MIN_SPAN = 300, TICK_STEPS = [60, 120, 300, 600, 900, 1800, 3600];

function drawChart() {
  const c = $("chart");
  const dpr = window.devicePixelRatio || 1;
  const w = c.clientWidth || 1200, h = c.clientHeight || 260;
  c.width = Math.round(w * dpr);
  c.height = Math.round(h * dpr);
  const g = c.getContext("2d");
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);
  const axis = $("time-axis");
  axis.replaceChildren();
  const pts = historyData.points;
  g.fillStyle = "#8a94a3"; g.font = "11px system-ui, sans-serif";
  if (!pts.length) {
    g.fillText("no history yet: the miner records a point every " +
               historyData.interval_seconds + " s", 80, h / 2);
    return;
  }
  const pad = { l: 80, r: 16, t: 10, b: 4 };
  const t1 = pts[pts.length - 1].time_unix;
  const t0 = Math.min(pts[0].time_unix, t1 - MIN_SPAN);
  let max = 0;
  for (const p of pts) for (const [key] of SERIES) max = Math.max(max, p[key]);
  max = max > 0 ? max * 1.1 : 1;
  const x = (t) => pad.l + (w - pad.l - pad.r) * (t - t0) / (t1 - t0);
  const y = (v) => h - pad.b - (h - pad.t - pad.b) * v / max;
  g.strokeStyle = "#2a3340"; g.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const v = max * i / 4, yy = y(v);
    g.beginPath(); g.moveTo(pad.l, yy); g.lineTo(w - pad.r, yy); g.stroke();
    g.fillText(hashrate(v), 4, yy + 4);
  }
  const step = TICK_STEPS.find((s) => (t1 - t0) / s <= 6) || 3600;
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
    const xx = x(t);
    g.beginPath(); g.moveTo(xx, pad.t); g.lineTo(xx, h - pad.b); g.stroke();
    const label = document.createElement("span");
    label.textContent = clock(t);
    label.style.left = xx + "px";
    axis.appendChild(label);
  }
  const legend = $("legend");
  legend.replaceChildren();
  SERIES.forEach(([key, name], i) => {
    const color = COLORS[i % COLORS.length];
    g.strokeStyle = color; g.fillStyle = color; g.lineWidth = 2;
    g.beginPath();
    pts.forEach((p, k) => (k ? g.lineTo(x(p.time_unix), y(p[key]))
                             : g.moveTo(x(p.time_unix), y(p[key]))));
    g.stroke();
    if (pts.length === 1) {
      g.beginPath(); g.arc(x(pts[0].time_unix), y(pts[0][key]), 3, 0, 2 * Math.PI); g.fill();
    }
    const item = document.createElement("span");
    const swatch = document.createElement("i");
    swatch.style.background = color;
    item.append(swatch, name);
    legend.appendChild(item);
  });
}

async function refresh() {
  try {
    const [summary, devices, pools, shares, history] = await Promise.all([
      get("api/v1/summary"), get("api/v1/devices"), get("api/v1/pools"),
      get("api/v1/shares?limit=10"), get("api/v1/history")]);
    renderSummary(summary);
    renderDevices(devices);
    renderPools(pools);
    renderSolo(summary.solo, pools);
    renderShares(shares);
    renderHistory(history);
    $("error").style.display = "none";
  } catch (e) {
    const err = $("error");
    err.textContent = "cannot reach the miner: " + e.message;
    err.style.display = "block";
  }
}
refresh();
setInterval(refresh, REFRESH_MS);
window.addEventListener("resize", drawChart);
</script>
</body>
</html>
)NFHTML";

} // namespace

std::string_view DashboardHtml() {
    return HTML;
}

} // namespace nonceforge::miner::api
