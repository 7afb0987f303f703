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

  /**
   * A table of values as coloured cells, each with its value written in. {@code diverging}: red
   * below 0, white at 0, green above, saturated at the largest magnitude; else light to dark blue
   * from the smallest value to the largest.
   */
  public static void heatmap(
      String title,
      List<String> rows,
      List<String> columns,
      double[][] values,
      boolean diverging,
      String format,
      Path file)
      throws IOException {
    org.jfree.data.xy.DefaultXYZDataset data = new org.jfree.data.xy.DefaultXYZDataset();
    int n = rows.size() * columns.size();
    double[][] xyz = new double[3][n];
    double largest = 1e-9;
    double smallest = Double.POSITIVE_INFINITY;
    org.jfree.chart.plot.XYPlot plot = new org.jfree.chart.plot.XYPlot();
    for (int r = 0, i = 0; r < rows.size(); r++) {
      for (int c = 0; c < columns.size(); c++, i++) {
        xyz[0][i] = c;
        xyz[1][i] = r;
        xyz[2][i] = values[r][c];
        largest = Math.max(largest, diverging ? Math.abs(values[r][c]) : values[r][c]);
        smallest = Math.min(smallest, values[r][c]);
        org.jfree.chart.annotations.XYTextAnnotation label =
            new org.jfree.chart.annotations.XYTextAnnotation(
                String.format(format, values[r][c]), c, r);
        label.setFont(new java.awt.Font("SansSerif", java.awt.Font.PLAIN, 12));
        plot.addAnnotation(label);
      }
    }
    data.addSeries("gain", xyz);
    double high = largest;
    double low = diverging ? -largest : smallest;
    org.jfree.chart.renderer.PaintScale colours =
        new org.jfree.chart.renderer.PaintScale() {
          @Override
          public double getLowerBound() {
            return low;
          }

          @Override
          public double getUpperBound() {
            return high;
          }

          @Override
          public java.awt.Paint getPaint(double value) {
            if (!diverging) {
              float t = high > low ? (float) ((value - low) / (high - low)) : 0;
              int fade = Math.round(255 * (1 - 0.6f * t));
              return new Color(fade, fade, 255);
            }
            float t = (float) Math.min(1, Math.abs(value) / high);
            int fade = Math.round(255 * (1 - 0.7f * t));
            return value < 0 ? new Color(255, fade, fade) : new Color(fade, 255, fade);
          }
        };
    org.jfree.chart.renderer.xy.XYBlockRenderer renderer =
        new org.jfree.chart.renderer.xy.XYBlockRenderer();
    renderer.setPaintScale(colours);
    plot.setDataset(data);
    plot.setRenderer(renderer);
    plot.setDomainAxis(new org.jfree.chart.axis.SymbolAxis(null, columns.toArray(String[]::new)));
    plot.setRangeAxis(new org.jfree.chart.axis.SymbolAxis(null, rows.toArray(String[]::new)));
    plot.setBackgroundPaint(Color.WHITE);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
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
