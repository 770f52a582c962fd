package io.micromodels.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.frozen.Activation;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.tune.ParetoTrials;
import io.micromodels.tune.SearchObjective;
import io.micromodels.tune.TrialRecord;
import io.micromodels.tune.TrialStatus;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Pareto plot: which points it draws in which series, its axes, and the PNG. */
class TunePlotsTest {
    static final MicromodelSpec SPEC = Micromodel.classifier(2).input(5).dense(8, Activation.TANH).adam(0.01).build();
    static final List<SearchObjective> AUC_LATENCY = SearchObjective.parseAll(List.of("auc", "latency"));

    static TrialRecord trial(int n, TrialStatus status, double auc, double latency) {
        return new TrialRecord("0badcafe-" + n, n, new double[] {0.5}, SPEC, 1, status == TrialStatus.COMPLETE ? auc : Double.NaN,
                "auc", 3, 2, 0.1, 0.1, status, status == TrialStatus.COMPLETE ? "" : "x", new double[0], Double.NaN,
                new double[] {auc, latency});
    }

    @Test
    void drawsEveryCompleteTrialTheFrontInLatencyOrderAndThePickedOne(@TempDir Path tmp) throws Exception {
        List<TrialRecord> trials = List.of(trial(1, TrialStatus.COMPLETE, 0.80, 900), trial(2, TrialStatus.COMPLETE, 0.78, 500),
                trial(3, TrialStatus.COMPLETE, 0.75, 520), trial(4, TrialStatus.FAILED, Double.NaN, Double.NaN),
                trial(5, TrialStatus.COMPLETE, 0.70, 30));
        List<TrialRecord> front = ParetoTrials.front(trials, AUC_LATENCY);
        ExplainPlots.Figure f = TunePlots.paretoFigure(trials, front, AUC_LATENCY, 2, "fastest-within 3%");
        XYPlot plot = (XYPlot) f.chart().getPlot();
        XYDataset ds = plot.getDataset();
        assertEquals(3, ds.getSeriesCount());
        assertEquals(4, ds.getItemCount(0), "the four complete trials");
        assertEquals(3, ds.getItemCount(1), "the front: 5, 2, 1");
        double[] xs = {ds.getXValue(1, 0), ds.getXValue(1, 1), ds.getXValue(1, 2)};
        assertEquals(List.of(30.0, 500.0, 900.0), List.of(xs[0], xs[1], xs[2]), "joined in latency order");
        assertEquals(0.70, ds.getYValue(1, 0));
        assertEquals(1, ds.getItemCount(2));
        assertEquals(500.0, ds.getXValue(2, 0), "the picked trial 2");
        assertTrue(plot.getDomainAxis() instanceof LogAxis, "latency spans 30x: a log axis");
        assertTrue(f.chart().getTitle().getText().equals("Pareto front: auc against latency"));
        Path png = f.writePng(tmp.resolve("pareto.png"));
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(760, img.getWidth());
        assertEquals(560, img.getHeight());
        IllegalArgumentException three = assertThrows(IllegalArgumentException.class, () -> TunePlots.paretoFigure(trials, front,
                SearchObjective.parseAll(List.of("auc", "latency", "params")), 0, "best"));
        assertTrue(three.getMessage().startsWith("objectives must be two"), three.getMessage());
    }
}
