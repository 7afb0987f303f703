package dev.cotenant.eval;

import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.model.NodeInfo;
import dev.cotenant.placement.model.PodShape;
import dev.cotenant.placement.state.Card;
import dev.cotenant.placement.state.ClusterState;
import dev.cotenant.placement.state.Node;
import java.util.Collection;
import java.util.List;

/**
 * The share of GPUs left unallocatable: while GPU pods wait, the share of cards that are not fully
 * allocated yet cannot take even the smallest waiting GPU pod (too little compute or memory left on
 * the card, or too little CPU or memory left on its node). Time-averaged over the periods when GPU
 * pods wait, after the GPU fragmentation measure of Weng et al. (ATC '23) on Alibaba's openb trace.
 */
final class Fragmentation {

  private final ClusterState state;
  private final int cards;
  private double weighted;
  private double waitingSeconds;

  Fragmentation(List<NodeInfo> nodes, ClusterState state) {
    this.state = state;
    this.cards = nodes.stream().mapToInt(n -> n.gpus().size()).sum();
  }

  /** Counts the interval {@code [from, to)} with the cluster as it is now. */
  void accumulate(double from, double to, Collection<JobRequest> waiting) {
    double dt = to - from;
    if (dt <= 0 || cards == 0) {
      return;
    }
    PodShape smallest = null;
    for (JobRequest job : waiting) {
      PodShape s = job.shape();
      if (s.wholeGpus() == 0 && s.gpuMilli() == 0 && s.gpuMemoryMiB() == 0) {
        continue;
      }
      if (smallest == null || size(s) < size(smallest)) {
        smallest = s;
      }
    }
    if (smallest == null) {
      return;
    }
    int stranded = 0;
    for (Node node : state.nodes()) {
      for (Card card : node.cards()) {
        boolean full = card.exclusive() || card.freeMilli() == 0 || card.freeMemoryMiB() == 0;
        if (!full && !fits(smallest, node, card)) {
          stranded++;
        }
      }
    }
    weighted += dt * stranded / cards;
    waitingSeconds += dt;
  }

  double share() {
    return waitingSeconds == 0 ? 0 : weighted / waitingSeconds;
  }

  private static double size(PodShape s) {
    return s.wholeGpus() > 0 ? 1000.0 * s.wholeGpus() : s.gpuMilli() + s.gpuMemoryMiB() / 1e6;
  }

  private static boolean fits(PodShape s, Node node, Card card) {
    if (node.freeCpuMilli() < s.cpuMilli() || node.freeMemoryMiB() < s.memoryMiB()) {
      return false;
    }
    if (s.wholeGpus() > 0) {
      return card.isEmpty() && node.freeWholeGpus() >= s.wholeGpus();
    }
    return card.freeMilli() >= s.gpuMilli() && card.freeMemoryMiB() >= s.gpuMemoryMiB();
  }
}
