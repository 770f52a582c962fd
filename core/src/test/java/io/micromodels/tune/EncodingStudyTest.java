package io.micromodels.tune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.data.BundledDataset;
import io.micromodels.data.Datasets;
import io.micromodels.data.Normalization;
import io.micromodels.data.PreparedData;
import io.micromodels.data.Table;
import io.micromodels.frozen.FrozenMicromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.TrainedModel;
import io.micromodels.tune.space.SpaceConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.ObjIntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A study that searches the encoding of numeric features ({@link SpaceConfig#normalizations()}). */
class EncodingStudyTest {
    static final List<Normalization> TWO = List.of(Normalization.STANDARDIZE, Normalization.PIECEWISE_LINEAR);

    /** Records each executor pass: its data and its candidates, trained by the population executor. */
    static final class Recording implements TrialExecutor {
        final TrialExecutor inner = TrialExecutor.population(1);
        final List<PreparedData> data = new ArrayList<>();
        final List<List<MicromodelSpec>> specs = new ArrayList<>();

        @Override
        public List<TrialOutcome> run(List<MicromodelSpec> candidates, PreparedData d, ObjIntConsumer<TrialOutcome> finished) {
            data.add(d);
            specs.add(List.copyOf(candidates));
            return inner.run(candidates, d, finished);
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Test
    void searchesTwoEncodingsOnGermanCreditAndTheBestModelCarriesItsTrialsPipeline(@TempDir Path tmp) throws Exception {
        StudyOptions o = StudyOptions.forDataset("german_credit").withTrials(8).withEpochs(12, 4).withSeed(5)
                .withSpace(SpaceConfig.defaults().withNormalizations(TWO));
        Path dir = tmp.resolve("study");
        BundledDataset credit = Datasets.load("german_credit");
        Recording rec = new Recording();
        try (Study study = Study.create(dir, o)) {
            study.setPopulation(4).setExecutor(rec);
            assertEquals(TWO, study.encodings());
            assertEquals("normalization", study.space().coordinateNames().get(study.space().numParameters() - 1));
            // each encoding's data is what preparing german_credit with it gives: same split rows, its own width
            for (Normalization e : TWO) {
                PreparedData alone = credit.prepare(credit.options().withSeed(5).withNormalization(e));
                assertEquals(alone.pipeline().width(), study.data(e).pipeline().width(), e.name());
                assertEquals(e, study.data(e).pipeline().normalization());
                assertArrayEquals(alone.raw().splitRows()[0], study.data(e).raw().splitRows()[0], e.name());
                assertArrayEquals(study.data().raw().splitRows()[2], study.data(e).raw().splitRows()[2], e.name());
            }
            int standardized = study.data(Normalization.STANDARDIZE).pipeline().width();
            int ple = study.data(Normalization.PIECEWISE_LINEAR).pipeline().width();
            assertTrue(ple > standardized, "piecewise-linear gives several features per numeric column: " + ple + " vs "
                    + standardized);

            List<TrialRecord> trials = study.run(StudyTest.QUIET);
            assertEquals(8, trials.size());
            Set<Normalization> used = EnumSet.noneOf(Normalization.class);
            for (TrialRecord t : trials) {
                assertNotNull(t.normalization(), "trial " + t.number());
                used.add(t.normalization());
                assertEquals(study.space().normalization(t.point()), t.normalization(), "trial " + t.number());
                assertEquals(study.data(t.normalization()).pipeline().width(), t.spec().inputs(), "trial " + t.number());
            }
            assertEquals(EnumSet.copyOf(TWO), used, "both encodings were tried");
            // one executor pass per encoding: every candidate of a pass has the width of the data it was handed
            assertTrue(rec.data.size() > 2, "two batches of mixed encodings: " + rec.data.size() + " passes");
            for (int i = 0; i < rec.data.size(); i++) {
                Normalization e = rec.data.get(i).pipeline().normalization();
                assertSame(study.data(e), rec.data.get(i), "pass " + i);
                for (MicromodelSpec s : rec.specs.get(i)) {
                    assertEquals(rec.data.get(i).pipeline().width(), s.inputs(), "pass " + i);
                }
            }
            for (String line : Files.readAllLines(dir.resolve(Study.TRIALS_FILE), StandardCharsets.UTF_8)) {
                assertTrue(line.contains("\"normalization\":\"STANDARDIZE\"") || line.contains("\"normalization\":\"PIECEWISE_LINEAR\""),
                        line);
            }

            TrialRecord best = study.best().orElseThrow();
            try (TrainedModel model = study.saveBest()) {
                assertEquals(best.normalization(), model.pipeline().normalization());
                assertEquals(best.spec().inputs(), model.pipeline().width());
                FrozenMicromodel frozen = FrozenMicromodel.load(study.bestModelPath());
                PreparedData.Raw raw = study.data().raw();
                List<String[]> rows = raw.validation().subList(0, 25);
                double[][] dl4j = model.predict(Table.of("validation rows", raw.columns(), rows));
                List<String> outputs = model.outputNames();
                List<String> labels = frozen.metadata().classLabels();
                for (int i = 0; i < rows.size(); i++) {
                    String[] cells = new String[frozen.columns().size()];
                    for (int j = 0; j < cells.length; j++) {
                        cells[j] = rows.get(i)[raw.columns().indexOf(frozen.columns().get(j))];
                    }
                    double[] out = new double[frozen.outputWidth()];
                    frozen.predict(cells, out);
                    for (int k = 0; k < labels.size(); k++) {
                        assertEquals(dl4j[i][outputs.indexOf("p_" + labels.get(k))], out[k], 1e-5, "row " + i + " " + labels.get(k));
                    }
                }
            }
        }
        // resuming prepares the same encodings again and continues
        try (Study again = Study.resume(dir)) {
            assertEquals(TWO, again.encodings());
            assertEquals(Files.readAllLines(dir.resolve(Study.TRIALS_FILE)).size(), again.trials().size());
            again.updateTrialTarget(10).setPopulation(2);
            List<TrialRecord> all = again.run(StudyTest.QUIET);
            assertEquals(10, all.size());
            for (TrialRecord t : all) {
                assertEquals(again.data(t.normalization()).pipeline().width(), t.spec().inputs(), "trial " + t.number());
            }
            // a trial of the encoding the study's own data does not have, retrained on its encoding's data
            TrialRecord standardized = all.stream().filter(t -> t.complete() && t.normalization() == Normalization.STANDARDIZE)
                    .findFirst().orElseThrow();
            try (TrainedModel model = again.model(standardized)) {
                assertEquals(Normalization.STANDARDIZE, model.pipeline().normalization());
                assertEquals(standardized.score(), io.micromodels.train.Objective.forTask(again.data().task()).evaluate(
                        model.network(), again.data(Normalization.STANDARDIZE).validation(), model.pipeline()), 1e-6,
                        "retrained as the trial trained");
            }
        }
    }

    @Test
    void aStudyRecordedBeforeEncodingsWereResumesOnItsDataOptionsEncoding(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 240, 9);
        Path dir = tmp.resolve("old");
        try (Study study = Study.create(dir, StudyTest.options(csv, GeneratorKind.RANDOM, 2))) {
            study.run(StudyTest.QUIET);
        }
        String json = Files.readString(dir.resolve(Study.STUDY_FILE));
        assertTrue(!json.contains("normalizations"), "a space that searches no encoding is written as before: " + json);
        // trials.jsonl as written before trials recorded their encoding
        List<String> lines = Files.readAllLines(dir.resolve(Study.TRIALS_FILE));
        List<String> old = lines.stream().map(l -> l.replace(",\"normalization\":\"PIECEWISE_LINEAR\"", "")).toList();
        assertTrue(!String.join("\n", old).contains("normalization") && !old.equals(lines), String.join("\n", lines));
        Files.write(dir.resolve(Study.TRIALS_FILE), old);
        try (Study again = Study.resume(dir).updateTrialTarget(3)) {
            assertEquals(List.of(Normalization.PIECEWISE_LINEAR), again.encodings());
            assertEquals(null, again.trials().get(0).normalization());
            List<TrialRecord> all = again.run(StudyTest.QUIET);
            assertEquals(3, all.size());
            assertEquals(Normalization.PIECEWISE_LINEAR, all.get(2).normalization(), "new trials record it");
            TrialRecord first = all.get(0);
            try (TrainedModel model = again.model(first.complete() ? first : all.get(1))) {
                assertEquals(Normalization.PIECEWISE_LINEAR, model.pipeline().normalization());
            }
        }
    }

    @Test
    void crossValidatedAndHalvingStudiesTrainEachTrialOnItsEncoding(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 240, 9);
        SpaceConfig space = StudyTest.SMALL.withNormalizations(List.of(Normalization.QUANTILE, Normalization.PIECEWISE_LINEAR));
        StudyOptions cv = StudyTest.options(csv, GeneratorKind.RANDOM, 4).withSpace(space).withCv(CrossValidation.folds(2));
        try (Study study = Study.create(tmp.resolve("cv"), cv).setPopulation(4)) {
            for (TrialRecord t : study.run(StudyTest.QUIET)) {
                assertEquals(2, t.foldScores().length, t.toString());
                assertEquals(study.data(t.normalization()).pipeline().width(), t.spec().inputs(), "trial " + t.number());
            }
            TrialRecord best = study.best().orElseThrow();
            try (TrainedModel model = study.bestModel()) {
                assertEquals(best.normalization(), model.pipeline().normalization(), "the refit uses the best trial's encoding");
            }
        }
        StudyOptions halving = StudyTest.options(csv, GeneratorKind.RANDOM, 6).withSpace(space).withEpochs(6, 0)
                .withExecution(1, 4).withHalving(new Halving(List.of(2, 4), 0.5));
        try (Study study = Study.create(tmp.resolve("halving"), halving)) {
            List<TrialRecord> trials = study.run(StudyTest.QUIET);
            assertEquals(6, trials.size());
            for (TrialRecord t : trials) {
                assertEquals(study.data(t.normalization()).pipeline().width(), t.spec().inputs(), "trial " + t.number());
                assertTrue(t.complete() || t.status() == TrialStatus.PARTIAL, t.toString());
            }
        }
    }
}
