package dev.cotenant.placement.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.PairEntry;
import dev.cotenant.placement.Fixtures;
import dev.cotenant.placement.model.PodShape;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InterferenceCompatibleTest {

  @ParameterizedTest(name = "[{0}] + {1} -> {2}")
  @CsvSource({
    "'', a, ''",
    "b:1:1, a, Incompatible",
    "c:1:1, a, Incompatible",
    "d:1:1, a, ''",
    "d:1:1 b:1:1, a, Incompatible",
  })
  void incompatibleInEitherDirectionIsRejected(String tenants, String app, String code) {
    var model =
        Fixtures.model(
            List.of(AppInfo.named("a"), AppInfo.named("b"), AppInfo.named("c"), AppInfo.named("d")),
            List.of(
                PairEntry.incompatible("a", "b"),
                PairEntry.incompatible("c", "a"),
                PairEntry.measured("a", "d", 0.9)));
    var f = new PluginFixture(tenants, model);
    var s =
        new InterferenceCompatible()
            .filter(f.cycle, f.pod(app, PodShape.share(0, 0, 1, 1)), f.card0());
    assertThat(s.passes()).isEqualTo(code.isEmpty());
    assertThat(s.reasonCode()).isEqualTo(code);
  }
}
