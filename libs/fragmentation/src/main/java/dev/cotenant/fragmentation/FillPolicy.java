package dev.cotenant.fragmentation;

import java.util.random.RandomGenerator;

/**
 * A placement policy of the fill run, in the form of a kube-scheduler score plugin as FGD's
 * simulator runs it: every node that passes the filters gets an integer score, the highest wins
 * (ties as {@link FillRun.Ties} says), and the policy then picks the card(s) on the winning node.
 */
public interface FillPolicy {

  /** The name {@code cotenant eval fill --policies} knows it by. */
  String name();

  /** Told of every arriving pod before the filters, whether it will fit anywhere or not. */
  default void arrived(PodRequest pod) {}

  /**
   * Called once per pod before its candidates are scored, like a kube-scheduler {@code PreScore}
   * plugin: {@code feasible[0..count)} are the nodes it fits.
   */
  default void prepare(PodRequest pod, GpuNode[] feasible, int count, RandomGenerator random) {}

  /** The score of placing {@code pod} on {@code node}, which it fits; higher is better. */
  long score(PodRequest pod, GpuNode node);

  /**
   * Rescales this pod's scores across its candidates in place, like a kube-scheduler {@code
   * NormalizeScore} extension; most policies keep their raw scores.
   *
   * @param count how many of {@code scores} are in use
   */
  default void normalize(long[] scores, int count) {}

  /**
   * The cards the pod gets on the chosen node: one for a share, {@code numGpu} free ones for whole
   * cards, none for a CPU-only pod. By default the share goes to the fitting card with least left
   * (FGD's "best" GPU selection) and whole cards are the first free ones.
   */
  default int[] cards(PodRequest pod, GpuNode node, RandomGenerator random) {
    return Cards.bestFit(pod, node);
  }
}
