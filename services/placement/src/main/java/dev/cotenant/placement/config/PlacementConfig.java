package dev.cotenant.placement.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The placement service's settings. */
@ConfigMapping(prefix = "cotenant.placement")
public interface PlacementConfig {

  /** The policy of jobs that name none (one of the engine's policies). */
  @WithDefault("interference-aware")
  String defaultPolicy();

  /** Tenant → namespace; a tenant not listed runs in {@link #namespacePrefix()} + tenant. */
  Map<String, String> namespaces();

  /** Prefix of a tenant's namespace when {@link #namespaces()} names none (none by default). */
  Optional<String> namespacePrefix();

  /** An interference file (cotenant.interference/v1) the model starts from; profiles override. */
  Optional<Path> interferenceFile();

  /** How many times a pod killed for GPU memory is placed again before its job fails. */
  @WithDefault("2")
  int oomRetries();

  /** How long a foreign pod group waits for its members before it is reported and retried. */
  @WithDefault("PT30S")
  Duration gangTimeout();

  /** How long the informers may take to list the cluster before the service gives up. */
  @WithDefault("PT60S")
  Duration cacheSyncTimeout();

  /** Whether to consume and place at all (off: only the caches and the REST API). */
  @WithDefault("true")
  boolean consume();

  /** The consumer group of the submission and cancel consumers. */
  @WithDefault("placement")
  String group();

  /** Pause before a failed consumer reads again from its committed offsets. */
  @WithDefault("PT1S")
  Duration retryBackoff();

  /** Records per poll. */
  @WithDefault("500")
  int maxBatch();

  /** Threads that create and bind pods (each a blocking Kubernetes API call at a time). */
  @WithDefault("16")
  int writeThreads();

  /** The {@code source} of the CloudEvents this service emits. */
  @WithDefault("/cotenant/placement")
  String source();

  /** Expected serial start time per pod on one node, for right-sizing. */
  @WithDefault("2.0")
  double podStartSeconds();

  /** How many candidates a decision explains. */
  @WithDefault("3")
  int topCandidates();

  /** Seconds of cost per unit of uncertainty of an unmeasured pair. */
  @WithDefault("100.0")
  double uncertaintyPenalty();

  /** Decisions kept for {@code GET /api/v1/decisions/{job}} (the oldest go first). */
  @WithDefault("10000")
  int decisionsKept();

  LeaderElection leaderElection();

  /** One active replica at a time, chosen through a coordination.k8s.io Lease. */
  interface LeaderElection {
    @WithDefault("true")
    boolean enabled();

    @WithDefault("cotenant-placement")
    String leaseName();

    @WithDefault("default")
    String leaseNamespace();

    /** This replica's name in the Lease; the host name and a random suffix when absent. */
    Optional<String> identity();

    /** A standby takes over this long after the leader last renewed. */
    @WithDefault("PT10S")
    Duration leaseDuration();

    @WithDefault("PT8S")
    Duration renewDeadline();

    @WithDefault("PT1S")
    Duration retryPeriod();
  }
}
