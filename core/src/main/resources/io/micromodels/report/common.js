/* Shared by the model report and the study dashboard: Okabe-Ito palette (colour-blind safe) and chart helpers. */
"use strict";
const MM = (() => {
  const palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"];
  const charts = {};
  window.mmCharts = charts;
  Chart.defaults.animation = false;
  Chart.defaults.font.size = 13;
  Chart.defaults.color = "#1a1a1a";
  function axis(title, extra) {
    return Object.assign({ title: { display: true, text: title }, grid: { color: "#e6e6e6" } }, extra || {});
  }
  /** Draws (or replaces) chart `id` in the element with that id: a canvas is created inside. */
  function chart(id, config) {
    const holder = document.getElementById(id);
    if (charts[id]) { charts[id].destroy(); }
    holder.innerHTML = "";
    const canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", (config.options && config.options.plugins && config.options.plugins.title
      && config.options.plugins.title.text) || id);
    holder.appendChild(canvas);
    charts[id] = new Chart(canvas, config);
    return charts[id];
  }
  function title(text) { return { display: true, text: text, font: { size: 15, weight: "bold" } }; }
  function fmt(v) {
    if (v === null || v === undefined || (typeof v === "number" && !isFinite(v))) { return "–"; }
    if (typeof v !== "number") { return String(v); }
    const a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e5)) { return v.toExponential(3); }
    return Number.isInteger(v) ? String(v) : v.toFixed(4);
  }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }
  function el(tag, attrs, html) {
    const e = document.createElement(tag);
    for (const k in (attrs || {})) { e.setAttribute(k, attrs[k]); }
    if (html !== undefined) { e.innerHTML = html; }
    return e;
  }
  /** A chart card: heading-less box holding a canvas container with the given id. */
  function card(parent, id, note) {
    const c = el("div", { class: "card" });
    c.appendChild(el("div", { class: "chart", id: id }));
    if (note !== undefined) { c.appendChild(el("p", { class: "note" }, note)); }
    parent.appendChild(c);
    return c;
  }
  function data() { return JSON.parse(document.getElementById("mm-data").textContent); }
  return { palette, chart, axis, title, fmt, esc, el, card, data, charts };
})();
