package dev.cotenant.events;

/**
 * The labels and annotations Cotenant's services read on each other's Kubernetes objects: placement
 * writes them on the pods it places, the kubelets (simulated or a device plugin) honour the card
 * ones, the monitor reads them back into lifecycle events. Like the events, a contract between the
 * services, so it is written once.
 */
public final class PodKeys {
  public static final String JOB_LABEL = "cotenant.dev/job-id";
  public static final String TENANT_LABEL = "cotenant.dev/tenant";

  /** The profile key of a pod's application (a label, or an annotation on foreign pods). */
  public static final String APP = "cotenant.dev/app";

  /** Card pinning, as ARCHITECTURE.md names it; comma-separated for a multi-GPU pod. */
  public static final String GPU_INDEX = "cotenant.dev/gpu-index";

  public static final String GPU_UUID = "cotenant.dev/gpu-uuid";

  /** HAMi's device-plugin annotation: the card(s) the pod must get. */
  public static final String HAMI_GPU_UUID = "nvidia.com/use-gpuuuid";

  /** A GPU share: compute in thousandths of a card and memory in MiB (also for foreign pods). */
  public static final String GPU_MILLI = "cotenant.dev/gpu-milli";

  public static final String GPU_MEMORY_MIB = "cotenant.dev/gpu-memory-mib";

  /** The node annotation listing its GPU UUIDs by index (the local stack's nodes carry it). */
  public static final String NODE_GPU_UUIDS = "cotenant.dev/gpu-uuids";

  /**
   * The W3C traceparent of the placement that created the pod: the monitor's lifecycle spans are
   * its children, so a job's trace reaches past the Kubernetes API.
   */
  public static final String TRACEPARENT = "cotenant.dev/traceparent";

  private PodKeys() {}
}
