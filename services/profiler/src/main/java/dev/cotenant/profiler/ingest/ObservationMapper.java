package dev.cotenant.profiler.ingest;

import dev.cotenant.events.CoTenant;
import dev.cotenant.events.PodFinished;
import dev.cotenant.interference.learn.Observation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A finished pod as the model learns from it, or nothing when its end says nothing of interference.
 */
public final class ObservationMapper {
  private ObservationMapper() {}

  /**
   * SUCCEEDED is a completed run, OOM_KILLED evidence that it cannot share; FAILED and EVICTED end
   * for reasons unrelated to co-tenants (a bug, a drained node), so they teach nothing. A run
   * without an app, or a completed one without a positive run time, cannot be learned from either
   * (a pod OOM-killed as it started ran 0 s and still counts).
   */
  public static Optional<Observation> observation(PodFinished finished) {
    if (finished.app() == null
        || finished.app().isBlank()
        || !(finished.runSeconds() >= 0)
        || Double.isInfinite(finished.runSeconds())
        || (finished.runSeconds() == 0 && finished.outcome() != PodFinished.Outcome.OOM_KILLED)
        || finished.outcome() == null) {
      return Optional.empty();
    }
    Map<String, Double> shares = gpuShares(finished.pod(), finished.coTenants());
    return switch (finished.outcome()) {
      case SUCCEEDED ->
          Optional.of(Observation.completed(finished.app(), finished.runSeconds(), shares));
      case OOM_KILLED ->
          Optional.of(Observation.oomKilled(finished.app(), finished.runSeconds(), shares));
      case FAILED, EVICTED -> Optional.empty();
    };
  }

  /**
   * Per co-tenant app, the summed share of its pods on the subject's GPU. CPU co-tenants are not
   * modelled yet; an entry naming the subject pod itself (a monitor listing every pod on the card)
   * and shares that are not a number in [0, 1] are dropped.
   */
  public static Map<String, Double> gpuShares(String pod, List<CoTenant> coTenants) {
    Map<String, Double> shares = new TreeMap<>();
    for (CoTenant c : coTenants) {
      if (c.device() != CoTenant.Device.GPU
          || c.app() == null
          || c.app().isBlank()
          || (c.pod() != null && c.pod().equals(pod))
          || !(c.share() >= 0 && c.share() <= 1)) {
        continue;
      }
      shares.merge(c.app(), c.share(), Double::sum);
    }
    return shares;
  }
}
