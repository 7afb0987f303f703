package dev.cotenant.eval;

import dev.cotenant.placement.EngineConfig;
import dev.cotenant.placement.framework.CandidateView;
import dev.cotenant.placement.framework.PodContext;
import dev.cotenant.placement.framework.Predictions;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.model.NodeInfo;
import dev.cotenant.placement.model.PodShape;
import dev.cotenant.placement.plugins.GpuFit;
import dev.cotenant.placement.plugins.NodeResourcesFit;
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

  private static final GpuFit GPU_FIT = new GpuFit();
  private static final NodeResourcesFit NODE_FIT = new NodeResourcesFit();

  private final ClusterState state;
  private Predictions predictions;
  private final EngineConfig config;
  private final int cards;
  private double weighted;
  private double waitingSeconds;

  Fragmentation(
      List<NodeInfo> nodes, ClusterState state, Predictions predictions, EngineConfig config) {
    this.state = state;
    this.predictions = predictions;
    this.config = config;
    this.cards = nodes.stream().mapToInt(n -> n.gpus().size()).sum();
  }

  /** The model changed (it learns): forget cached predictions. */
  void setModel(dev.cotenant.interference.InterferenceModel model) {
    predictions = new Predictions(model);
  }

  /** Counts the interval {@code [from, to)} with the cluster as it is now. */
  void accumulate(double from, double to, Collection<JobRequest> waiting) {
    double dt = to - from;
    if (dt <= 0 || cards == 0) {
      return;
    }
    JobRequest smallest = null;
    for (JobRequest job : waiting) {
      if (job.shape().isCpuOnly()) {
        continue;
      }
      if (smallest == null || size(job.shape()) < size(smallest.shape())) {
        smallest = job;
      }
    }
    if (smallest == null) {
      return;
    }
    // The engine's own capacity filters judge the fit, so this measure and placement agree.
    PodContext pod =
        new PodContext(
            smallest,
            smallest.podName(0),
            smallest.soloSeconds(),
            from,
            predictions,
            config,
            state);
    int stranded = 0;
    for (Node node : state.nodes()) {
      for (Card card : node.cards()) {
        boolean full = card.exclusive() || card.freeMilli() == 0 || card.freeMemoryMiB() == 0;
        if (!full && !fits(pod, card)) {
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

  private static boolean fits(PodContext pod, Card card) {
    // A whole-GPU pod can only use a card nobody holds; GpuFit then checks the node has enough.
    if (pod.shape().isWhole() && !card.isEmpty()) {
      return false;
    }
    CandidateView candidate = CandidateView.share(card);
    return GPU_FIT.filter(null, pod, candidate).passes()
        && NODE_FIT.filter(null, pod, candidate).passes();
  }
}
