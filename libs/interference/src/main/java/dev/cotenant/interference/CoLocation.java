package dev.cotenant.interference;

import java.util.Collection;
import java.util.function.BiFunction;

/**
 * The rule for three or more tenants on one GPU, used by both the simulator's ground truth and the
 * engine's predictions so the two can never disagree about it.
 *
 * <p>Rule: the rate of an app with co-tenants {@code c1..ck} is the product of its pairwise
 * normalised throughputs {@code T(app|c1) × … × T(app|ck)}. Each co-tenant independently takes its
 * pairwise share of the resources the app was using; for two tenants it is the measured pair
 * itself, and it falls monotonically as tenants are added (a fourth tenant never helps). Any
 * incompatible co-tenant makes the rate 0 (the pod fails).
 */
public final class CoLocation {

  private CoLocation() {}

  public static double combinedThroughput(
      String app, Collection<String> coTenants, BiFunction<String, String, Prediction> pairwise) {
    double throughput = 1.0;
    for (String with : coTenants) {
      Prediction p = pairwise.apply(app, with);
      if (p.isIncompatible()) {
        return 0;
      }
      throughput *= p.normalizedThroughput();
    }
    return throughput;
  }
}
