package dev.cotenant.monitor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The monitor's settings. */
@ConfigMapping(prefix = "cotenant.monitor")
public interface MonitorConfig {

  /** The {@code source} of the CloudEvents this service emits. */
  @WithDefault("/cotenant/monitor")
  String source();

  Lifecycle lifecycle();

  Dcgm dcgm();

  /** Pod and node informers → PodStarted / PodFinished on {@code cotenant.job-events}. */
  interface Lifecycle {
    /** Whether to watch pods at all. */
    @WithDefault("true")
    boolean enabled();

    /**
     * At start, pods that ended longer ago than this are taken as announced by an earlier monitor
     * and not announced again; newer ones are re-announced with the same event ids.
     */
    @WithDefault("PT24H")
    Duration replayWindow();

    /**
     * How long a finished run is kept for the co-tenant shares of a run that overlaps it: a pod
     * running longer than this sees only the co-tenants of its last part.
     */
    @WithDefault("PT24H")
    Duration retention();

    /**
     * Namespaces whose pods are not workloads (DaemonSet pods, and the exporter pods of {@code
     * dcgm.discovery.pod-selector}, are skipped everywhere).
     */
    @WithDefault("kube-system,gpu-operator")
    List<String> excludeNamespaces();

    /** How long the informers may take to list the cluster before trying again. */
    @WithDefault("PT60S")
    Duration cacheSyncTimeout();

    /** Pause before trying again after the informers failed to start. */
    @WithDefault("PT1S")
    Duration retryBackoff();
  }

  /** The scrape of NVIDIA dcgm-exporters → GpuSample on {@code cotenant.gpu-telemetry}. */
  interface Dcgm {
    /** Whether to scrape at all. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Static targets: {@code http://host:9400/metrics}, or {@code node=http://…} to name the node
     * (else the exporter's {@code hostname}/{@code Hostname} label does).
     */
    Optional<List<String>> targets();

    /**
     * Time between scrapes of one target. dcgm-exporter reads DCGM every 30 s by default ({@code -c
     * 30000}); set its interval to this or less, else the same values are read repeatedly.
     */
    @WithDefault("PT5S")
    Duration interval();

    /** Longest wait for one exporter's answer. */
    @WithDefault("PT2S")
    Duration timeout();

    /** A target whose last good scrape is older than this is STALE; older values are not sent. */
    @WithDefault("PT15S")
    Duration staleAfter();

    /** Threads that parse and map expositions. */
    @WithDefault("2")
    int threads();

    Discovery discovery();
  }

  /** Exporters found through the Kubernetes API, as NVIDIA's GPU Operator deploys them. */
  interface Discovery {
    @WithDefault("true")
    boolean enabled();

    /** The exporters' Service, whose Endpoints list one address per exporter pod and its node. */
    @WithDefault("nvidia-dcgm-exporter")
    String service();

    /** The namespace of the Service and pods; every namespace when absent. */
    Optional<String> namespace();

    /** The Service port (and container port) by name; the first port when none has it. */
    @WithDefault("gpu-metrics")
    String portName();

    /** Label selector of the exporter pods, used where the Service has no Endpoints. */
    @WithDefault("app=nvidia-dcgm-exporter")
    String podSelector();

    /** Port of an exporter pod that names none. */
    @WithDefault("9400")
    int defaultPort();

    /** The metrics path. */
    @WithDefault("/metrics")
    String path();

    /** Time between two looks for exporters. */
    @WithDefault("PT30S")
    Duration interval();
  }
}
