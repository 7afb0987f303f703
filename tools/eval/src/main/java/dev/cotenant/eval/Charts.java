package dev.cotenant.eval;

import java.awt.Color;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The SVG charts of an eval run (bars per policy and the CDF of job completion times), and the bar
 * and line charts {@code cotenant demo} draws from its live figures.
 */
public final class Charts {

  private Charts() {}

  static void write(List<PolicyResult> results, Path dir) throws IOException {
    Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
    for (PolicyResult r : results) {
      bars.computeIfAbsent("mean JCT (s)", k -> new LinkedHashMap<>())
          .put(r.policy(), r.meanJctSeconds());
      bars.computeIfAbsent("p95 JCT (s)", k -> new LinkedHashMap<>())
          .put(r.policy(), r.p95JctSeconds());
      bars.computeIfAbsent("makespan (s)", k -> new LinkedHashMap<>())
          .put(r.policy(), r.makespanSeconds());
    }
    bars("Completion time per policy", "policy", "seconds", bars, dir.resolve("policies.svg"));

    XYSeriesCollection cdf = new XYSeriesCollection();
    for (PolicyResult r : results) {
      double[] jct =
          r.jobResults().stream()
              .filter(j -> j.completionSeconds().isPresent())
              .mapToDouble(j -> j.completionSeconds().getAsDouble())
              .sorted()
              .toArray();
      XYSeries series = new XYSeries(r.policy());
      for (int i = 0; i < jct.length; i++) {
        series.add(jct[i], (i + 1) / (double) jct.length);
      }
      cdf.addSeries(series);
    }
    JFreeChart cdfChart =
        ChartFactory.createXYLineChart(
            "CDF of job completion time",
            "job completion time (s)",
            "share of jobs",
            cdf,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    save(cdfChart, dir.resolve("jct-cdf.svg"));
  }

  /**
   * A bar chart: per series (the legend), a value per category (the x axis), categories in the
   * order the first series lists them.
   */
  public static void bars(
      String title, String x, String y, Map<String, Map<String, Double>> series, Path file)
      throws IOException {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    series.forEach(
        (name, values) -> values.forEach((category, v) -> data.addValue(v, name, category)));
    save(
        ChartFactory.createBarChart(
            title, x, y, data, PlotOrientation.VERTICAL, true, false, false),
        file);
  }

  /** A line chart of named series over x, e.g. seed 000's duration against containers. */
  public static void lines(String title, String x, String y, List<XYSeries> series, Path file)
      throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    series.forEach(data::addSeries);
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title, x, y, data, PlotOrientation.VERTICAL, true, false, false);
    // Points drawn too: a series of one point (the demo's auto) is otherwise invisible.
    if (chart.getXYPlot().getRenderer()
        instanceof org.jfree.chart.renderer.xy.XYLineAndShapeRenderer r) {
      r.setDefaultShapesVisible(true);
    }
    save(chart, file);
  }

  static boolean finite(double... values) {
    return Arrays.stream(values).allMatch(Double::isFinite);
  }

  private static void save(JFreeChart chart, Path file) throws IOException {
    chart.setBackgroundPaint(Color.WHITE);
    SVGGraphics2D g = new SVGGraphics2D(900, 500);
    chart.draw(g, new Rectangle(0, 0, 900, 500));
    Files.writeString(file, g.getSVGDocument());
  }
}
