package dev.cotenant.placement.plugins;

import dev.cotenant.placement.framework.CandidateView;
import dev.cotenant.placement.framework.CycleState;
import dev.cotenant.placement.framework.PodContext;
import dev.cotenant.placement.framework.Score;
import dev.cotenant.placement.state.Node;

/**
 * Spread: the most free resources first, card and node, each as a fraction of its capacity, so load
 * (and interference) is thinned out.
 */
public final class MostFreeResources implements Score {

  @Override
  public String name() {
    return PluginNames.MOST_FREE_RESOURCES;
  }

  @Override
  public double score(CycleState cycle, PodContext pod, CandidateView candidate) {
    Node node = candidate.node();
    double s = fraction(node.freeCpuMilli(), node.info().cpuMilli());
    s += fraction(node.freeMemoryMiB(), node.info().memoryMiB());
    if (candidate.card().isPresent()) {
      var card = candidate.card().get();
      s += fraction(card.freeMilli(), 1000) + fraction(card.freeMemoryMiB(), card.memoryMiB());
    } else {
      s += fraction(node.freeWholeGpus(), node.cards().size());
    }
    return s;
  }

  private static double fraction(long free, long capacity) {
    return capacity <= 0 ? 0 : (double) free / capacity;
  }
}
