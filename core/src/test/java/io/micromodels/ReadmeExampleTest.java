package io.micromodels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.data.Datasets;
import io.micromodels.data.PreparedData;
import io.micromodels.data.Table;
import io.micromodels.explain.Explainer;
import io.micromodels.explain.ShapExplanation;
import io.micromodels.frozen.FrozenMicromodel;
import io.micromodels.io.Freezer;
import io.micromodels.io.ModelStore;
import io.micromodels.frozen.Activation;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.TrainedModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's Java example, compiled and run; and a check that the README shows exactly this code. */
class ReadmeExampleTest {

    @Test
    void theReadmeShowsThisExample() throws Exception {
        String readme = Files.readString(io.micromodels.TestPaths.root().resolve("README.md"));
        Matcher m = Pattern.compile("<!-- example:start -->\\s*```java\\n(.*?)```\\s*<!-- example:end -->", Pattern.DOTALL)
                .matcher(readme);
        assertTrue(m.find(), "README has the example block");
        String source = Files.readString(io.micromodels.TestPaths.core("src/test/java/io/micromodels/ReadmeExampleTest.java"));
        int a = source.lastIndexOf("// example:start\n");
        int b = source.lastIndexOf("        // example:end");
        List<String> fromTest = source.substring(a + "// example:start\n".length(), b).lines()
                .map(l -> l.length() >= 8 ? l.substring(8) : l.strip()).toList();
        assertEquals(m.group(1).lines().toList(), fromTest);
    }

    @Test
    void theExampleRuns() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Path saved;
        try {
            saved = example();
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("auc"), out);
        assertTrue(out.contains("disease: 0."), out);
        assertTrue(Files.isRegularFile(saved));
    }

    private static Path example() throws Exception {
        // example:start
        Path dir = Files.createTempDirectory("micromodels");
        PreparedData data = Datasets.load("heart_disease_cleveland").prepare(42);
        MicromodelSpec spec = Micromodel.classifier(2).input(data.pipeline().width())
                .dense(32, Activation.RELU).dropout(0.1)
                .dense(16, Activation.RELU)
                .l2(1e-4).adam(1e-3).seed(7).build();
        try (TrainedModel model = TrainedModel.train(data, spec, "heart_disease_cleveland")) {
            System.out.println(model.testMetrics().table());
            ModelStore.save(model, dir.resolve("heart.zip"), false);

            // Why did the model score the first test patient as it did?
            ShapExplanation why = Explainer.shap(model, data.train().getFeatures())
                    .explain(data.test().getFeatures().getRow(0).toDoubleVector());
            for (int i : why.orderByMagnitude()) {
                System.out.printf("%-10s %-28s %+.3f%n", why.featureNames().get(i), why.featureValueLabels().get(i), why.values()[i]);
            }

            // The frozen copy scores raw CSV cells in plain Java, about a microsecond a row, with no ND4J.
            FrozenMicromodel frozen = Freezer.freeze(model);
            Table raw = Datasets.load("heart_disease_cleveland").table();
            Map<String, String> patient = new HashMap<>();
            for (String column : frozen.columns()) {
                patient.put(column, raw.row(0)[raw.indexOf(column)]);
            }
            System.out.println("disease: " + frozen.predict(patient).probability("1"));
        }
        // example:end
        return dir.resolve("heart.zip");
    }
}
