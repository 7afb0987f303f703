package dev.cotenant.placement.framework;

import java.util.List;
import java.util.function.Predicate;

/**
 * A score plugin that can name its own best candidates. The engine's search offers one candidate
 * per group of look-alike cards or nodes, the first in node order, which is all a score that
 * depends only on the tenants needs; a score that depends on the whole node (how much capacity a
 * placement strands) would see only those representatives. A nominator keeps its own index and adds
 * the candidates it ranks highest; the engine then scores them with every plugin beside the others,
 * so the policy's weights still decide.
 *
 * <p>A score that nominates does not send the engine off its per-group path: the search stays as
 * the other scores need it, plus the nominees.
 */
public interface Nominator extends Score {

  /**
   * Adds to {@code out} this plugin's best candidates for the pod that pass every filter ({@code
   * passes}), best first, at most a few.
   */
  void nominate(
      CycleState cycle, PodContext pod, Predicate<CandidateView> passes, List<CandidateView> out);
}
