package dev.cotenant.placement.kubernetes;

import dev.cotenant.events.PodKeys;

/**
 * The labels, annotations and names placement reads and writes on Kubernetes objects. Pods it
 * creates carry all of them, so that everything placement needs after a restart is on the pod.
 */
public final class Names {
  /** The {@code spec.schedulerName} of every pod Cotenant places. */
  public static final String SCHEDULER = "cotenant";

  public static final String JOB_LABEL = PodKeys.JOB_LABEL;
  public static final String TENANT_LABEL = PodKeys.TENANT_LABEL;
  public static final String APP_LABEL = PodKeys.APP;
  public static final String REPLICA_LABEL = "cotenant.dev/replica";
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

  /** Card pinning, as ARCHITECTURE.md names it; comma-separated for a multi-GPU pod. */
  public static final String GPU_INDEX = PodKeys.GPU_INDEX;

  public static final String GPU_UUID = PodKeys.GPU_UUID;

  /** HAMi's device-plugin annotation: the card(s) the pod must get. */
  public static final String HAMI_GPU_UUID = PodKeys.HAMI_GPU_UUID;

  /** A GPU share: compute in thousandths of a card and memory in MiB (also for foreign pods). */
  public static final String GPU_MILLI = PodKeys.GPU_MILLI;

  public static final String GPU_MEMORY_MIB = PodKeys.GPU_MEMORY_MIB;

  /** The node placement chose: on the pod before it is bound, so a restart binds it there. */
  public static final String ASSIGNED_NODE = "cotenant.dev/assigned-node";

  /** The job's gang size, so its outcome is known from its pods alone. */
  public static final String REPLICAS = "cotenant.dev/replicas";

  /** Which attempt of its replica a pod is: 0, then 1, 2… for pods placed again after an OOM. */
  public static final String ATTEMPT = "cotenant.dev/attempt";

  /** The job's policy, for the explanation after a restart. */
  public static final String POLICY = "cotenant.dev/policy";

  /** A foreign pod's gang minimum (coscheduling's minMember). */
  public static final String GANG_SIZE = "cotenant.dev/gang-size";

  /** The PodGroup label of the coscheduling plugin (scheduler-plugins). */
  public static final String POD_GROUP_LABEL = "scheduling.x-k8s.io/pod-group";

  /** Where the node annotation of the local stack lists its GPU UUIDs by index. */
  public static final String NODE_GPU_UUIDS = PodKeys.NODE_GPU_UUIDS;

  public static final String GPU_RESOURCE = "nvidia.com/gpu";
  public static final String GPU_PRODUCT_LABEL = "nvidia.com/gpu.product";
  public static final String GPU_MEMORY_LABEL = "nvidia.com/gpu.memory";

  /** HAMi's share resources: percent of a card's compute, MiB of its memory. */
  public static final String HAMI_GPU_CORES = "nvidia.com/gpucores";

  public static final String HAMI_GPU_MEMORY = "nvidia.com/gpumem";

  private Names() {}
}
