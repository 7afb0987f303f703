package dev.cotenant.eval;

import dev.cotenant.eval.fill.FillExperiment;
import dev.cotenant.fragmentation.FillRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.data.xy.XYSeries;

/** What {@code cotenant eval fill} prints and writes: the table, fill.json and fill.svg. */
final class FillReport {

  private FillReport() {}

  static void header(PrintWriter w, FillCommand.Input input, FillExperiment.Setup setup) {
    long gpus = FillRun.capacityMilli(input.nodes()) / 1000;
    w.printf(
        "fill %s: %d nodes, %d GPUs, %d pods, then samples up to %.0f%% of GPU capacity;"
            + " %d seed(s), target workload of %d shapes%n%n",
        input.name(),
        input.nodes().size(),
        gpus,
        input.trace().size(),
        100 * setup.inflate(),
        setup.seeds().size(),
        setup.target().shapes().size());
  }

  static void table(
      PrintWriter w, List<FillExperiment.PolicyResult> results, Map<String, Double> published) {
    w.println("unallocated share of GPU capacity (%) at arrived GPU demand, mean ± sd over seeds");
    StringBuilder head = new StringBuilder(String.format("%-20s", "policy"));
    for (int p : FillExperiment.READ_AT) {
      head.append(String.format(" %15s", p + "%"));
    }
    if (!published.isEmpty()) {
      head.append(String.format(" %10s", "published"));
    }
    head.append(String.format(" %9s %10s", "pods", "pods/s"));
    w.println(head);
    for (FillExperiment.PolicyResult r : results) {
      StringBuilder row = new StringBuilder(String.format("%-20s", r.policy()));
      for (int p : FillExperiment.READ_AT) {
        row.append(String.format(" %15s", meanSd(r.meanUnallocated(p), r.sdUnallocated(p))));
      }
      if (!published.isEmpty()) {
        Double figure = published.get(r.policy());
        row.append(String.format(" %10s", figure == null ? "" : String.format("%.2f", figure)));
      }
      row.append(String.format(" %9.0f %10.0f", r.meanPods(), r.podsPerSecond()));
      w.println(row);
    }
  }

  private static String meanSd(double mean, double sd) {
    return Double.isNaN(mean) ? "-" : String.format("%.2f ± %.2f", mean, sd);
  }

  /** An array, one object per policy: policy, unallocatedPercent, unallocatedPercentSd. */
  static void writeJson(List<FillExperiment.PolicyResult> results, Path file) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (FillExperiment.PolicyResult r : results) {
      Map<String, Object> mean = new LinkedHashMap<>();
      Map<String, Object> sd = new LinkedHashMap<>();
      for (int p : FillExperiment.READ_AT) {
        mean.put(String.valueOf(p), finiteOrNull(r.meanUnallocated(p)));
        sd.put(String.valueOf(p), finiteOrNull(r.sdUnallocated(p)));
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("policy", r.policy());
      row.put("unallocatedPercent", mean);
      row.put("unallocatedPercentSd", sd);
      rows.add(row);
    }
    EvalCommand.writePretty(rows, file);
  }

  private static Double finiteOrNull(double value) {
    return Double.isFinite(value) ? value : null;
  }

  /** FGD's Fig. 9 form: allocated against arrived GPU demand, per policy, mean over seeds. */
  static void writeSvg(List<FillExperiment.PolicyResult> results, String name, Path file)
      throws IOException {
    List<XYSeries> series = new ArrayList<>();
    XYSeries ideal = new XYSeries("every arrived pod placed");
    int max = 0;
    for (FillExperiment.PolicyResult r : results) {
      XYSeries s = new XYSeries(r.policy());
      double[] curve = r.meanAllocatedPercent();
      for (int p = 0; p < curve.length; p++) {
        if (!Double.isNaN(curve[p])) {
          s.add(p, curve[p]);
        }
      }
      max = Math.max(max, curve.length - 1);
      series.add(s);
    }
    for (int p = 0; p <= max; p++) {
      ideal.add(p, Math.min(p, 100));
    }
    series.add(ideal);
    Charts.lines(
        "Allocated GPU against arrived GPU demand (" + name + ")",
        "arrived GPU demand (% of capacity)",
        "allocated GPU (% of capacity)",
        series,
        file);
  }
}
