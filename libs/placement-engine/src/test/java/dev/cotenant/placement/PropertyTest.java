package dev.cotenant.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.InterferenceModel;
import dev.cotenant.interference.PairEntry;
import dev.cotenant.placement.model.Decision;
import dev.cotenant.placement.model.GpuSlot;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.model.NodeInfo;
import dev.cotenant.placement.model.PodShape;
import dev.cotenant.placement.model.Replicas;
import dev.cotenant.placement.plugins.PluginNames;
import dev.cotenant.placement.state.Card;
import dev.cotenant.placement.state.ClusterState;
import dev.cotenant.placement.state.Node;
import dev.cotenant.placement.state.ReservedPod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random clusters and workloads: nothing is ever over-allocated (recomputed from the reserved
 * placements), and every job that fits the empty cluster is placed once everything else finished.
 */
class PropertyTest {

  static final List<String> APPS = List.of("a", "b", "c", "d", "e");
  static final List<String> POLICIES =
      List.of(
          PluginNames.BINPACK,
          PluginNames.SPREAD,
          PluginNames.LOADBALANCE,
          PluginNames.STANDALONE,
          PluginNames.INTERFERENCE_AWARE);

  static ClusterState randomCluster(Random rnd) {
    List<NodeInfo> nodes = new ArrayList<>();
    int n = 1 + rnd.nextInt(6);
    for (int i = 0; i < n; i++) {
      long mem = 4000 + rnd.nextInt(60000);
      long cpu = 2000 + rnd.nextInt(14000);
      nodes.add(
          rnd.nextInt(5) == 0
              ? NodeInfo.cpuOnly("n" + i, cpu, mem)
              : Fixtures.gpuNode(
                  "n" + i, 1 + rnd.nextInt(4), rnd.nextBoolean() ? 8000 : 16000, cpu, mem));
    }
    return new ClusterState(nodes);
  }

  static InterferenceModel randomModel(Random rnd) {
    List<AppInfo> apps = new ArrayList<>();
    for (String a : APPS) {
      apps.add(
          rnd.nextBoolean()
              ? Fixtures.app(a, 500 + rnd.nextInt(9000), rnd.nextInt(100))
              : AppInfo.named(a));
    }
    List<PairEntry> pairs = new ArrayList<>();
    for (String a : APPS) {
      for (String b : APPS) {
        int r = rnd.nextInt(6);
        if (r == 0) {
          pairs.add(PairEntry.incompatible(a, b));
        } else if (r < 4) {
          pairs.add(PairEntry.measured(a, b, 0.2 + rnd.nextDouble()));
        }
      }
    }
    return Fixtures.model(apps, pairs);
  }

  static JobRequest randomJob(Random rnd, int seq, String policy) {
    String app = APPS.get(rnd.nextInt(APPS.size()));
    PodShape shape =
        switch (rnd.nextInt(3)) {
          case 0 ->
              PodShape.share(
                  rnd.nextInt(3000), rnd.nextInt(8000), 1 + rnd.nextInt(1000), rnd.nextInt(12000));
          case 1 -> PodShape.whole(rnd.nextInt(4000), rnd.nextInt(16000), 1 + rnd.nextInt(3));
          default -> PodShape.cpu(rnd.nextInt(6000), rnd.nextInt(16000));
        };
    Replicas replicas =
        rnd.nextInt(4) == 0
            ? new Replicas.Auto(1 + rnd.nextInt(4))
            : new Replicas.Fixed(1 + rnd.nextInt(3));
    return new JobRequest(
        "j" + seq,
        app,
        rnd.nextInt(3),
        seq,
        replicas,
        shape,
        1 + rnd.nextInt(500),
        Optional.of(policy));
  }

  /** Recomputes every total from the reserved pods and checks capacities and the state's books. */
  static void assertNothingOverAllocated(ClusterState state) {
    Map<String, long[]> node = new HashMap<>();
    Map<String, long[]> card = new HashMap<>();
    Map<String, Integer> holders = new HashMap<>();
    Map<String, Boolean> whole = new HashMap<>();
    for (ReservedPod p : state.pods()) {
      node.computeIfAbsent(p.node().name(), k -> new long[2]);
      node.get(p.node().name())[0] += p.shape().cpuMilli();
      node.get(p.node().name())[1] += p.shape().memoryMiB();
      for (GpuSlot s : p.slots()) {
        String key = p.node().name() + "/" + s.index();
        long[] c = card.computeIfAbsent(key, k -> new long[2]);
        c[0] += s.milli();
        c[1] += s.memoryMiB();
        holders.merge(key, 1, Integer::sum);
        if (p.shape().isWhole()) {
          whole.put(key, true);
        }
      }
    }
    for (Node n : state.nodes()) {
      long[] used = node.getOrDefault(n.name(), new long[2]);
      assertThat(used[0]).as("cpu of %s", n.name()).isLessThanOrEqualTo(n.info().cpuMilli());
      assertThat(used[1]).as("memory of %s", n.name()).isLessThanOrEqualTo(n.info().memoryMiB());
      assertThat(n.freeCpuMilli()).isEqualTo(n.info().cpuMilli() - used[0]);
      assertThat(n.freeMemoryMiB()).isEqualTo(n.info().memoryMiB() - used[1]);
      for (Card c : n.cards()) {
        String key = n.name() + "/" + c.index();
        long[] u = card.getOrDefault(key, new long[2]);
        assertThat(u[0]).as("gpu compute of %s", key).isLessThanOrEqualTo(1000);
        assertThat(u[1]).as("gpu memory of %s", key).isLessThanOrEqualTo(c.memoryMiB());
        assertThat(c.usedMilli()).isEqualTo((int) u[0]);
        assertThat(c.usedMemoryMiB()).isEqualTo(u[1]);
        if (whole.getOrDefault(key, false)) {
          assertThat(holders.get(key)).as("holders of whole %s", key).isEqualTo(1);
        }
      }
    }
  }

  @Test
  void neverOverAllocatesAndEverythingThatFitsIsEventuallyPlaced() {
    int moved = 0;
    for (int seed = 0; seed < 200; seed++) {
      Random rnd = new Random(seed);
      ClusterState state = randomCluster(rnd);
      String policy = POLICIES.get(rnd.nextInt(POLICIES.size()));
      // Interference-aware runs also move running pods (any cost, any budget) after every step.
      var rebalancing = new EngineConfig.Rebalancing(rnd.nextInt(50), 1 + rnd.nextInt(4));
      var engine =
          new PlacementEngine(
              state, randomModel(rnd), Fixtures.config(policy).withRebalancing(rebalancing));
      List<JobRequest> unplaced = new ArrayList<>();
      double now = 0;
      for (int op = 0; op < 40; op++) {
        now += rnd.nextInt(10);
        if (rnd.nextInt(3) == 0 && !state.pods().isEmpty()) {
          List<String> names = state.pods().stream().map(ReservedPod::podName).sorted().toList();
          engine.finished(names.get(rnd.nextInt(names.size())), now);
        } else {
          JobRequest job = randomJob(rnd, op, POLICIES.get(rnd.nextInt(POLICIES.size())));
          Decision d = engine.place(job, now);
          if (!d.placed()) {
            assertThat(d.reasons()).as("reasons of %s (seed %d)", job, seed).isNotEmpty();
            unplaced.add(job);
          }
        }
        assertNothingOverAllocated(state);
        int running = state.pods().size();
        moved += engine.rebalance(now).size();
        assertThat(state.pods())
            .as("seed %d: a move neither adds nor drops pods", seed)
            .hasSize(running);
        assertNothingOverAllocated(state);
      }
      for (String p : state.pods().stream().map(ReservedPod::podName).sorted().toList()) {
        engine.finished(p, now);
      }
      var queue = new PlacementQueue(engine);
      unplaced.forEach(queue::submit);
      List<String> placed = new ArrayList<>();
      for (int pass = 0; pass < unplaced.size() + 2 && queue.pending() > 0; pass++) {
        for (Decision d : queue.schedule(now)) {
          if (d.placed()) {
            placed.add(d.jobId());
          }
        }
        assertNothingOverAllocated(state);
        for (String p : state.pods().stream().map(ReservedPod::podName).sorted().toList()) {
          engine.finished(p, now);
        }
        queue.capacityChanged();
      }
      for (JobRequest job : unplaced) {
        if (engine.fitsEmptyCluster(job)) {
          assertThat(placed).as("seed %d, %s", seed, job).contains(job.jobId());
        }
      }
      assertThat(queue.pending()).as("seed %d", seed).isZero();
    }
    assertThat(moved).as("the random runs exercise rebalancing").isPositive();
  }
}
