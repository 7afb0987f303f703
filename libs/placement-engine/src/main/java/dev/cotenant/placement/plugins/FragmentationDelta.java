package dev.cotenant.placement.plugins;

import dev.cotenant.placement.framework.CandidateView;
import dev.cotenant.placement.framework.CycleState;
import dev.cotenant.placement.framework.Nominator;
import dev.cotenant.placement.framework.PodContext;
import java.util.List;
import java.util.function.Predicate;

/**
 * How little GPU capacity a placement strands: FGD's score (Weng et al., "Beware of Fragmentation",
 * ATC '23) of the growth of the node's fragmentation, the milli-GPU that the pods being asked for
 * could not use, when the pod lands on the candidate. The target workload is the engine's {@code
 * Demand}: the shapes covering 95% of recent arrivals and the queue, not a file. Without any demand
 * yet the score is 0 everywhere (no preference).
 *
 * <p>Depends on the whole node, so it nominates: it keeps, beside the state, each node's measure
 * and a ranking of nodes per request kind, both updated only where pods land ({@link
 * FragmentationIndex}), and adds its best node (and card) to the engine's candidates.
 */
public final class FragmentationDelta implements Nominator {

  @Override
  public String name() {
    return PluginNames.FRAGMENTATION_DELTA;
  }

  @Override
  public double score(CycleState cycle, PodContext pod, CandidateView candidate) {
    return FragmentationIndex.of(pod.state()).score(pod.demand(), pod.shape(), candidate);
  }

  @Override
  public void nominate(
      CycleState cycle, PodContext pod, Predicate<CandidateView> passes, List<CandidateView> out) {
    FragmentationIndex.of(pod.state()).nominate(pod.demand(), pod.job(), passes, out);
  }
}
