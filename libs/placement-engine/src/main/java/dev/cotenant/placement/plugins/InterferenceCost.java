package dev.cotenant.placement.plugins;

import dev.cotenant.interference.Prediction;
import dev.cotenant.placement.framework.CandidateView;
import dev.cotenant.placement.framework.CycleState;
import dev.cotenant.placement.framework.PodContext;
import dev.cotenant.placement.framework.Predictions;
import dev.cotenant.placement.framework.Score;
import dev.cotenant.placement.state.AppIds;
import dev.cotenant.placement.state.Card;
import dev.cotenant.placement.state.ReservedPod;
import java.util.List;

/**
 * Interference-aware: the predicted seconds lost by sharing this card, negated (lower cost, higher
 * score): the slowdown of the new pod and the extra slowdown it causes its co-tenants, over the
 * time they would share (see {@link #cost}), + {@code uncertaintyPenalty × Σ uncertainty} over the
 * pairs that are not measured, so an unknown pair must look clearly better to be chosen over a
 * known one. An empty card costs 0: the policy spreads while it can and shares when sharing is
 * cheap or capacity forces it.
 */
public final class InterferenceCost implements Score {

  /** The cost of a placement the rule predicts to fail; the compatibility filter removes it. */
  static final double FAILING = 1e12;

  @Override
  public String name() {
    return PluginNames.INTERFERENCE_COST;
  }

  @Override
  public double score(CycleState cycle, PodContext pod, CandidateView candidate) {
    return candidate.card().map(c -> -cost(pod, c)).orElse(0.0);
  }

  /**
   * Only the tenants (apps and remaining work) matter, not the card's free compute or memory: the
   * engine scores one card per group of cards with the same tenant apps, the first in node order
   * that passes the filters.
   */
  @Override
  public boolean dependsOnCapacity() {
    return false;
  }

  /**
   * Predicted seconds lost by adding {@code pod} to {@code card}, tenant by tenant over the time
   * each pair would share the card: with co-tenant {@code i}, {@code D_i = min(the new pod's run at
   * its shared rate, i's remaining run at its new rate)}; over {@code D_i} the new pod loses {@code
   * D_i × (1 - T(pod|i))} and {@code i} loses {@code D_i × (1 - T(i|pod))}. A co-tenant about to
   * finish costs little even when the pair is bad, and a crowded card costs what each of its
   * tenants costs for as long as that tenant stays (counting only the shortest overlap would price
   * a four-tenant card as if three tenants left with the first).
   */
  public static double cost(PodContext pod, Card card) {
    int[] apps = card.tenantAppIds();
    if (apps.length == 0) {
      return 0;
    }
    Predictions p = pod.predictions();
    int app = AppIds.of(pod.app());
    double mine = p.combinedThroughput(app, apps);
    if (mine <= 0) {
      return FAILING;
    }
    double myRun = pod.workSeconds() / mine;
    double cost = 0;
    double uncertainty = 0;
    List<ReservedPod> tenants = card.tenants();
    for (int i = 0, n = tenants.size(); i < n; i++) {
      ReservedPod tenant = tenants.get(i);
      // Under CoLocation's product rule the new pod multiplies each tenant's rate by
      // T(tenant|app), whatever else shares the card.
      Prediction hurt = p.predict(tenant.appId(), app);
      Prediction suffer = p.predict(app, tenant.appId());
      if (hurt.isIncompatible() || hurt.normalizedThroughput() <= 0 || suffer.isIncompatible()) {
        return FAILING;
      }
      double factor = hurt.normalizedThroughput();
      double tenantRun = tenant.remainingSeconds(pod.nowSeconds()) / factor;
      cost += sharedLoss(myRun, suffer.normalizedThroughput(), tenantRun, factor);
      uncertainty += unknown(suffer) + unknown(hurt);
    }
    return cost + pod.config().uncertaintyPenalty() * uncertainty;
  }

  /**
   * Seconds two pods lose by running side by side for as long as both run: {@code a} would run
   * {@code runA} seconds at rate {@code throughputA} (relative to alone) beside {@code b}, and
   * {@code b} likewise; over their overlap each loses {@code 1 - throughput} of every second. The
   * one formula both placement and rebalancing price a pair with.
   */
  public static double sharedLoss(
      double runA, double throughputA, double runB, double throughputB) {
    return Math.min(runA, runB) * ((1 - throughputA) + (1 - throughputB));
  }

  private static double unknown(Prediction prediction) {
    return prediction.isKnown() ? 0 : prediction.uncertainty();
  }
}
