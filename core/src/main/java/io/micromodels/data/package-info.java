/**
 * Tabular data for micromodels: bundled real datasets and a DataVec/ND4J preprocessing pipeline.
 *
 * <h2>Entry points</h2>
 * <pre>{@code
 * // A bundled dataset with its catalog defaults (target, task, dropped columns, time column, kinds):
 * PreparedData data = Datasets.load("german_credit").prepare(42);
 * System.out.println(data.report());                 // rows, missing, class balance, per-column summary
 *
 * // Any CSV:
 * PreparedData mine = DataPipeline.prepare(Path.of("loans.csv"),
 *         DataOptions.builder("default").separator(';').dropColumn("id").build());
 * DataSet train = mine.train();                      // features float32 [n, width], labels one-hot [n, k]
 *
 * // At predict time, the same preprocessing:
 * FittedPipeline p = mine.pipeline();
 * UnseenCounter unseen = new UnseenCounter();                      // the caller's count of new categories
 * INDArray x = p.transform(p.readCsv(Path.of("new.csv"), ';'), DataType.FLOAT, unseen);   // [n, p.width()]
 * double[] y = p.targetEncoder().toOriginalUnits(zPredictions);     // regression: back to the target's units
 * PipelineJson.write(p, out);                                       // pipeline.json
 * CompiledPipeline fast = PipelineCompiler.compile(p);              // plain-Java form, ~1 µs per row
 * }</pre>
 *
 * <h2>What runs where</h2>
 * <ul>
 *   <li>{@link io.micromodels.data.Table} parses CSV (BOM, CRLF, quotes, separators; errors name file, line and column).</li>
 *   <li>{@link io.micromodels.data.SchemaInference} infers {@link io.micromodels.data.ColumnKind}s and expresses them as a
 *       DataVec {@code Schema}.</li>
 *   <li>{@link io.micromodels.data.DataPipeline} cleans, splits (seeded; stratified or time-ordered) and fits on the
 *       training split only, as a short orchestrator over named steps (see its Javadoc).</li>
 *   <li>{@link io.micromodels.data.FittedPipeline} is the immutable fitted result; its jobs each have one class:
 *       {@code DataVecTransform} runs a DataVec {@code TransformProcess} (imputation, indicators, booleans, safe one-hot,
 *       cyclical date-times) and the ND4J normalisers, {@link io.micromodels.data.PipelineJson} saves it as strict JSON,
 *       {@link io.micromodels.data.PipelineCompiler} compiles it to {@link io.micromodels.frozen.plan.CompiledPipeline},
 *       {@link io.micromodels.data.TargetEncoder} encodes the target.</li>
 *   <li>{@link io.micromodels.data.Datasets} lists and loads the bundled CSVs ({@code datasets/catalog.json},
 *       {@code datasets/ATTRIBUTION.md}).</li>
 * </ul>
 * Where DataVec could not do what is needed the piece is written here and its Javadoc says why: the CSV reader, the
 * one-hot encoder that tolerates unseen categories, and the cyclical date-time encoder.
 */
package io.micromodels.data;
