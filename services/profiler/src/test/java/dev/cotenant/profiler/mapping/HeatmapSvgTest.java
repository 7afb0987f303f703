package dev.cotenant.profiler.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.interference.PairEntry;
import dev.cotenant.profiler.support.Svg;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Plain JUnit: the heatmap is a function of a matrix. */
class HeatmapSvgTest {
  static final String ODD = "a<b&\"c'";

  static InterferenceMatrix matrix() {
    return new InterferenceMatrix(
        "p100",
        List.of(AppInfo.named("resnet50"), AppInfo.named("vgg16"), AppInfo.named(ODD)),
        List.of(
            new PairEntry(
                "resnet50",
                "vgg16",
                OptionalDouble.of(0.58),
                false,
                PairEntry.Evidence.measured(7, 0.02)),
            new PairEntry(
                "vgg16",
                "resnet50",
                OptionalDouble.of(0.8),
                false,
                PairEntry.Evidence.predicted(0.1)),
            PairEntry.incompatible(ODD, "vgg16"),
            PairEntry.measured("resnet50", "resnet50", 0.9)));
  }

  @Test
  void isWellFormedWithOneCellPerPairAndTheirHoverTexts() throws Exception {
    String svg = HeatmapSvg.render(matrix());

    assertThat(Svg.parse(svg).getDocumentElement().getLocalName()).isEqualTo("svg");
    assertThat(Svg.cellTitles(svg))
        .containsExactlyInAnyOrder(
            "resnet50 with vgg16: 0.58 (measured, 7 observations, \u00b10.02)",
            "vgg16 with resnet50: 0.80 (predicted, \u00b10.10)",
            ODD + " with vgg16: incompatible",
            "resnet50 with resnet50: 0.90 (given)");
  }

  @Test
  void marksPredictedAndIncompatibleCells() throws Exception {
    int dots = 0;
    int crosses = 0;
    for (Element g : Svg.cells(Svg.parse(HeatmapSvg.render(matrix())))) {
      dots += g.getElementsByTagName("circle").getLength();
      NodeList texts = g.getElementsByTagName("text");
      for (int t = 0; t < texts.getLength(); t++) {
        crosses += "\u00d7".equals(texts.item(t).getTextContent()) ? 1 : 0;
      }
    }
    assertThat(dots).isEqualTo(1);
    assertThat(crosses).isEqualTo(1);
  }

  @Test
  void colourRunsFromRedAtZeroToGreenAtOne() {
    assertThat(HeatmapSvg.colour(0)).isEqualTo("hsl(0,70%,50%)");
    assertThat(HeatmapSvg.colour(1.2)).isEqualTo("hsl(120,70%,50%)");
  }
}
