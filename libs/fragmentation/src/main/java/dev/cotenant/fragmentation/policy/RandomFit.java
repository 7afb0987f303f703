package dev.cotenant.fragmentation.policy;

import dev.cotenant.fragmentation.Cards;
import dev.cotenant.fragmentation.FillPolicy;
import dev.cotenant.fragmentation.GpuNode;
import dev.cotenant.fragmentation.PodRequest;
import java.util.random.RandomGenerator;

/**
 * FGD's Random baseline: a node drawn uniformly from those the pod fits (every node scores the same
 * and ties are drawn uniformly), and a share on a card drawn uniformly from those it fits.
 */
public final class RandomFit implements FillPolicy {

  public static final String NAME = "random";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public long score(PodRequest pod, GpuNode node) {
    return 0;
  }

  @Override
  public int[] cards(PodRequest pod, GpuNode node, RandomGenerator random) {
    return Cards.randomFit(pod, node, random);
  }
}
