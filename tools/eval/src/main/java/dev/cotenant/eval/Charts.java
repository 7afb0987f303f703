package dev.cotenant.eval;

import java.awt.Color;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/** The SVG charts of an eval run: bars per policy and the CDF of job completion times. */
final class Charts {

  private Charts() {}

  static void write(List<PolicyResult> results, Path dir) throws IOException {
    DefaultCategoryDataset bars = new DefaultCategoryDataset();
    for (PolicyResult r : results) {
      bars.addValue(r.meanJctSeconds(), "mean JCT (s)", r.policy());
      bars.addValue(r.p95JctSeconds(), "p95 JCT (s)", r.policy());
      bars.addValue(r.makespanSeconds(), "makespan (s)", r.policy());
    }
    JFreeChart barChart =
        ChartFactory.createBarChart(
            "Completion time per policy",
            "policy",
            "seconds",
            bars,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    save(barChart, dir.resolve("policies.svg"));

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

  /** A line chart of named series over x, e.g. seed 000's duration against containers. */
  static void lines(String title, String x, String y, List<XYSeries> series, Path file)
      throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    series.forEach(data::addSeries);
    save(
        ChartFactory.createXYLineChart(
            title, x, y, data, PlotOrientation.VERTICAL, true, false, false),
        file);
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
