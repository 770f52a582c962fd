package io.micromodels.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@link DataOptions#dateTrend()}: the trend feature equals the hand-computed fractional years since 1970 of each date,
 * clipped to the training split's range of dates and standardised with the mean and population std of the training
 * split's dates.
 */
class DateTrendTest {
    /** Dates whose years since 1970 are exact by hand: 2016, 2020 and 2024 are leap years, so 07-02 is day 184 of 366. */
    private static final Map<String, Double> YEARS = Map.of(
            "2016-07-02", 46.5, "2019-01-01", 49.0, "2020-01-01", 50.0, "2020-07-02", 50.5, "2021-01-01", 51.0, "2024-07-02", 54.5);
    private static final List<String> DATES = List.of("2016-07-02", "2019-01-01", "2020-01-01", "2020-07-02", "2021-01-01", "2024-07-02");

    @Test
    void trendIsStandardisedYearsSince1970OnTheTrainingSplit() {
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String d = DATES.get((i * 7) % DATES.size());
            rows.add(new String[] {d, Integer.toString(i % 9), Double.toString(YEARS.get(d) + (i % 5) * 0.1)});
        }
        Table t = Table.of("tiny.csv", List.of("d", "x", "y"), rows);
        PreparedData prep = DataPipeline.prepare(t, "x", DataOptions.builder("y").dateTrend(true).normalization(Normalization.STANDARDIZE).seed(3).build());
        FittedPipeline p = prep.pipeline();
        assertEquals(List.of("d:dow_sin", "d:dow_cos", "d:month_sin", "d:month_cos", "d:trend", "x"), p.featureNames());

        List<String[]> train = prep.raw().train();
        double mean = train.stream().mapToDouble(r -> YEARS.get(r[0])).average().orElseThrow();
        double var = train.stream().mapToDouble(r -> (YEARS.get(r[0]) - mean) * (YEARS.get(r[0]) - mean)).average().orElseThrow();
        double std = Math.sqrt(var);
        float[][] f = prep.train().getFeatures().toFloatMatrix();
        for (int i = 0; i < train.size(); i++) {
            assertEquals((YEARS.get(train.get(i)[0]) - mean) / std, f[i][4], 1e-6, "training row " + i);
        }
        // Any later row uses the training mean and std, on every path: DataVec and the frozen plan.
        Table one = Table.of("new.csv", List.of("d", "x"), List.<String[]>of(new String[] {"2020-07-02", "1"}));
        double[] x = p.transform(one, DataType.DOUBLE).toDoubleVector();
        assertEquals((50.5 - mean) / std, x[4], 1e-12);
        double[] frozen = PipelineCompiler.compile(p).transform(new String[] {"2020-07-02", "1"});
        assertEquals((50.5 - mean) / std, frozen[4], 1e-12);
    }

    @Test
    void datesOutsideTheTrainingRangeAreClippedToItOnEveryPath() {
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String d = DATES.get((i * 7) % DATES.size());
            rows.add(new String[] {d, Integer.toString(i % 9), Double.toString(YEARS.get(d) + (i % 5) * 0.1)});
        }
        PreparedData prep = DataPipeline.prepare(Table.of("tiny.csv", List.of("d", "x", "y"), rows), "x",
                DataOptions.builder("y").dateTrend(true).normalization(Normalization.STANDARDIZE).seed(3).build());
        FittedPipeline p = prep.pipeline();
        List<String[]> train = prep.raw().train();
        double mean = train.stream().mapToDouble(r -> YEARS.get(r[0])).average().orElseThrow();
        double std = Math.sqrt(train.stream().mapToDouble(r -> (YEARS.get(r[0]) - mean) * (YEARS.get(r[0]) - mean)).average().orElseThrow());
        double min = train.stream().mapToDouble(r -> YEARS.get(r[0])).min().orElseThrow();
        double max = train.stream().mapToDouble(r -> YEARS.get(r[0])).max().orElseThrow();
        // 2030-01-01 is 60 years after 1970, 2000-01-01 is 30: both outside the training dates, so clipped to them.
        for (String[] c : List.of(new String[] {"2030-01-01", "60"}, new String[] {"2000-01-01", "30"})) {
            double want = ((Double.parseDouble(c[1]) > max ? max : min) - mean) / std;
            String[] row = {c[0], "1"};
            assertEquals(want, p.transform(Table.of("new.csv", List.of("d", "x"), List.<String[]>of(row)), DataType.DOUBLE).toDoubleVector()[4],
                    1e-12, c[0] + " table");
            assertEquals(want, p.transform(List.<String[]>of(row), DataType.DOUBLE).toDoubleVector()[4], 1e-12, c[0] + " rows");
            assertEquals(want, PipelineCompiler.compile(p).transform(row)[4], 1e-12, c[0] + " frozen");
        }
        // The saved pipeline keeps the range: it reads back to the same clipping.
        FittedPipeline back = PipelineJson.fromJson(PipelineJson.toJson(p));
        assertEquals((max - mean) / std, PipelineCompiler.compile(back).transform(new String[] {"2030-01-01", "1"})[4], 1e-12);
    }

    @Test
    void aStepWithoutARangeDoesNotClipAsBeforeTheRangeExisted() {
        double[] out = new double[5];
        new io.micromodels.frozen.plan.DateTimeStep("d", "yyyy-MM-dd", false, false, 50.0, 2.0).apply("2030-01-01", out, 0);
        assertEquals((60.0 - 50.0) / 2.0, out[4], 1e-12);
        new io.micromodels.frozen.plan.DateTimeStep("d", "yyyy-MM-dd", false, false, 50.0, 2.0, 46.5, 54.5).apply("2030-01-01", out, 0);
        assertEquals((54.5 - 50.0) / 2.0, out[4], 1e-12);
    }

    @Test
    void offByDefaultAndOldOptionsJsonReadsAsOff() {
        assertFalse(DataOptions.of("y").dateTrend());
        assertFalse(io.micromodels.json.StrictJson.mapper().valueToTree(DataOptions.of("y")).has("dateTrend"));
        assertEquals(true, io.micromodels.json.StrictJson.mapper()
                .valueToTree(DataOptions.builder("y").dateTrend(true).build()).get("dateTrend").booleanValue());
    }
}
