package dev.cotenant.fragmentation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.DoubleConsumer;

/**
 * FGD's fill protocol (from its published simulator and scripts): every pod of the trace in a
 * random order, then pods sampled with replacement from the trace until the GPU they request
 * reaches {@code inflate} (1.3) times the cluster's GPU capacity. Pods arrive one at a time and
 * never leave; a pod that fits nowhere is dropped, not retried. After each arrival the allocated
 * share of GPU capacity is recorded against the arrived share.
 *
 * <p>Among nodes of the best score the first in node order wins ({@link Ties#FIRST}): FGD's
 * simulator runs a fork of kube-scheduler 1.20 and its published figures are reproduced this way
 * (FGD itself leaves 4.9% unallocated on openb where drawing ties at random, as upstream
 * kube-scheduler's {@code selectHost} does, leaves 10%); {@link Ties#RANDOM} is there to compare.
 *
 * <p>Deterministic per seed: the same seed gives the same arrivals and, for a policy, the same
 * decisions. Arrivals depend on the seed alone, so every policy of a seed sees the same pods.
 */
public final class FillRun {

  /** FGD's workload inflation: requests up to 130% of GPU capacity. */
  public static final double DEFAULT_INFLATE = 1.3;

  // Decisions draw from a stream other than the arrivals', so a policy that draws (random) cannot
  // change what arrives.
  private static final long DECISION_STREAM = 0x9E3779B97F4A7C15L;

  /** How a node is chosen among those of the best score. */
  public enum Ties {
    /** The first in node order, as FGD's simulator chooses. */
    FIRST,
    /** Uniformly at random, as upstream kube-scheduler's reservoir sampling does. */
    RANDOM
  }

  private FillRun() {}

  /** The cluster's GPU capacity in milli-GPU. */
  public static long capacityMilli(List<NodeCapacity> nodes) {
    return nodes.stream().mapToLong(n -> (long) n.numGpu() * PodRequest.MILLI).sum();
  }

  /**
   * The arrival order of one seed: the trace shuffled, then samples of it (named {@code
   * NAME-sampled-I}) until one more would take the requested GPU past {@code inflate} × capacity.
   */
  public static List<PodRequest> arrivals(
      List<PodRequest> trace, long capacityMilli, double inflate, long seed) {
    if (trace.isEmpty()) {
      throw new IllegalArgumentException("the trace has no pods");
    }
    if (!(inflate >= 1) || Double.isInfinite(inflate)) {
      throw new IllegalArgumentException("inflate must be a number >= 1, got " + inflate);
    }
    Random random = new Random(seed);
    List<PodRequest> pods = new ArrayList<>(trace);
    Collections.shuffle(pods, random);
    long requested = trace.stream().mapToLong(PodRequest::totalGpuMilli).sum();
    double target = inflate * capacityMilli;
    if (requested == 0) {
      // A trace without GPU pods never reaches any GPU target: arrive once, sample nothing.
      return List.copyOf(pods);
    }
    for (int i = 0; ; i++) {
      PodRequest sample = trace.get(random.nextInt(trace.size()));
      if (requested + sample.totalGpuMilli() > target) {
        break;
      }
      requested += sample.totalGpuMilli();
      pods.add(sample.renamed(sample.name() + "-sampled-" + i));
    }
    return List.copyOf(pods);
  }

  /** {@link #run(List, List, FillPolicy, long, Ties, DoubleConsumer)} with FGD's ties. */
  public static FillCurve run(
      List<NodeCapacity> nodes,
      List<PodRequest> arrivals,
      FillPolicy policy,
      long seed,
      DoubleConsumer progress) {
    return run(nodes, arrivals, policy, seed, Ties.FIRST, progress);
  }

  /**
   * Places {@code arrivals} one by one on an empty cluster of {@code nodes} with {@code policy}.
   *
   * @param progress told the share of arrivals done, now and then
   */
  public static FillCurve run(
      List<NodeCapacity> nodes,
      List<PodRequest> arrivals,
      FillPolicy policy,
      long seed,
      Ties ties,
      DoubleConsumer progress) {
    List<GpuNode> cluster = new ArrayList<>(nodes.size());
    for (NodeCapacity node : nodes) {
      cluster.add(new GpuNode(cluster.size(), node));
    }
    SplittableRandom random = new SplittableRandom(seed ^ DECISION_STREAM);
    GpuNode[] feasible = new GpuNode[cluster.size()];
    long[] scores = new long[cluster.size()];
    Placer placer =
        pod -> {
          policy.arrived(pod);
          GpuNode chosen = choose(pod, cluster, feasible, scores, policy, ties, random);
          if (chosen != null) {
            chosen.allocate(pod, policy.cards(pod, chosen, random));
          }
          return chosen != null;
        };
    return run(capacityMilli(nodes), arrivals, placer, progress);
  }

  /**
   * Decides arrivals one by one for {@link #run(long, List, Placer, DoubleConsumer)}: a {@link
   * FillPolicy} over the run's own nodes, or a scheduler with a cluster of its own (the placement
   * engine, which this module cannot see).
   */
  @FunctionalInterface
  public interface Placer {
    /** Places the arriving pod where it decides, or drops it; true when placed. */
    boolean place(PodRequest pod);
  }

  /**
   * The protocol with any placer: {@code arrivals} one by one, each placed or dropped, the
   * allocation recorded after each against a cluster of {@code capacityMilli} milli-GPU.
   */
  public static FillCurve run(
      long capacityMilli, List<PodRequest> arrivals, Placer placer, DoubleConsumer progress) {
    if (capacityMilli == 0) {
      throw new IllegalArgumentException("the cluster has no GPUs");
    }
    long arrivedMilli = arrivals.stream().mapToLong(PodRequest::totalGpuMilli).sum();
    FillCurve curve = new FillCurve((int) Math.ceil(100.0 * arrivedMilli / capacityMilli));
    long arrived = 0;
    long used = 0;
    long started = System.nanoTime();
    for (int i = 0; i < arrivals.size(); i++) {
      PodRequest pod = arrivals.get(i);
      arrived += pod.totalGpuMilli();
      boolean placed = placer.place(pod);
      if (placed) {
        used += pod.totalGpuMilli();
      }
      curve.record(arrived / (double) capacityMilli, used / (double) capacityMilli, placed);
      if ((i & 1023) == 0) {
        progress.accept(i / (double) arrivals.size());
      }
    }
    curve.addNanos(System.nanoTime() - started);
    progress.accept(1);
    return curve;
  }

  /** The filter and score phases: the best-scoring node the pod fits, ties drawn uniformly. */
  private static GpuNode choose(
      PodRequest pod,
      List<GpuNode> cluster,
      GpuNode[] feasible,
      long[] scores,
      FillPolicy policy,
      Ties ties,
      SplittableRandom random) {
    int n = 0;
    for (GpuNode node : cluster) {
      if (node.fits(pod)) {
        feasible[n++] = node;
      }
    }
    if (n == 0) {
      return null;
    }
    policy.prepare(pod, feasible, n, random);
    for (int i = 0; i < n; i++) {
      scores[i] = policy.score(pod, feasible[i]);
    }
    policy.normalize(scores, n);
    GpuNode best = null;
    long bestScore = Long.MIN_VALUE;
    int tied = 0;
    for (int i = 0; i < n; i++) {
      if (scores[i] > bestScore) {
        bestScore = scores[i];
        best = feasible[i];
        tied = 1;
      } else if (scores[i] == bestScore && ties == Ties.RANDOM && random.nextInt(++tied) == 0) {
        best = feasible[i];
      }
    }
    return best;
  }
}
