package dev.cotenant.fragmentation.policy;

import dev.cotenant.fragmentation.FillPolicy;
import dev.cotenant.fragmentation.TargetWorkload;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The fill run's policies by name: FGD's five baselines and FGD itself, as its published simulator
 * defines them, and FGD with its target taken from recent arrivals ({@link FgdRecent}). A policy
 * may keep per-run caches, so each run gets a fresh one from its factory.
 */
public final class Baselines {

  private static final Map<String, Function<TargetWorkload, FillPolicy>> FACTORIES =
      new LinkedHashMap<>();

  static {
    register(RandomFit.NAME, target -> new RandomFit());
    register(DotProduct.NAME, target -> new DotProduct());
    register(GpuClustering.NAME, target -> new GpuClustering());
    register(GpuPacking.NAME, target -> new GpuPacking());
    register(BestFit.NAME, target -> new BestFit());
    register(Fgd.NAME, Fgd::new);
    register(FgdRecent.NAME, target -> new FgdRecent(FgdRecent.DEFAULT_WINDOW));
  }

  private Baselines() {}

  private static void register(String name, Function<TargetWorkload, FillPolicy> factory) {
    if (FACTORIES.putIfAbsent(name, factory) != null) {
      throw new IllegalStateException("two fill policies named " + name);
    }
  }

  /** Every name, in the order of FGD's table (worst first), then ours. */
  public static Set<String> names() {
    return Collections.unmodifiableSet(FACTORIES.keySet());
  }

  /**
   * A fresh policy.
   *
   * @param target the workload FGD measures fragmentation against; the others ignore it
   * @throws IllegalArgumentException for an unknown name
   */
  public static FillPolicy create(String name, TargetWorkload target) {
    Function<TargetWorkload, FillPolicy> factory = FACTORIES.get(name);
    if (factory == null) {
      throw new IllegalArgumentException(
          "unknown policy '" + name + "'; the policies are " + String.join(", ", names()));
    }
    return factory.apply(target);
  }
}
