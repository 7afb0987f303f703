package dev.cotenant.placement.plugins;

import static dev.cotenant.placement.Fixtures.app;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.PairEntry;
import dev.cotenant.placement.Fixtures;
import dev.cotenant.placement.framework.Score;
import dev.cotenant.placement.model.PodShape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each score plugin ranks card states as its policy wants: the rows give card contents from best to
 * worst for a pod of app "a", and the raw scores must strictly decrease along them.
 */
class ScorePluginsTest {

  static Stream<Arguments> rankings() {
    return Stream.of(
        // binpack: least free (profiled) memory first
        Arguments.of(
            new LeastFreeGpuMemory(),
            List.of("x:100:8000", "a:100:1000 b:100:1000", "a:100:1000", "")),
        // spread: most free first
        Arguments.of(
            new MostFreeResources(), List.of("", "a:100:1000", "a:500:1000", "a:500:9000")),
        // loadbalance: lowest profiled utilisation sum first (b=10, a=40, x=90)
        Arguments.of(new LowestUtilSum(), List.of("", "b:100:1", "a:100:1", "x:100:1 b:100:1")),
        // standalone: same app, then empty, then others
        Arguments.of(new SameAppTogether(), List.of("a:1:1 a:1:1", "", "a:1:1 b:1:1")),
        // interference-aware: empty, good measured neighbour, unknown neighbour, bad neighbour
        Arguments.of(new InterferenceCost(), List.of("", "b:1:1:50", "y:1:1:50", "x:1:1:50")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rankings")
  void ranksCardsInPolicyOrder(Score plugin, List<String> bestToWorst) {
    var model =
        Fixtures.model(
            List.of(app("a", 2000, 40), app("b", 1000, 10), app("x", 8000, 90), AppInfo.named("y")),
            List.of(
                PairEntry.measured("a", "b", 0.9),
                PairEntry.measured("b", "a", 0.9),
                PairEntry.measured("a", "x", 0.3),
                PairEntry.measured("x", "a", 0.5),
                PairEntry.measured("x", "b", 0.9)));
    List<Double> scores = new ArrayList<>();
    for (String tenants : bestToWorst) {
      var f = new PluginFixture(tenants, model);
      scores.add(plugin.score(f.cycle, f.pod("a", PodShape.share(0, 0, 100, 1000)), f.card0()));
    }
    for (int i = 1; i < scores.size(); i++) {
      assertThat(scores.get(i))
          .as(
              "%s: %s after %s",
              plugin.name(), bestToWorst.get(i), Arrays.toString(scores.toArray()))
          .isLessThan(scores.get(i - 1));
    }
  }
}
