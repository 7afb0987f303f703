package dev.cotenant.placement.framework;

import dev.cotenant.placement.EngineConfig;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.model.PodShape;
import dev.cotenant.placement.state.ClusterState;

/**
 * The pod being placed and what plugins may consult about it.
 *
 * @param job its job
 * @param podName its name
 * @param workSeconds its run time alone (for right-sized jobs, the share of one replica)
 * @param nowSeconds the decision time
 * @param predictions the current model, cached
 * @param config engine settings
 * @param state the cluster (what Reserve plugins change)
 * @param demand what the queue and recent arrivals ask for (the fragmentation score's target)
 */
public record PodContext(
    JobRequest job,
    String podName,
    double workSeconds,
    double nowSeconds,
    Predictions predictions,
    EngineConfig config,
    ClusterState state,
    Demand demand) {

  /** A pod with nothing known of the demand (an empty {@link Demand}). */
  public PodContext(
      JobRequest job,
      String podName,
      double workSeconds,
      double nowSeconds,
      Predictions predictions,
      EngineConfig config,
      ClusterState state) {
    this(job, podName, workSeconds, nowSeconds, predictions, config, state, new Demand());
  }

  public String app() {
    return job.app();
  }

  public PodShape shape() {
    return job.shape();
  }
}
