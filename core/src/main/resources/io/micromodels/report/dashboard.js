/* Draws a study dashboard from the snapshot in #mm-data; a live page fetches api/snapshot every second. */
"use strict";
(() => {
  const P = MM.palette;
  const root = document.getElementById("mm-root");
  root.innerHTML = `<p id="status" class="note" aria-live="polite"></p><div id="notes"></div>
    <h2>Optimisation history</h2><div class="grid" id="g-history"></div>
    <h2>Hyperparameters</h2><div class="grid" id="g-params"></div>
    <h2>Slice plots</h2><p class="note">Score of each finished trial against one hyperparameter.</p><div class="grid" id="g-slices"></div>
    <h2>Trials</h2><p><input type="search" id="filter" placeholder="Filter trials (any text, e.g. COMPLETE or relu)" aria-label="Filter trials"></p>
    <div class="scroll"><table id="trials"></table></div>`;
  MM.card(document.getElementById("g-history"), "chart-history");
  MM.card(document.getElementById("g-params"), "chart-parallel",
    "Each line is a finished trial; every axis is scaled from its smallest (0) to its largest (1) value among the trials "
    + "(log scale for learning rate, width, L1, L2 and batch size). The best trial is drawn in vermillion.");
  const impCard = MM.card(document.getElementById("g-params"), "chart-importance", "");
  let snap = MM.data();
  let sortKey = "number", sortUp = true, drawnBytes = -1;
  const done = t => t.status === "COMPLETE" && t.score !== null;
  /** Log-axis tick labels only at 1, 2 and 5 times a power of ten. */
  const logTick = v => {
    const m = v / Math.pow(10, Math.floor(Math.log10(v)));
    return [1, 2, 5].some(k => Math.abs(m - k) < 1e-6) ? MM.fmt(v) : "";
  };
  const axisLabel = (p, log) => `${p.name} (${p.unit}${log ? ", log scale" : ""})`;

  function draw() {
    const s = snap;
    const finished = s.trials.filter(done);
    document.getElementById("status").textContent = `${s.trials.length} trials recorded, ${finished.length} finished`
      + (s.target ? ` of ${s.target} planned` : "") + (s.live ? `; last update ${new Date().toLocaleTimeString()}` : "") + ".";
    document.getElementById("notes").innerHTML = s.notes.map(n => `<p class="err">${MM.esc(n)}</p>`).join("")
      + "<p class='note'>One objective: no Pareto front to draw.</p>";
    if (s.bytes === drawnBytes) { return; }
    drawnBytes = s.bytes;
    MM.chart("chart-history", { type: "scatter", data: { datasets: [
      { label: "trial score", data: finished.map(t => ({ x: t.number, y: t.score })), backgroundColor: P[0], pointRadius: 4 },
      { label: "best so far", data: s.bestSoFar, borderColor: P[3], backgroundColor: P[3], showLine: true, stepped: "before",
        pointRadius: 0, borderWidth: 2 } ] },
      options: { maintainAspectRatio: false, plugins: { title: MM.title("Optimisation history") },
        scales: { x: MM.axis("trial number (count)", { ticks: { precision: 0 } }),
          y: MM.axis(`${s.metric} (${s.higherIsBetter ? "higher" : "lower"} is better)`, { grace: "5%" }) } } });
    // parallel coordinates
    const axes = s.params.map(p => p.name).concat([s.metric]);
    const value = (t, p) => {
      if (p.categorical) { return cats[p.name].indexOf(t.params[p.name]); }
      const v = t.params[p.name];
      return p.log ? Math.log10(Math.max(v, 1e-300)) : v;
    };
    const cats = {};
    s.params.filter(p => p.categorical).forEach(p => { cats[p.name] = [...new Set(finished.map(t => t.params[p.name]))].sort(); });
    const cols = s.params.map(p => finished.map(t => value(t, p))).concat([finished.map(t => t.score)]);
    const scaled = cols.map(c => { const lo = Math.min(...c), hi = Math.max(...c); return c.map(v => hi > lo ? (v - lo) / (hi - lo) : 0.5); });
    const bestN = s.bestSoFar.length ? s.bestSoFar[s.bestSoFar.length - 1] : null;
    const best = bestN ? finished.findIndex(t => t.score === bestN.y) : -1;
    MM.chart("chart-parallel", { type: "line", data: { labels: axes, datasets: finished.map((t, i) => ({
        label: "trial " + t.number, data: scaled.map(c => c[i]), borderColor: i === best ? P[3] : P[0] + "55",
        borderWidth: i === best ? 3 : 1.5, pointRadius: 2, order: i === best ? 0 : 1 })) },
      options: { maintainAspectRatio: false, plugins: { title: MM.title("Parallel coordinates"), legend: { display: false } },
        scales: { x: MM.axis("hyperparameter, then the score"), y: MM.axis("scaled value (0 = smallest, 1 = largest)", { min: 0, max: 1 }) } } });
    impCard.querySelector(".note").textContent = "Importance: " + s.importanceMethod + "."
      + (s.importance.length ? "" : " (Needs 3 finished trials.)");
    MM.chart("chart-importance", { type: "bar", data: { labels: s.importance.map(i => i.name),
        datasets: [{ label: "share of score variance", data: s.importance.map(i => i.value), backgroundColor: P[2] }] },
      options: { indexAxis: "y", maintainAspectRatio: false, plugins: { title: MM.title("Hyperparameter importance"), legend: { display: false } },
        scales: { x: MM.axis("share of the score's variance (fraction, 0 to 1)", { min: 0, max: 1 }), y: MM.axis("hyperparameter") } } });
    // slice plots
    const slices = document.getElementById("g-slices");
    s.params.forEach((p, k) => {
      const id = "chart-slice-" + p.name;
      if (!document.getElementById(id)) { MM.card(slices, id); }
      const cat = p.categorical ? cats[p.name] : null;
      const xs = finished.map(t => t.params[p.name]);
      const logAxis = p.log && xs.length > 0 && Math.min(...xs) > 0 && Math.max(...xs) > Math.min(...xs);
      MM.chart(id, { type: "scatter", data: { datasets: [{ label: s.metric, backgroundColor: P[k % 7] === "#F0E442" ? "#000000" : P[k % 7],
          data: finished.map(t => ({ x: cat ? cat.indexOf(t.params[p.name]) : t.params[p.name], y: t.score })), pointRadius: 4 }] },
        options: { maintainAspectRatio: false, plugins: { title: MM.title("Slice: " + p.name), legend: { display: false } },
          scales: { x: MM.axis(axisLabel(p, logAxis), cat ? { min: -0.5, max: cat.length - 0.5,
              afterBuildTicks: a => { a.ticks = cat.map((_, i) => ({ value: i })); }, ticks: { callback: v => cat[v] ?? "" } }
            : (logAxis ? { type: "logarithmic", ticks: { callback: logTick } }
              : { grace: "5%", ticks: { precision: xs.every(Number.isInteger) ? 0 : undefined, callback: v => MM.fmt(v) } })),
            y: MM.axis(s.metric, { grace: "5%" }) } } });
    });
    table();
  }

  function table() {
    const s = snap;
    const keys = ["number", "status", "score"].concat(s.params.map(p => p.name)).concat(["epochs", "seconds", "failure", "spec"]);
    const get = (t, k) => k in t.params ? t.params[k] : t[k];
    const f = document.getElementById("filter").value.toLowerCase();
    const rows = s.trials.filter(t => !f || JSON.stringify(t).toLowerCase().includes(f)).slice().sort((a, b) => {
      const x = get(a, sortKey), y = get(b, sortKey);
      if (x === null || y === null) { return x === y ? 0 : x === null ? 1 : -1; } // no score: always last
      const c = x < y ? -1 : x > y ? 1 : 0;
      return sortUp ? c : -c;
    });
    const t = document.getElementById("trials");
    t.innerHTML = "<tr>" + keys.map(k => `<th class="sort${k === "spec" || k === "failure" || k === "status" ? " l" : ""}" data-k="${k}" `
      + `aria-sort="${k === sortKey ? (sortUp ? "ascending" : "descending") : "none"}" scope="col">${k}${k === sortKey ? (sortUp ? " ▲" : " ▼") : ""}</th>`).join("")
      + "</tr>" + rows.map(r => "<tr>" + keys.map(k => k === "spec"
        ? `<td class="l"><details><summary>spec</summary><code>${MM.esc(r.spec)}</code></details></td>`
        : `<td${typeof get(r, k) === "string" ? ' class="l"' : ""}>${MM.esc(MM.fmt(get(r, k)))}</td>`).join("") + "</tr>").join("");
    t.querySelectorAll("th.sort").forEach(th => th.addEventListener("click", () => {
      const k = th.getAttribute("data-k");
      if (k === sortKey) { sortUp = !sortUp; } else { sortKey = k; sortUp = true; }
      table();
    }));
  }

  document.getElementById("filter").addEventListener("input", table);
  draw();
  document.body.setAttribute("data-ready", "1");
  if (snap.live) {
    setInterval(() => {
      fetch("api/snapshot", { cache: "no-store" }).then(r => r.json()).then(j => {
        if (j.error) { document.getElementById("status").textContent = "error: " + j.error; return; }
        j.live = true; snap = j; draw();
      }).catch(e => { document.getElementById("status").textContent = "dashboard server unreachable: " + e; });
    }, 1000);
  }
})();
