package dev.cotenant.placement.plugins;

import static dev.cotenant.placement.Fixtures.app;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.placement.Fixtures;
import dev.cotenant.placement.model.PodShape;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProfiledMemoryFitTest {

  @ParameterizedTest(name = "[{0}] + {1} -> {2}")
  @CsvSource({
    "'', big, ''",
    "mid:100:1000, big, ''",
    "big:100:1000, big, ProfiledMemoryExceeded",
    "mid:100:1000 raw:100:2000, big, ProfiledMemoryExceeded",
    "raw:100:1000, big, ''",
  })
  void profiledMemoryOfTenantsPlusPodMustFitTheCard(String tenants, String podApp, String code) {
    var model =
        Fixtures.model(
            List.of(
                app("big", 9000, 50),
                app("mid", 6000, 50),
                dev.cotenant.interference.AppInfo.named("raw")),
            List.of());
    var f = new PluginFixture(tenants, model);
    var s =
        new ProfiledMemoryFit()
            .filter(f.cycle, f.pod(podApp, PodShape.share(0, 0, 100, 1000)), f.card0());
    assertThat(s.passes()).isEqualTo(code.isEmpty());
    assertThat(s.reasonCode()).isEqualTo(code);
  }
}
