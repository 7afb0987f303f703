package dev.cotenant.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cotenant.eval.Charts;
import dev.cotenant.eval.Seed000;
import dev.cotenant.eval.scenario.Seed001;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.data.xy.XYSeries;

/** The demo's tables beside the seeds' published figures, its SVG charts and demo.json. */
final class DemoReport {
  private DemoReport() {}

  static void seed001(PrintWriter w, Seed001Demo.Result r) {
    w.println();
    w.println(
        "seed 001: 8 containers (2 each of LAMMPS, GROMACS, Tensorflow, QMCPACK) on one node with"
            + " 4 Titan Xp");
    w.println(
        "simulated seconds; Cotenant's columns from the services' events (first pod start to last"
            + " end; each pod's start to end), the seed's from its Table 4");
    w.printf(
        "%-19s %11s %9s %7s %11s %9s %7s  %s%n",
        "policy", "makespan_s", "seed_s", "diff", "mean_run_s", "seed_s", "diff", "cards L1..Q2");
    for (Seed001Demo.Row row : r.rows()) {
      StringBuilder cards = new StringBuilder();
      for (String c : Seed001.CONTAINERS) {
        List<Integer> g = row.cards().getOrDefault(c, List.of());
        cards.append(g.isEmpty() ? "-" : g.get(0)).append(' ');
      }
      w.printf(
          "%-19s %11.0f %9s %7s %11.0f %9s %7s  %s%s%n",
          row.policy(),
          row.live().makespanSeconds(),
          published(row.publishedMakespanSeconds()),
          diff(row.live().makespanSeconds(), row.publishedMakespanSeconds()),
          row.live().meanRunSeconds(),
          published(row.publishedMeanRunSeconds()),
          diff(row.live().meanRunSeconds(), row.publishedMeanRunSeconds()),
          cards.toString().trim(),
          row.live().failed() > 0 ? "  (" + row.live().failed() + " pods failed)" : "");
    }
    w.printf(
        "profiling: the profiler's published profiles count %d ordered app pairs from runs (%d of"
            + " them measured outright, the rest blended with its prediction)%s%n",
        r.countedPairs().size(),
        r.measuredPairs().size(),
        r.notRun().isEmpty() ? "" : "; not run together: " + r.notRun());
  }

  static void seed000(PrintWriter w, Seed000Demo.Result r) {
    w.println();
    w.println(
        "seed 000: one CPU job (306 s of work) split into N one-core containers, 10-core worker");
    w.printf(
        "simulated seconds; Cotenant's: first pod bound to last pod's end (events) + %.0f s the seed"
            + " pipeline's fixed cost (orchestration, merge; tools/eval's fit)%n",
        Seed000.OVERHEAD_SECONDS);
    w.printf(
        "%-10s %7s %12s %7s %12s %9s %14s %10s%n",
        "containers",
        "seed_s",
        "one_by_one_s",
        "diff",
        "gang_s",
        "diff",
        "start_spread_s",
        "gang_spread");
    for (Seed000Demo.Row row : r.rows()) {
      String gang =
          row.gang().map(g -> String.format("%.0f", g.pipelineSeconds())).orElse("never fits");
      String gangDiff = row.gang().map(g -> diff(g.pipelineSeconds(), row.published())).orElse("");
      w.printf(
          "%-10d %7s %12.0f %7s %12s %9s %14.0f %10s%n",
          row.containers(),
          published(row.published()),
          row.perPod().pipelineSeconds(),
          diff(row.perPod().pipelineSeconds(), row.published()),
          gang,
          gangDiff,
          row.perPod().startSpreadSeconds(),
          row.gang().map(g -> String.format("%.0f", g.startSpreadSeconds())).orElse(""));
    }
    w.printf(
        "auto (max %d): placement chose N = %d; %.0f s (seed's best measured: 87 s at N = 20)%n",
        Seed000Demo.AUTO_MAX, r.auto().chosenReplicas(), r.auto().run().pipelineSeconds());
    w.println("seed 000 saw 30 containers start 59 s apart (start_spread_s at 30, one by one)");
  }

  private static String published(double v) {
    return Double.isNaN(v) ? "-" : String.format("%.0f", v);
  }

  private static String diff(double live, double published) {
    return Double.isNaN(published) || !Double.isFinite(live)
        ? ""
        : String.format("%+.1f%%", 100 * (live / published - 1));
  }

  /** seed001.svg, seed000.svg and demo.json under {@code out}. */
  static void write(
      Path out, Seed001Demo.Result s1, Seed000Demo.Result s0, double speed, double wallSeconds)
      throws IOException {
    Files.createDirectories(out);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("speed", speed);
    json.put("wallSeconds", wallSeconds);
    if (s1 != null) {
      Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Seed001Demo.Row row : s1.rows()) {
        bar(bars, "makespan, Cotenant (s)", row.policy(), row.live().makespanSeconds());
        bar(bars, "makespan, seed 001 (s)", row.policy(), row.publishedMakespanSeconds());
        bar(bars, "mean run, Cotenant (s)", row.policy(), row.live().meanRunSeconds());
        bar(bars, "mean run, seed 001 (s)", row.policy(), row.publishedMeanRunSeconds());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", row.policy());
        m.put("makespanSeconds", row.live().makespanSeconds());
        m.put("meanRunSeconds", row.live().meanRunSeconds());
        m.put("runSeconds", row.live().runSeconds());
        m.put("cards", row.cards());
        m.put("failedPods", row.live().failed());
        m.put("publishedMakespanSeconds", nullIfNaN(row.publishedMakespanSeconds()));
        m.put("publishedMeanRunSeconds", nullIfNaN(row.publishedMeanRunSeconds()));
        rows.add(m);
      }
      Charts.bars(
          "Seed 001 live: Cotenant beside the seed's Table 4",
          "policy",
          "simulated seconds",
          bars,
          out.resolve("seed001.svg"));
      json.put(
          "seed001",
          Map.of(
              "rows",
              rows,
              "countedPairs",
              s1.countedPairs(),
              "measuredPairs",
              s1.measuredPairs(),
              "notRun",
              s1.notRun()));
    }
    if (s0 != null) {
      XYSeries seed = new XYSeries("seed 000 (measured)");
      XYSeries perPod = new XYSeries("Cotenant, pods one by one");
      XYSeries gang = new XYSeries("Cotenant, gang");
      XYSeries auto = new XYSeries("Cotenant, auto");
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Seed000Demo.Row row : s0.rows()) {
        if (!Double.isNaN(row.published())) {
          seed.add(row.containers(), row.published());
        }
        perPod.add(row.containers(), row.perPod().pipelineSeconds());
        row.gang().ifPresent(g -> gang.add(row.containers(), g.pipelineSeconds()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("containers", row.containers());
        m.put("publishedSeconds", nullIfNaN(row.published()));
        m.put("onePodAtATime", row.perPod());
        m.put("gang", row.gang().orElse(null));
        m.put("gangNeverFits", row.gangNeverFits());
        rows.add(m);
      }
      auto.add(s0.auto().chosenReplicas(), s0.auto().run().pipelineSeconds());
      Charts.lines(
          "Seed 000 live: pipeline time against containers",
          "containers",
          "simulated seconds",
          List.of(seed, perPod, gang, auto),
          out.resolve("seed000.svg"));
      json.put(
          "seed000",
          Map.of(
              "fixedSeconds",
              Seed000.OVERHEAD_SECONDS,
              "rows",
              rows,
              "auto",
              Map.of("chosenReplicas", s0.auto().chosenReplicas(), "run", s0.auto().run())));
    }
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(out.resolve("demo.json").toFile(), json);
  }

  private static void bar(
      Map<String, Map<String, Double>> bars, String series, String x, double v) {
    if (!Double.isNaN(v)) {
      bars.computeIfAbsent(series, k -> new LinkedHashMap<>()).put(x, v);
    }
  }

  private static Double nullIfNaN(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
