package dev.cotenant.placement;

import dev.cotenant.interference.Prediction;
import dev.cotenant.placement.framework.Predictions;
import dev.cotenant.placement.plugins.InterferenceCost;
import dev.cotenant.placement.state.AppGroup;
import dev.cotenant.placement.state.Card;
import dev.cotenant.placement.state.ClusterState;
import dev.cotenant.placement.state.ReservedPod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Finds the one change to running GPU-share pods that saves the most predicted seconds: a move of a
 * pod to another card, or a swap of two pods between cards. The engine applies it and asks again,
 * so a round is a local search that stops when no change pays for its migrations.
 *
 * <p>A card's cost is what its tenants lose to each other for as long as they share it: the sum
 * over its pairs of {@link InterferenceCost#sharedLoss} (pairwise, so for three or more tenants an
 * approximation), plus the uncertainty penalty of pairs that are not measured; a pair predicted to
 * fail is infinite. A change's gain is the cost it removes minus {@code migrationSeconds} per pod
 * moved. Costs are never negative, so a change's gain is at most the cost it could remove; the
 * search visits the costliest cards first and stops where that bound cannot beat the best found.
 *
 * <p>Bounded work: a round costs every shared card once, then each applied change re-costs only the
 * cards it touched; a search's sources are the {@value #MAX_SOURCE_CARDS} costliest; a move looks
 * at one card per tenant-app group (the first in node order with room, as placement does), so a
 * search costs sources × groups, not sources × cards.
 */
final class Rebalancer {

  static final int MAX_SOURCE_CARDS = 64;

  /** One pod to a card. */
  record Move(ReservedPod pod, Card to) {}

  /** What to change and the seconds it saves after paying for its moves. */
  record Plan(List<Move> moves, double gainSeconds) {}

  private final ClusterState state;
  private final Predictions predictions;
  private final double uncertaintyPenalty;
  private final double now;
  // Every shared card with a finite, positive cost, costliest first: scanned once per round, then
  // kept up to date card by card as changes are applied.
  private final List<Source> ranked = new ArrayList<>();

  /** A round at {@code now}: costs every shared card once. */
  Rebalancer(ClusterState state, Predictions predictions, double uncertaintyPenalty, double now) {
    this.state = state;
    this.predictions = predictions;
    this.uncertaintyPenalty = uncertaintyPenalty;
    this.now = now;
    for (AppGroup group : state.appGroups()) {
      if (group.exclusive() || group.apps().size() < 2 || group.size() == 0) {
        continue;
      }
      for (Card c : group.cards()) {
        rankedSource(c).ifPresent(ranked::add);
      }
    }
    ranked.sort(COSTLIEST_FIRST);
  }

  /** The cards a change touched: re-costed, re-ranked. */
  void changed(Collection<Card> cards) {
    ranked.removeIf(src -> cards.contains(src.card));
    for (Card c : new LinkedHashSet<>(cards)) {
      rankedSource(c)
          .ifPresent(
              src -> {
                int at = Collections.binarySearch(ranked, src, COSTLIEST_FIRST);
                ranked.add(at < 0 ? -at - 1 : at, src);
              });
    }
  }

  private Optional<Source> rankedSource(Card c) {
    if (c.exclusive() || c.tenants().size() < 2) {
      return Optional.empty();
    }
    double cost = cost(c.tenants(), now);
    return cost > 0 && cost < Double.POSITIVE_INFINITY
        ? Optional.of(new Source(c, c.tenants(), cost))
        : Optional.empty();
  }

  /**
   * The best change that saves more than it costs, if any. Card costs are sums over pairs, so a
   * change's gain is what the moved pods cost beside their old tenants minus what they would cost
   * beside their new ones, minus the migrations.
   */
  Optional<Plan> best(double migrationSeconds) {
    List<Source> sources = ranked.subList(0, Math.min(MAX_SOURCE_CARDS, ranked.size()));
    Plan best = null;
    double bestGain = 0;
    for (Source p : sources) {
      if (p.cost - migrationSeconds <= bestGain) {
        break; // costs are never negative: no move off this or a cheaper card can do better
      }
      for (ReservedPod x : p.tenants) {
        double leave = movable(x) ? joining(x, p.tenants, x, now) : 0;
        if (leave - migrationSeconds <= bestGain) {
          continue;
        }
        for (AppGroup group : state.appGroups()) {
          if (group.exclusive() || group.size() == 0) {
            continue;
          }
          Card s =
              group.firstFitting(
                  x.shape().gpuMilli(),
                  x.shape().gpuMemoryMiB(),
                  c -> c != p.card && nodeFits(x, c));
          if (s == null) {
            continue;
          }
          double gain = leave - joining(x, s.tenants(), null, now) - migrationSeconds;
          if (gain > bestGain) {
            bestGain = gain;
            best = new Plan(List.of(new Move(x, s)), gain);
          }
        }
      }
    }
    for (int a = 0; a < sources.size(); a++) {
      Source p = sources.get(a);
      for (int b = a + 1; b < sources.size(); b++) {
        Source q = sources.get(b);
        if (p.cost + q.cost - 2 * migrationSeconds <= bestGain) {
          break; // sources are costliest first
        }
        for (ReservedPod x : p.tenants) {
          if (!movable(x)) {
            continue;
          }
          double leaveX = joining(x, p.tenants, x, now);
          for (ReservedPod y : q.tenants) {
            if (!movable(y) || !swapFits(x, p.card, y, q.card)) {
              continue;
            }
            double leave = leaveX + joining(y, q.tenants, y, now);
            if (leave - 2 * migrationSeconds <= bestGain) {
              continue;
            }
            double gain =
                leave
                    - joining(y, p.tenants, x, now)
                    - joining(x, q.tenants, y, now)
                    - 2 * migrationSeconds;
            if (gain > bestGain) {
              bestGain = gain;
              best = new Plan(List.of(new Move(x, q.card), new Move(y, p.card)), gain);
            }
          }
        }
      }
    }
    return Optional.ofNullable(best);
  }

  private record Source(Card card, List<ReservedPod> tenants, double cost) {}

  private static final Comparator<Source> COSTLIEST_FIRST =
      Comparator.comparingDouble(Source::cost).reversed();

  /** Seconds the tenants lose to each other while they share a card (see the class comment). */
  double cost(List<ReservedPod> tenants, double now) {
    double cost = 0;
    for (int i = 0; i < tenants.size(); i++) {
      for (int j = i + 1; j < tenants.size(); j++) {
        cost += pairCost(tenants.get(i), tenants.get(j), now);
      }
    }
    return cost;
  }

  /** What {@code pod} adds to a card holding {@code tenants} (but not {@code skip}). */
  private double joining(ReservedPod pod, List<ReservedPod> tenants, ReservedPod skip, double now) {
    double cost = 0;
    for (int i = 0, n = tenants.size(); i < n; i++) {
      ReservedPod t = tenants.get(i);
      if (t != skip && t != pod) {
        cost += pairCost(pod, t, now);
      }
    }
    return cost;
  }

  /** One pair's loss over their remaining work, plus the penalty when it is not measured. */
  private double pairCost(ReservedPod a, ReservedPod b, double now) {
    Prediction ab = predictions.predict(a.appId(), b.appId());
    Prediction ba = predictions.predict(b.appId(), a.appId());
    double tab = ab.normalizedThroughput();
    double tba = ba.normalizedThroughput();
    if (ab.isIncompatible() || ba.isIncompatible() || tab <= 0 || tba <= 0) {
      return Double.POSITIVE_INFINITY;
    }
    double workA = a.remainingSeconds(now) * a.throughput();
    double workB = b.remainingSeconds(now) * b.throughput();
    // A pair measured above 1 (noise, or a real mutual speed-up) counts as free, not as a gain:
    // costs stay >= 0, which is what lets the search stop early.
    return Math.max(0, InterferenceCost.sharedLoss(workA / tab, tab, workB / tba, tba))
        + uncertaintyPenalty * (unknown(ab) + unknown(ba));
  }

  private static double unknown(Prediction p) {
    return p.isKnown() ? 0 : p.uncertainty();
  }

  /**
   * A share pod on one card, the only kind a move keeps whole, and the only pod of its job: a
   * gang's replicas wait for each other, so stopping one would stall them all for the migration.
   */
  private boolean movable(ReservedPod pod) {
    return pod.shape().isShare() && pod.cards().size() == 1 && state.podsOfJob(pod.jobId()) == 1;
  }

  private static boolean nodeFits(ReservedPod pod, Card to) {
    return to.node() == pod.node()
        || (to.node().freeCpuMilli() >= pod.shape().cpuMilli()
            && to.node().freeMemoryMiB() >= pod.shape().memoryMiB());
  }

  /** Whether {@code x} (on {@code p}) and {@code y} (on {@code q}) fit each other's place. */
  private static boolean swapFits(ReservedPod x, Card p, ReservedPod y, Card q) {
    var xs = x.shape();
    var ys = y.shape();
    boolean cards =
        p.freeMilli() + xs.gpuMilli() >= ys.gpuMilli()
            && p.freeMemoryMiB() + xs.gpuMemoryMiB() >= ys.gpuMemoryMiB()
            && q.freeMilli() + ys.gpuMilli() >= xs.gpuMilli()
            && q.freeMemoryMiB() + ys.gpuMemoryMiB() >= xs.gpuMemoryMiB();
    if (!cards || p.node() == q.node()) {
      return cards;
    }
    return p.node().freeCpuMilli() + xs.cpuMilli() >= ys.cpuMilli()
        && p.node().freeMemoryMiB() + xs.memoryMiB() >= ys.memoryMiB()
        && q.node().freeCpuMilli() + ys.cpuMilli() >= xs.cpuMilli()
        && q.node().freeMemoryMiB() + ys.memoryMiB() >= xs.memoryMiB();
  }
}
