package dev.cotenant.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.placement.framework.CandidateView;
import dev.cotenant.placement.framework.CycleState;
import dev.cotenant.placement.framework.Filter;
import dev.cotenant.placement.framework.PodContext;
import dev.cotenant.placement.framework.Policy;
import dev.cotenant.placement.framework.Predictions;
import dev.cotenant.placement.model.Decision;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.model.Replicas;
import dev.cotenant.placement.state.Card;
import dev.cotenant.placement.state.ClusterState;
import dev.cotenant.placement.state.Node;
import dev.cotenant.placement.state.ReservedPod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The incremental indexes must decide exactly like a brute-force scan over every card and node that
 * rebuilds the groups from the reserved pods: same filters, same scores, same tie-breaks.
 *
 * <p>The candidate rule the scan implements: for a share pod under a policy whose scores all depend
 * only on the tenants ({@code Score.dependsOnCapacity() == false}: interference-aware, standalone),
 * cards are grouped by (sorted tenant apps, exclusive) and each group offers its first card in node
 * order, then index, that passes every filter; under any other policy, cards are grouped by the
 * full card state (memory, apps, used compute, used memory, exclusive), the GPU-level filters are
 * asked on the group's first card, and the group offers its first card whose node passes the
 * node-level filters. Whole-GPU and CPU-only pods: nodes grouped by number of empty cards,
 * likewise. The best candidate by raw score wins, ties to node order then card index. The groups
 * and the card states are recomputed here from the reserved pods' slots, not read from the engine's
 * indexes.
 */
class EquivalenceClassIndexTest {

  @Test
  void indexDecidesLikeABruteForceScan() {
    int compared = 0;
    for (int seed = 0; seed < 150; seed++) {
      Random rnd = new Random(1000 + seed);
      ClusterState state = PropertyTest.randomCluster(rnd);
      var model = PropertyTest.randomModel(rnd);
      String policyName = PropertyTest.POLICIES.get(rnd.nextInt(PropertyTest.POLICIES.size()));
      var engine = new PlacementEngine(state, model, Fixtures.config(policyName));
      double now = 0;
      for (int op = 0; op < 30; op++) {
        now += rnd.nextInt(5);
        if (rnd.nextInt(4) == 0 && !state.pods().isEmpty()) {
          List<String> names = state.pods().stream().map(ReservedPod::podName).sorted().toList();
          engine.finished(names.get(rnd.nextInt(names.size())), now);
          continue;
        }
        JobRequest job = single(PropertyTest.randomJob(rnd, op, policyName));
        Decision d = engine.tryPlace(job, now);
        Optional<String> expected = bruteForce(engine, job, now);
        assertThat(d.placed()).as("seed %d op %d", seed, op).isEqualTo(expected.isPresent());
        if (d.placed()) {
          var p = d.placements().get(0);
          assertThat(p.node() + p.gpus().stream().map(g -> g.index()).toList())
              .as("seed %d op %d %s", seed, op, job)
              .isEqualTo(expected.get());
          compared++;
        }
        engine.place(job, now);
      }
    }
    assertThat(compared).isGreaterThan(500);
  }

  private static JobRequest single(JobRequest j) {
    return new JobRequest(
        j.jobId(),
        j.app(),
        j.priority(),
        j.sequence(),
        new Replicas.Fixed(1),
        j.shape(),
        j.soloSeconds(),
        j.policy());
  }

  /** Every card (node) in node order, grouped by a key rebuilt from scratch. */
  private static Optional<String> bruteForce(PlacementEngine engine, JobRequest job, double now) {
    Policy policy = engine.policy(engine.policyOf(job)).orElseThrow();
    ClusterState state = engine.state();
    PodContext ctx =
        new PodContext(
            job,
            job.podName(0),
            job.soloSeconds(),
            now,
            new Predictions(engine.model()),
            engine.config(),
            state);
    CycleState cycle = new CycleState();
    boolean byTenants =
        job.shape().isShare()
            && policy.scores().stream().noneMatch(w -> w.plugin().dependsOnCapacity());
    Map<Object, List<CandidateView>> groups = new LinkedHashMap<>();
    for (Node n : state.nodes()) {
      if (job.shape().isShare()) {
        for (Card c : n.cards()) {
          List<Object> key = keyFromScratch(state, n, c);
          groups
              .computeIfAbsent(
                  byTenants ? List.of(key.get(1), key.get(4)) : key, k -> new ArrayList<>())
              .add(CandidateView.share(c));
        }
      } else {
        int free = 0;
        List<Card> cards = new ArrayList<>();
        for (Card c : n.cards()) {
          if (holders(state, n, c) == 0) {
            free++;
            if (cards.size() < job.shape().wholeGpus()) {
              cards.add(c);
            }
          }
        }
        CandidateView v =
            job.shape().isWhole() ? CandidateView.whole(n, cards) : CandidateView.cpuOnly(n);
        groups.computeIfAbsent(free, k -> new ArrayList<>()).add(v);
      }
    }
    List<CandidateView> candidates = new ArrayList<>();
    for (List<CandidateView> group : groups.values()) {
      if (byTenants) {
        group.stream()
            .filter(v -> passes(policy, cycle, ctx, v, Filter.Scope.GPU))
            .filter(v -> passes(policy, cycle, ctx, v, Filter.Scope.NODE))
            .findFirst()
            .ifPresent(candidates::add);
        continue;
      }
      if (!passes(policy, cycle, ctx, group.get(0), Filter.Scope.GPU)) {
        continue;
      }
      group.stream()
          .filter(v -> passes(policy, cycle, ctx, v, Filter.Scope.NODE))
          .findFirst()
          .ifPresent(candidates::add);
    }
    CandidateView best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    var score = policy.scores().get(0).plugin();
    for (CandidateView v : candidates) {
      double s = score.score(cycle, ctx, v);
      if (best == null || s > bestScore || (s == bestScore && before(v, best))) {
        best = v;
        bestScore = s;
      }
    }
    return Optional.ofNullable(best).map(v -> v.node().name() + PlacementEngine.indexes(v));
  }

  private static boolean before(CandidateView a, CandidateView b) {
    if (a.node().ordinal() != b.node().ordinal()) {
      return a.node().ordinal() < b.node().ordinal();
    }
    return a.card().map(Card::index).orElse(-1) < b.card().map(Card::index).orElse(-1);
  }

  private static boolean passes(
      Policy policy, CycleState cycle, PodContext ctx, CandidateView v, Filter.Scope scope) {
    return policy.filters().stream()
        .filter(f -> f.scope() == scope)
        .allMatch(f -> f.filter(cycle, ctx, v).passes());
  }

  private static int holders(ClusterState state, Node n, Card c) {
    return (int)
        state.pods().stream()
            .filter(p -> p.node() == n && p.slots().stream().anyMatch(s -> s.index() == c.index()))
            .count();
  }

  private static List<Object> keyFromScratch(ClusterState state, Node n, Card c) {
    List<String> apps = new ArrayList<>();
    long milli = 0;
    long mem = 0;
    boolean exclusive = false;
    for (ReservedPod p : state.pods()) {
      if (p.node() != n) {
        continue;
      }
      for (var s : p.slots()) {
        if (s.index() == c.index()) {
          milli += s.milli();
          mem += s.memoryMiB();
          if (p.shape().isWhole()) {
            exclusive = true;
          } else {
            apps.add(p.app());
          }
        }
      }
    }
    apps.sort(null);
    return List.of(c.memoryMiB(), apps, milli, mem, exclusive);
  }
}
