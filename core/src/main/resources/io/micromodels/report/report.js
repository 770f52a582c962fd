/* Draws a model report from the JSON in #mm-data (written by io.micromodels.report.ModelReport). */
"use strict";
(() => {
  const d = MM.data();
  const P = MM.palette;
  const root = document.getElementById("mm-root");
  const section = (title, note) => {
    root.appendChild(MM.el("h2", {}, MM.esc(title)));
    if (note) { root.appendChild(MM.el("p", { class: "note" }, note)); }
    const g = MM.el("div", { class: "grid" });
    root.appendChild(g);
    return g;
  };
  const pts = (xs, ys) => xs.map((x, i) => ({ x: x, y: ys[i] }));
  const line = (label, data, color, extra) => Object.assign({ label: label, data: data, borderColor: color,
    backgroundColor: color, showLine: true, pointRadius: 0, borderWidth: 2 }, extra || {});
  const unitSquare = { min: 0, max: 1 };

  // test metrics
  const mg = section("Test metrics", MM.esc(d.metricsSource));
  const mt = MM.el("table", { id: "metrics" });
  mt.innerHTML = "<tr><th class='l'>metric</th><th>value</th></tr>" + Object.entries(d.metrics)
    .map(([k, v]) => `<tr><td class='l'>${MM.esc(k)}</td><td>${MM.fmt(v)}</td></tr>`).join("");
  const mc = MM.el("div", { class: "card scroll" }); mc.appendChild(mt); mg.appendChild(mc);
  if (d.confusion) {
    const cm = d.confusion;
    const t = MM.el("table", { id: "confusion" });
    const cap = MM.el("p", { class: "note" }, "Confusion matrix: rows are the actual class, columns the predicted one ("
      + (d.threshold !== null ? "'" + MM.esc(d.positiveClass) + "' when its " + (d.calibrated ? "Platt-calibrated " : "")
      + "probability is at least " + MM.fmt(d.threshold) + ", the model's decision threshold" 
      : "the most probable class") + ").");
    t.innerHTML = "<tr><th></th>" + cm.classes.map(c => `<th>${MM.esc(c)}</th>`).join("") + "</tr>"
      + cm.matrix.map((row, i) => `<tr><th class='l'>${MM.esc(cm.classes[i])}</th>`
      + row.map(v => `<td>${v}</td>`).join("") + "</tr>").join("");
    const c = MM.el("div", { class: "card scroll" }); c.appendChild(cap); c.appendChild(t); mg.appendChild(c);
  }

  // training curves
  if (d.history) {
    const h = d.history;
    const g = section("Training curves", `Stopped: ${MM.esc(h.stop)} after ${h.epoch.length} epochs; kept epoch ${h.best}.`);
    MM.card(g, "chart-history");
    const best = h.epoch.indexOf(h.best);
    MM.chart("chart-history", { type: "scatter", data: { datasets: [
      line("training loss (with L1/L2 penalty)", pts(h.epoch, h.train), P[0]),
      line("validation loss", pts(h.epoch, h.validation), P[1], { borderDash: [6, 3] }),
      { label: "kept epoch " + h.best, data: best >= 0 ? [{ x: h.best, y: h.validation[best] }] : [],
        backgroundColor: P[3], borderColor: P[3], pointRadius: 6, pointStyle: "triangle" } ] },
      options: { maintainAspectRatio: false, plugins: { title: MM.title("Loss per epoch") },
        scales: { x: MM.axis("epoch (count)", { ticks: { precision: 0 } }),
          y: MM.axis("loss (" + d.lossName + (d.kind === "regression" ? " on the standardised target" : "") + ", per example)") } } });
  } else {
    section("Training curves", "This model file holds no per-epoch history (saved before history.json was recorded).");
  }

  if (d.roc) {
    const g = section("Classification curves", `Positive class '${MM.esc(d.positiveClass)}'; computed on ${MM.esc(d.curveSource)}.`);
    MM.card(g, "chart-roc", `ROC AUC ${MM.fmt(d.roc.auc)}.`);
    MM.chart("chart-roc", { type: "scatter", data: { datasets: [
      line("ROC curve", pts(d.roc.x, d.roc.y), P[0], { stepped: false }),
      line("chance", [{ x: 0, y: 0 }, { x: 1, y: 1 }], "#777", { borderDash: [4, 4], borderWidth: 1 }) ] },
      options: { maintainAspectRatio: false, plugins: { title: MM.title("ROC curve") },
        scales: { x: MM.axis("false positive rate (fraction)", unitSquare), y: MM.axis("true positive rate (fraction)", unitSquare) } } });
    MM.card(g, "chart-pr", `Average precision ${MM.fmt(d.pr.ap)}; the dashed line is the positive share ${MM.fmt(d.pr.base)}.`);
    MM.chart("chart-pr", { type: "scatter", data: { datasets: [
      line("precision-recall curve", pts(d.pr.x, d.pr.y), P[2], { stepped: "after" }),
      line("positive share", [{ x: 0, y: d.pr.base }, { x: 1, y: d.pr.base }], "#777", { borderDash: [4, 4], borderWidth: 1 }) ] },
      options: { maintainAspectRatio: false, plugins: { title: MM.title("Precision-recall curve") },
        scales: { x: MM.axis("recall (fraction)", unitSquare), y: MM.axis("precision (fraction)", unitSquare) } } });
    MM.card(g, "chart-calibration", "Mean predicted probability against the observed share of positives in 10 equal-width bins; "
      + "bins: " + d.calibration.count.join(", ") + " rows.");
    MM.chart("chart-calibration", { type: "scatter", data: { datasets: [
      line("model", pts(d.calibration.x, d.calibration.y), P[3], { pointRadius: 4 }),
      line("perfectly calibrated", [{ x: 0, y: 0 }, { x: 1, y: 1 }], "#777", { borderDash: [4, 4], borderWidth: 1 }) ] },
      options: { maintainAspectRatio: false, plugins: { title: MM.title("Calibration (reliability) diagram") },
        scales: { x: MM.axis("mean predicted probability (fraction)", unitSquare), y: MM.axis("observed positive share (fraction)", unitSquare) } } });
  }
  if (d.regression) {
    const r = d.regression;
    const g = section("Regression", `Computed on ${MM.esc(d.curveSource)}, in the target's units (${MM.esc(d.target)}).`);
    const lo = Math.min(...r.actual, ...r.predicted), hi = Math.max(...r.actual, ...r.predicted);
    MM.card(g, "chart-predicted");
    MM.chart("chart-predicted", { type: "scatter", data: { datasets: [
      { label: "rows", data: pts(r.actual, r.predicted), backgroundColor: P[0] + "99", pointRadius: 3 },
      line("predicted = actual", [{ x: lo, y: lo }, { x: hi, y: hi }], "#777", { borderDash: [4, 4], borderWidth: 1 }) ] },
      options: { maintainAspectRatio: false, plugins: { title: MM.title("Predicted against actual") },
        scales: { x: MM.axis("actual " + d.target), y: MM.axis("predicted " + d.target) } } });
    MM.card(g, "chart-residuals");
    MM.chart("chart-residuals", { type: "scatter", data: { datasets: [
      { label: "residual", data: pts(r.predicted, r.predicted.map((p, i) => r.actual[i] - p)), backgroundColor: P[3] + "99", pointRadius: 3 } ] },
      options: { maintainAspectRatio: false, plugins: { title: MM.title("Residuals") },
        scales: { x: MM.axis("predicted " + d.target), y: MM.axis("actual − predicted " + d.target) } } });
  }

  if (d.importance) {
    const im = d.importance;
    const g = section("Permutation importance", `How much worse the ${MM.esc(im.metric)} of ${MM.esc(im.explained)} gets (baseline `
      + `${MM.fmt(im.baseline)}) when one column's values are shuffled across the rows of ${MM.esc(d.curveSource)}; mean of 5 `
      + "shuffles, their standard deviation in the table.");
    const c = MM.card(g, "chart-importance");
    c.querySelector(".chart").style.height = Math.max(240, 22 * im.features.length + 80) + "px";
    MM.chart("chart-importance", { type: "bar", data: { labels: im.features,
        datasets: [{ label: "worsening", data: im.mean, backgroundColor: P[0] }] },
      options: { indexAxis: "y", maintainAspectRatio: false, plugins: { title: MM.title("Permutation importance"), legend: { display: false } },
        scales: { x: MM.axis(`worsening of ${im.metric} (${im.metric} units)`), y: MM.axis("column", { ticks: { autoSkip: false } }) } } });
    const t = MM.el("table", { id: "importance" });
    t.innerHTML = "<tr><th class='l'>column</th><th>mean worsening</th><th>std</th></tr>" + im.features
      .map((f, i) => `<tr><td class='l'>${MM.esc(f)}</td><td>${MM.fmt(im.mean[i])}</td><td>${MM.fmt(im.std[i])}</td></tr>`).join("");
    const tc = MM.el("div", { class: "card scroll" }); tc.appendChild(t); g.appendChild(tc);
  }

  if (d.shap) {
    const sh = d.shap;
    const g = section("SHAP summary", `Mean absolute SHAP value of each column for ${MM.esc(sh.explained)} over the first `
      + `${sh.rows} rows of ${MM.esc(d.curveSource)} (base value ${MM.fmt(sh.base)}); the table adds the mean signed value. `
      + "Per-row explanations and plots: micromodels explain.");
    const c = MM.card(g, "chart-shap");
    c.querySelector(".chart").style.height = Math.max(240, 22 * sh.features.length + 80) + "px";
    MM.chart("chart-shap", { type: "bar", data: { labels: sh.features,
        datasets: [{ label: "mean |SHAP|", data: sh.meanAbs, backgroundColor: P[1] }] },
      options: { indexAxis: "y", maintainAspectRatio: false, plugins: { title: MM.title("SHAP summary"), legend: { display: false } },
        scales: { x: MM.axis(`mean |SHAP value| (units of ${sh.explained})`), y: MM.axis("column", { ticks: { autoSkip: false } }) } } });
    const t = MM.el("table", { id: "shap" });
    t.innerHTML = "<tr><th class='l'>column</th><th>mean |SHAP|</th><th>mean SHAP</th></tr>" + sh.features
      .map((f, i) => `<tr><td class='l'>${MM.esc(f)}</td><td>${MM.fmt(sh.meanAbs[i])}</td><td>${MM.fmt(sh.mean[i])}</td></tr>`).join("");
    const tc = MM.el("div", { class: "card scroll" }); tc.appendChild(t); g.appendChild(tc);
  }

  // data report
  const dg = section("Data", d.data ? MM.esc(d.data.summary) : "No data file given: run with --data FILE.csv for the data report and curves.");
  if (d.data) {
    const t = MM.el("table", { id: "columns" });
    t.innerHTML = "<tr><th class='l'>column</th><th class='l'>role</th><th class='l'>kind</th><th>missing</th><th>distinct</th></tr>"
      + d.data.columns.map(c => `<tr><td class='l'>${MM.esc(c.name)}</td><td class='l'>${MM.esc(c.role)}</td><td class='l'>${MM.esc(c.kind)}</td>`
      + `<td>${c.missing}</td><td>${c.distinct}</td></tr>`).join("");
    const c = MM.el("div", { class: "card scroll" }); c.appendChild(t); dg.appendChild(c);
    if (d.data.classes) {
      MM.card(dg, "chart-classes");
      const split = d.data.classes[0].train !== undefined;
      const sets = split ? [["train", "train", P[0]], ["validation", "validation", P[1]], ["test", "test", P[2]]]
        : [["rows", "count", P[0]]];
      MM.chart("chart-classes", { type: "bar", data: { labels: d.data.classes.map(c => c.label),
        datasets: sets.map(([label, key, colour]) => ({ label: label, data: d.data.classes.map(c => c[key]), backgroundColor: colour })) },
        options: { maintainAspectRatio: false, plugins: { title: MM.title(split ? "Class shares per split" : "Class shares"),
          legend: { display: split } },
          scales: { x: MM.axis("class of " + d.target), y: MM.axis("rows (count)", { beginAtZero: true }) } } });
    }
  }
  const sg = section("Spec, pipeline and provenance");
  for (const [k, v] of [["spec", d.spec], ["pipeline", d.pipeline], ["provenance", d.provenance]]) {
    const c = MM.el("div", { class: "card" });
    c.appendChild(MM.el("h3", {}, MM.esc(k)));
    c.appendChild(MM.el("pre", {}, MM.esc(v)));
    sg.appendChild(c);
  }
  document.body.setAttribute("data-ready", "1");
})();
