package dev.cotenant.fragmentation.policy;

import dev.cotenant.fragmentation.Cards;
import dev.cotenant.fragmentation.FillPolicy;
import dev.cotenant.fragmentation.GpuNode;
import dev.cotenant.fragmentation.PodRequest;
import java.util.random.RandomGenerator;

/**
 * FGD's Random baseline: before scoring, one node is drawn uniformly from those the pod fits and
 * scores 100, every other 0 (so no tie-breaking rule matters); a share goes on a card drawn
 * uniformly from those it fits.
 */
public final class RandomFit implements FillPolicy {

  public static final String NAME = "random";

  private GpuNode drawn;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void prepare(PodRequest pod, GpuNode[] feasible, int count, RandomGenerator random) {
    drawn = feasible[random.nextInt(count)];
  }

  @Override
  public long score(PodRequest pod, GpuNode node) {
    return node == drawn ? 100 : 0;
  }

  @Override
  public int[] cards(PodRequest pod, GpuNode node, RandomGenerator random) {
    return Cards.randomFit(pod, node, random);
  }
}
