package dev.cotenant.placement.support;

import dev.cotenant.testsupport.ServiceTestResource;
import dev.cotenant.testsupport.TestDatabase;
import dev.cotenant.testsupport.TestStack;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/** The shared test stack for placement, with short waits so tests do not sit idle. */
public class PlacementTestResource extends ServiceTestResource {
  public static final String GROUP = "placement";

  public PlacementTestResource() {
    super(new TestDatabase("placement"));
  }

  public static String kafka() {
    return TestStack.get().kafka().bootstrapServers();
  }

  public static KubernetesClient kube() {
    return TestStack.get().kubernetes().client();
  }

  @Override
  protected Map<String, String> serviceConfig() {
    return Map.of(
        "cotenant.placement.gang-timeout", "PT2S",
        "cotenant.placement.retry-backoff", "PT0.2S",
        "cotenant.placement.leader-election.lease-duration", "PT4S",
        "cotenant.placement.leader-election.renew-deadline", "PT3S",
        "cotenant.placement.leader-election.retry-period", "PT0.5S");
  }
}
