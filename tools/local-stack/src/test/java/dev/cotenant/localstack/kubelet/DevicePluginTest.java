package dev.cotenant.localstack.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.localstack.kubelet.DevicePlugin.Granted;
import dev.cotenant.localstack.kubelet.DevicePlugin.Refused;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class DevicePluginTest {
  final DevicePlugin plugin = new DevicePlugin(List.of("GPU-a", "GPU-b", "GPU-c"), 12000);

  static BoundPod pod(
      String uid, int whole, List<String> uuids, List<Integer> indexes, long shareMiB) {
    return new BoundPod(
        uid,
        "ns",
        uid,
        "n",
        "app",
        "img",
        List.of("main"),
        false,
        whole,
        uuids,
        indexes,
        shareMiB > 0,
        shareMiB,
        0,
        OptionalDouble.empty(),
        0,
        Optional.empty());
  }

  @Test
  void aPinnedPodGetsItsCardsEvenWhenOthersHoldThem() {
    assertThat(plugin.allocate(pod("p1", 1, List.of("GPU-b"), List.of(), 0)))
        .isEqualTo(new Granted(List.of(1), 12000));
    assertThat(plugin.allocate(pod("p2", 0, List.of("GPU-b"), List.of(), 3000)))
        .isEqualTo(new Granted(List.of(1), 3000));
    assertThat(plugin.allocate(pod("p3", 0, List.of(), List.of(2, 2), 3000)))
        .isEqualTo(new Granted(List.of(2), 3000));
    assertThat(plugin.holdersOf(1)).containsExactlyInAnyOrder("p1", "p2");
  }

  @Test
  void anUnknownCardIsRefusedAsTheDevicePluginWould() {
    assertThat(plugin.allocate(pod("p", 1, List.of("GPU-zzz"), List.of(), 0)))
        .isInstanceOfSatisfying(
            Refused.class, r -> assertThat(r.reason()).isEqualTo("UnexpectedAdmissionError"));
    assertThat(plugin.allocate(pod("q", 1, List.of(), List.of(3), 0))).isInstanceOf(Refused.class);
  }

  @Test
  void unpinnedWholeCardsAreFreeOnesUntilNoneAreLeft() {
    assertThat(plugin.allocate(pod("p1", 1, List.of("GPU-a"), List.of(), 0)))
        .isInstanceOf(Granted.class);
    assertThat(plugin.allocate(pod("p2", 2, List.of(), List.of(), 0)))
        .isEqualTo(new Granted(List.of(1, 2), 12000));
    assertThat(plugin.allocate(pod("p3", 1, List.of(), List.of(), 0)))
        .isInstanceOfSatisfying(
            Refused.class,
            r -> {
              assertThat(r.reason()).isEqualTo("OutOfnvidia.com/gpu");
              assertThat(r.message()).contains("requested: 1, used: 3, capacity: 3");
            });
    plugin.release("p2");
    assertThat(plugin.allocate(pod("p3", 1, List.of(), List.of(), 0)))
        .isEqualTo(new Granted(List.of(1), 12000));
  }

  @Test
  void anUnpinnedShareGoesWhereMostMemoryIsLeftAndACpuPodGetsNoCard() {
    plugin.allocate(pod("p1", 0, List.of(), List.of(0), 8000));
    plugin.allocate(pod("p2", 0, List.of(), List.of(1), 2000));
    assertThat(plugin.allocate(pod("p3", 0, List.of(), List.of(), 4000)))
        .isEqualTo(new Granted(List.of(2), 4000));
    assertThat(plugin.allocate(pod("cpu", 0, List.of(), List.of(), 0)))
        .isEqualTo(new Granted(List.of(), 0));
  }
}
