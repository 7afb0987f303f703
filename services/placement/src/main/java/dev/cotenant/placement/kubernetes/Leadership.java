package dev.cotenant.placement.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * One active placement replica, chosen with fabric8's {@link LeaderElector} over a
 * coordination.k8s.io Lease, as kube-scheduler does. A replica that loses the lease stops the
 * process (it may have decisions in flight that the new leader does not know); its supervisor
 * restarts it as a standby.
 */
public final class Leadership implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Leadership.class);

  private final LeaderElector elector;
  private CompletableFuture<?> running;

  /**
   * @param onLeading called once this replica holds the lease
   * @param onLost called when it lost it after holding it
   */
  public Leadership(
      KubernetesClient client,
      String namespace,
      String lease,
      String identity,
      Duration leaseDuration,
      Duration renewDeadline,
      Duration retryPeriod,
      Runnable onLeading,
      Runnable onLost) {
    this.elector =
        client
            .leaderElector()
            .withConfig(
                new LeaderElectionConfigBuilder()
                    .withName(lease)
                    .withLock(new LeaseLock(namespace, lease, identity))
                    .withLeaseDuration(leaseDuration)
                    .withRenewDeadline(renewDeadline)
                    .withRetryPeriod(retryPeriod)
                    .withReleaseOnCancel(true)
                    .withLeaderCallbacks(
                        new LeaderCallbacks(
                            () -> {
                              LOG.infof("%s holds lease %s/%s", identity, namespace, lease);
                              onLeading.run();
                            },
                            () -> {
                              LOG.warnf("%s lost lease %s/%s", identity, namespace, lease);
                              onLost.run();
                            },
                            leader ->
                                LOG.infof("lease %s/%s is held by %s", namespace, lease, leader)))
                    .build())
            .build();
  }

  public void start() {
    running = elector.start();
  }

  @Override
  public void close() {
    if (running != null) {
      running.cancel(true);
    }
  }
}
