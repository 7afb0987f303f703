package dev.cotenant.fragmentation.policy;

import dev.cotenant.fragmentation.Cards;
import dev.cotenant.fragmentation.FillPolicy;
import dev.cotenant.fragmentation.Fragmentation;
import dev.cotenant.fragmentation.GpuNode;
import dev.cotenant.fragmentation.PodRequest;
import dev.cotenant.fragmentation.TargetWorkload;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Fragmentation Gradient Descent (Weng et al., ATC '23): the node, and for a share the card, whose
 * fragmentation against the target workload grows least when the pod lands there. The score is
 * {@code 100 × sigmoid((before − after) / 1000)} in integers, as FGD's plugin computes it, so
 * placements that change fragmentation by much the same tie and are drawn at random.
 *
 * <p>Incremental: a node's score for a pod depends only on the node's state and the pod's CPU and
 * GPU request, and a pod changes one node, so each node keeps its score (and card) per request kind
 * until a pod lands on it. A pod then prices only the nodes changed since its kind last came; the
 * rest is a look-up.
 */
public final class Fgd implements FillPolicy {

  public static final String NAME = "fgd";

  private final Fragmentation measure;

  public Fgd(TargetWorkload target) {
    this.measure = new Fragmentation(target);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public long score(PodRequest pod, GpuNode node) {
    return cached(pod, node)[0];
  }

  @Override
  public int[] cards(PodRequest pod, GpuNode node, RandomGenerator random) {
    if (!pod.isShare()) {
      return Cards.firstFree(pod, node);
    }
    return new int[] {(int) cached(pod, node)[1]};
  }

  /** What scores a pod: its CPU and GPU request (its GPU model only filters). */
  private record Request(long cpuMilli, int numGpu, int gpuMilli) {}

  private final Map<Request, Integer> requestIds = new HashMap<>();
  private NodeCache[] caches = new NodeCache[0];
  private PodRequest lastPod;
  private int lastRequest;

  /**
   * What one node's state has been priced at: its measure, and {score, card} per request id, each
   * with the node version it holds for. Tied to the node object, since a policy reused on a fresh
   * cluster must not trust values of the last one.
   */
  private static final class NodeCache {
    final GpuNode node;
    int measuredVersion = -1;
    double measure;
    int[] version = new int[0];
    long[][] priced = new long[0][];

    NodeCache(GpuNode node) {
      this.node = node;
    }
  }

  @Override
  public void prepare(PodRequest pod, GpuNode[] feasible, int count, RandomGenerator random) {
    requestOf(pod);
  }

  private int requestOf(PodRequest pod) {
    if (pod != lastPod) {
      lastPod = pod;
      lastRequest =
          requestIds.computeIfAbsent(
              new Request(pod.cpuMilli(), pod.numGpu(), pod.gpuMilli()), r -> requestIds.size());
    }
    return lastRequest;
  }

  private NodeCache cacheOf(GpuNode node) {
    int i = node.index();
    if (i >= caches.length) {
      caches = Arrays.copyOf(caches, Math.max(i + 1, 2 * caches.length));
    }
    if (caches[i] == null || caches[i].node != node) {
      caches[i] = new NodeCache(node);
    }
    return caches[i];
  }

  private long[] cached(PodRequest pod, GpuNode node) {
    int request = requestOf(pod);
    NodeCache cache = cacheOf(node);
    if (request >= cache.version.length) {
      int old = cache.version.length;
      int size = Math.max(request + 1, 2 * old);
      cache.version = Arrays.copyOf(cache.version, size);
      Arrays.fill(cache.version, old, size, -1);
      cache.priced = Arrays.copyOf(cache.priced, size);
    }
    if (cache.version[request] != node.version()) {
      cache.priced[request] = best(pod, node, before(cache));
      cache.version[request] = node.version();
    }
    return cache.priced[request];
  }

  private double before(NodeCache cache) {
    if (cache.measuredVersion != cache.node.version()) {
      cache.measure = measure.of(cache.node);
      cache.measuredVersion = cache.node.version();
    }
    return cache.measure;
  }

  /** {score, card}: the best card for a share (the first of the best), -1 for other pods. */
  private long[] best(PodRequest pod, GpuNode node, double now) {
    long cpuAfter = node.cpuLeft() - pod.cpuMilli();
    int[] left = node.milliLeft();
    if (!pod.isShare()) {
      // Whole cards come off free cards; which ones does not change the measure.
      int taken = 0;
      for (int card = 0; card < left.length && taken < pod.numGpu(); card++) {
        if (left[card] == PodRequest.MILLI) {
          left[card] = 0;
          taken++;
        }
      }
      double after = measure.of(cpuAfter, node.gpuType(), left);
      return new long[] {score(now, after), -1};
    }
    return measure.bestShare(cpuAfter, node.gpuType(), left, pod.gpuMilli(), now);
  }

  private static long score(double before, double after) {
    return Fragmentation.score(before, after);
  }
}
