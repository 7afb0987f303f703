package dev.cotenant.placement;

import dev.cotenant.interference.Prediction;
import dev.cotenant.placement.framework.Predictions;
import dev.cotenant.placement.plugins.InterferenceCost;
import dev.cotenant.placement.state.AppGroup;
import dev.cotenant.placement.state.Card;
import dev.cotenant.placement.state.ClusterState;
import dev.cotenant.placement.state.ReservedPod;
import java.util.ArrayList;
import java.util.Comparator;
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
 * moved.
 *
 * <p>Bounded work: the sources are the {@value #MAX_SOURCE_CARDS} costliest shared cards; a move
 * looks at one card per tenant-app group (the first in node order with room, as placement does), so
 * a search costs sources × groups, not sources × cards.
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

  Rebalancer(ClusterState state, Predictions predictions, double uncertaintyPenalty) {
    this.state = state;
    this.predictions = predictions;
    this.uncertaintyPenalty = uncertaintyPenalty;
  }

  /** The best change that saves more than it costs, if any. */
  Optional<Plan> best(double now, double migrationSeconds) {
    List<Source> sources = sources(now);
    Plan best = null;
    double bestGain = 0;
    for (Source p : sources) {
      for (int i = 0; i < p.tenants.size(); i++) {
        ReservedPod x = p.tenants.get(i);
        if (!movable(x)) {
          continue;
        }
        double withoutX = cost(without(p.tenants, i), now);
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
          List<ReservedPod> joined = with(s.tenants(), x);
          double gain =
              p.cost + cost(s.tenants(), now) - withoutX - cost(joined, now) - migrationSeconds;
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
        for (int i = 0; i < p.tenants.size(); i++) {
          ReservedPod x = p.tenants.get(i);
          if (!movable(x)) {
            continue;
          }
          for (int j = 0; j < q.tenants.size(); j++) {
            ReservedPod y = q.tenants.get(j);
            if (!movable(y) || !swapFits(x, p.card, y, q.card)) {
              continue;
            }
            List<ReservedPod> newP = with(without(p.tenants, i), y);
            List<ReservedPod> newQ = with(without(q.tenants, j), x);
            double gain =
                p.cost + q.cost - cost(newP, now) - cost(newQ, now) - 2 * migrationSeconds;
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

  /** The costliest cards with two or more share tenants, costliest first. */
  private List<Source> sources(double now) {
    List<Source> shared = new ArrayList<>();
    for (AppGroup group : state.appGroups()) {
      if (group.exclusive() || group.apps().size() < 2 || group.size() == 0) {
        continue;
      }
      for (Card c : group.cards()) {
        double cost = cost(c.tenants(), now);
        if (cost > 0 && cost < Double.POSITIVE_INFINITY) {
          shared.add(new Source(c, c.tenants(), cost));
        }
      }
    }
    shared.sort(Comparator.comparingDouble(Source::cost).reversed());
    return shared.size() > MAX_SOURCE_CARDS ? shared.subList(0, MAX_SOURCE_CARDS) : shared;
  }

  /** Seconds the tenants lose to each other while they share a card (see the class comment). */
  double cost(List<ReservedPod> tenants, double now) {
    double cost = 0;
    for (int i = 0; i < tenants.size(); i++) {
      ReservedPod a = tenants.get(i);
      double workA = a.remainingSeconds(now) * a.throughput();
      for (int j = i + 1; j < tenants.size(); j++) {
        ReservedPod b = tenants.get(j);
        Prediction ab = predictions.predict(a.appId(), b.appId());
        Prediction ba = predictions.predict(b.appId(), a.appId());
        double tab = ab.normalizedThroughput();
        double tba = ba.normalizedThroughput();
        if (ab.isIncompatible() || ba.isIncompatible() || tab <= 0 || tba <= 0) {
          return Double.POSITIVE_INFINITY;
        }
        double workB = b.remainingSeconds(now) * b.throughput();
        cost += InterferenceCost.sharedLoss(workA / tab, tab, workB / tba, tba);
        cost += uncertaintyPenalty * (unknown(ab) + unknown(ba));
      }
    }
    return cost;
  }

  private static double unknown(Prediction p) {
    return p.isKnown() ? 0 : p.uncertainty();
  }

  /** A pod on one card as a share, the only kind a move keeps whole. */
  private static boolean movable(ReservedPod pod) {
    return pod.shape().isShare() && pod.cards().size() == 1;
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

  private static List<ReservedPod> without(List<ReservedPod> tenants, int index) {
    List<ReservedPod> rest = new ArrayList<>(tenants);
    rest.remove(index);
    return rest;
  }

  private static List<ReservedPod> with(List<ReservedPod> tenants, ReservedPod pod) {
    List<ReservedPod> more = new ArrayList<>(tenants.size() + 1);
    more.addAll(tenants);
    more.add(pod);
    return more;
  }
}
