package dev.cotenant.profiler.mapping;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.interference.PairEntry;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The interference matrix as an asymmetric SVG heatmap: row = app, column = co-tenant, colour =
 * normalised throughput of the row app (red 0 → green 1). Predicted cells are paler with a dot,
 * incompatible ones dark with a ×, and each cell's {@code <title>} says how the value is known.
 * Written by hand: a few rects and texts, with every name XML-escaped.
 */
public final class HeatmapSvg {
  private static final int CELL = 26;
  private static final int CHAR = 7;

  private HeatmapSvg() {}

  public static String render(InterferenceMatrix matrix) {
    List<String> apps = matrix.apps().stream().map(AppInfo::name).toList();
    int label = 12 + CHAR * apps.stream().mapToInt(String::length).max().orElse(4);
    int left = label;
    int top = label + 30;
    int width = left + CELL * apps.size() + 20;
    int height = top + CELL * apps.size() + 40;
    StringBuilder svg = new StringBuilder(4096 + apps.size() * apps.size() * 220);
    svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append(
            String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                    + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n",
                width,
                height,
                width,
                height))
        .append("<title>")
        .append(escape("Interference on " + matrix.device() + ": row app with column co-tenant"))
        .append("</title>\n")
        .append(
            "<defs><pattern id=\"predicted\" width=\"6\" height=\"6\""
                + " patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
                + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#ffffff\""
                + " stroke-width=\"2\" stroke-opacity=\"0.6\"/></pattern></defs>\n")
        .append(text(8, 16, "app (row) with co-tenant (column): normalised throughput", ""));
    for (int i = 0; i < apps.size(); i++) {
      String name = escape(apps.get(i));
      int y = top + i * CELL + CELL / 2 + 4;
      svg.append(text(left - 6, y, apps.get(i), " text-anchor=\"end\" class=\"row\""));
      int x = left + i * CELL + CELL / 2 + 4;
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" transform=\"rotate(-90 %d %d)\" class=\"column\">%s</text>%n",
              x,
              top - 6,
              x,
              top - 6,
              name));
    }
    for (int r = 0; r < apps.size(); r++) {
      for (int c = 0; c < apps.size(); c++) {
        Optional<PairEntry> pair = matrix.pair(apps.get(r), apps.get(c));
        if (pair.isPresent()) {
          cell(svg, left + c * CELL, top + r * CELL, pair.get());
        }
      }
    }
    int legend = top + apps.size() * CELL + 24;
    svg.append(
            text(
                left,
                legend,
                "green 1.0 = as fast as alone, red 0 = stopped; pale with a dot = predicted,"
                    + " \u00d7 = incompatible",
                ""))
        .append("</svg>\n");
    return svg.toString();
  }

  private static void cell(StringBuilder svg, int x, int y, PairEntry p) {
    svg.append("<g class=\"cell\">");
    svg.append("<title>").append(escape(title(p))).append("</title>");
    if (p.incompatible()) {
      svg.append(rect(x, y, "#444444", 1))
          .append(
              String.format(
                  Locale.ROOT,
                  "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#ffffff\""
                      + " font-size=\"16\">\u00d7</text>",
                  x + CELL / 2,
                  y + CELL / 2 + 6));
    } else {
      double t = p.normalizedThroughput().orElse(0);
      boolean predicted = p.evidence().predicted();
      svg.append(rect(x, y, colour(t), predicted ? 0.45 : 1));
      if (predicted) {
        svg.append(
                String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"url(#predicted)\"/>",
                    x,
                    y,
                    CELL - 1,
                    CELL - 1))
            .append(
                String.format(
                    Locale.ROOT,
                    "<circle cx=\"%d\" cy=\"%d\" r=\"2.5\" fill=\"#333333\"/>",
                    x + CELL / 2,
                    y + CELL / 2));
      }
    }
    svg.append("</g>\n");
  }

  /** The hover text, e.g. "resnet50 with vgg16: 0.58 (measured, 7 observations, ±0.02)". */
  static String title(PairEntry p) {
    String head = p.app() + " with " + p.with() + ": ";
    if (p.incompatible()) {
      return head + "incompatible";
    }
    PairEntry.Evidence e = p.evidence();
    String value = String.format(Locale.ROOT, "%.2f", p.normalizedThroughput().orElse(0));
    String how;
    if (e.predicted()) {
      how = "predicted";
    } else if (e.count() > 0) {
      how = "measured, " + e.count() + (e.count() == 1 ? " observation" : " observations");
    } else {
      how = e.uncertainty().isPresent() ? "measured" : "given";
    }
    if (e.uncertainty().isPresent()) {
      how += String.format(Locale.ROOT, ", \u00b1%.2f", e.uncertainty().getAsDouble());
    }
    return head + value + " (" + how + ")";
  }

  /** Hue from red (0) through yellow to green (1 and above). */
  static String colour(double throughput) {
    double t = Math.max(0, Math.min(1, throughput));
    return String.format(Locale.ROOT, "hsl(%.0f,70%%,50%%)", 120 * t);
  }

  private static String rect(int x, int y, String fill, double opacity) {
    return String.format(
        Locale.ROOT,
        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" fill-opacity=\"%.2f\"/>",
        x,
        y,
        CELL - 1,
        CELL - 1,
        fill,
        opacity);
  }

  private static String text(int x, int y, String s, String attributes) {
    return String.format(
        Locale.ROOT, "<text x=\"%d\" y=\"%d\"%s>%s</text>%n", x, y, attributes, escape(s));
  }

  /** XML text and attribute escaping: app names are user input. */
  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          // Characters XML 1.0 forbids (control codes) cannot appear even escaped.
          if (ch >= 0x20 || ch == '\t' || ch == '\n' || ch == '\r') {
            out.append(ch);
          }
        }
      }
    }
    return out.toString();
  }
}
