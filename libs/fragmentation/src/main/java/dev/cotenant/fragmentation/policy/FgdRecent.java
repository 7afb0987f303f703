package dev.cotenant.fragmentation.policy;

import dev.cotenant.fragmentation.FillPolicy;
import dev.cotenant.fragmentation.GpuNode;
import dev.cotenant.fragmentation.PodRequest;
import dev.cotenant.fragmentation.TargetWorkload;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.random.RandomGenerator;

/**
 * FGD with its target workload taken from what recently arrived rather than from a file: the shapes
 * covering 95% of the last {@code window} pods (placed or not), re-derived after every {@code
 * window / 10} arrivals, and early on at 1, 2, 4, ... arrivals so it starts from the first pod. A
 * new target prices every node anew (a fresh {@link Fgd}).
 */
public final class FgdRecent implements FillPolicy {

  public static final String NAME = "fgd-recent";

  /** Pods the target is taken from. */
  public static final int DEFAULT_WINDOW = 2_000;

  private final int window;
  private final int every;
  private final Deque<PodRequest> recent = new ArrayDeque<>();
  private long arrived;
  private long nextRefresh = 1;
  private Fgd fgd;

  public FgdRecent(int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1, got " + window);
    }
    this.window = window;
    this.every = Math.max(1, window / 10);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void prepare(PodRequest pod, GpuNode[] feasible, int count, RandomGenerator random) {
    fgd.prepare(pod, feasible, count, random);
  }

  @Override
  public void arrived(PodRequest pod) {
    recent.addLast(pod);
    if (recent.size() > window) {
      recent.removeFirst();
    }
    if (++arrived >= nextRefresh) {
      fgd = new Fgd(TargetWorkload.covering(recent, TargetWorkload.DEFAULT_COVERAGE));
      nextRefresh = arrived < every ? 2 * arrived : arrived + every;
    }
  }

  @Override
  public long score(PodRequest pod, GpuNode node) {
    return fgd.score(pod, node);
  }

  @Override
  public int[] cards(PodRequest pod, GpuNode node, RandomGenerator random) {
    return fgd.cards(pod, node, random);
  }
}
