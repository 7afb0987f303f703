package dev.cotenant.placement.mapping;

import dev.cotenant.events.JobSpec;
import dev.cotenant.events.JobSubmitted;
import dev.cotenant.placement.kubernetes.Names;
import dev.cotenant.placement.model.GpuSlot;
import dev.cotenant.placement.model.PodPlacement;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The pods and Service placement creates for a job. A pod carries everything placement needs after
 * a restart (job, tenant, app, replica, gang size, assigned node and cards), so the cluster itself
 * is the record of what was decided.
 */
public final class PodFactory {
  /** No GPU visible to the container (the NVIDIA container toolkit's value for none). */
  static final String NO_GPU = "void";

  private PodFactory() {}

  /**
   * One replica's pod, pinned to its cards, not yet bound.
   *
   * @param replica the replica index, 0-based
   * @param replicas the gang size
   */
  public static Pod pod(
      JobSubmitted job,
      String namespace,
      PodPlacement placement,
      int replica,
      int replicas,
      String policy) {
    JobSpec spec = job.spec();
    Map<String, String> labels = new TreeMap<>(spec.labels());
    labels.put(Names.JOB_LABEL, job.jobId());
    labels.put(Names.TENANT_LABEL, job.tenant());
    labels.put(Names.APP_LABEL, labelValue(spec.app()));
    labels.put(Names.REPLICA_LABEL, String.valueOf(replica));
    labels.put(Names.MANAGED_BY_LABEL, "cotenant");
    Map<String, String> annotations = new TreeMap<>(spec.annotations());
    annotations.put(Names.ASSIGNED_NODE, placement.node());
    // The label value may be shortened; the annotation keeps the profile key exactly.
    annotations.put(Names.APP_LABEL, spec.app());
    annotations.put(Names.REPLICAS, String.valueOf(replicas));
    annotations.put(Names.POLICY, policy);
    List<GpuSlot> gpus = placement.gpus();
    String uuids = gpus.stream().map(GpuSlot::uuid).collect(Collectors.joining(","));
    if (!gpus.isEmpty()) {
      annotations.put(
          Names.GPU_INDEX,
          gpus.stream().map(g -> String.valueOf(g.index())).collect(Collectors.joining(",")));
      annotations.put(Names.GPU_UUID, uuids);
      annotations.put(Names.HAMI_GPU_UUID, uuids);
    }
    JobSpec.GpuRequest gpu = spec.resources().gpu();
    if (gpu.isShare() || (gpu.count() == 0 && gpu.memoryMiB() > 0)) {
      annotations.put(Names.GPU_MILLI, String.valueOf(gpu.milli()));
      annotations.put(Names.GPU_MEMORY_MIB, String.valueOf(gpu.memoryMiB()));
    }
    Map<String, Quantity> requests = new LinkedHashMap<>();
    requests.put("cpu", new Quantity(spec.resources().cpuMilli() + "m"));
    requests.put("memory", new Quantity(spec.resources().memoryMiB() + "Mi"));
    Map<String, Quantity> limits = new LinkedHashMap<>(requests);
    if (gpu.count() > 0) {
      // Extended resources go in limits (requests default to them); the device plugin honours
      // the pinned UUIDs through the annotations.
      limits.put(Names.GPU_RESOURCE, new Quantity(String.valueOf(gpu.count())));
    }
    List<EnvVar> env = new ArrayList<>();
    new TreeMap<>(spec.env()).forEach((k, v) -> env.add(new EnvVar(k, v, null)));
    env.removeIf(e -> e.getName().equals("NVIDIA_VISIBLE_DEVICES"));
    env.add(new EnvVar("NVIDIA_VISIBLE_DEVICES", gpus.isEmpty() ? NO_GPU : uuids, null));
    List<ContainerPort> ports = new ArrayList<>();
    for (int port : spec.servicePorts()) {
      ports.add(new ContainerPortBuilder().withContainerPort(port).withProtocol("TCP").build());
    }
    boolean interactive = spec.kind() == JobSpec.JobKind.INTERACTIVE;
    return new PodBuilder()
        .withNewMetadata()
        .withName(placement.podName())
        .withNamespace(namespace)
        .withLabels(labels)
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .withSchedulerName(Names.SCHEDULER)
        // Interactive sessions run until cancelled; a batch replica runs once to an outcome.
        .withRestartPolicy(interactive ? "Always" : "Never")
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withHostNetwork(false)
        .withHostPID(false)
        .withHostIPC(false)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withContainers(
            new ContainerBuilder()
                .withName("main")
                .withImage(spec.image())
                .withCommand(spec.command().isEmpty() ? null : spec.command())
                .withArgs(spec.args().isEmpty() ? null : spec.args())
                .withEnv(env)
                .withPorts(ports)
                .withNewResources()
                .withRequests(requests)
                .withLimits(limits)
                .endResources()
                .withSecurityContext(
                    new SecurityContextBuilder()
                        .withPrivileged(false)
                        .withAllowPrivilegeEscalation(false)
                        .withRunAsNonRoot(true)
                        .withNewCapabilities()
                        .withDrop("ALL")
                        .endCapabilities()
                        .withNewSeccompProfile()
                        .withType("RuntimeDefault")
                        .endSeccompProfile()
                        .build())
                .build())
        .endSpec()
        .build();
  }

  /** The ClusterIP Service of an interactive job: its pods on the job's ports. */
  public static Service service(JobSubmitted job, String namespace) {
    List<ServicePort> ports = new ArrayList<>();
    for (int port : job.spec().servicePorts()) {
      ports.add(
          new ServicePortBuilder()
              .withName("p" + port)
              .withPort(port)
              .withNewTargetPort(port)
              .withProtocol("TCP")
              .build());
    }
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(serviceName(job.jobId()))
        .withNamespace(namespace)
        .withLabels(
            Map.of(
                Names.JOB_LABEL, job.jobId(),
                Names.TENANT_LABEL, job.tenant(),
                Names.MANAGED_BY_LABEL, "cotenant"))
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(Map.of(Names.JOB_LABEL, job.jobId()))
        .withPorts(ports)
        .endSpec()
        .build();
  }

  /** A Service name must be a DNS-1035 label (a letter first), which a UUID need not be. */
  public static String serviceName(String jobId) {
    String name = ("job-" + jobId.toLowerCase()).replaceAll("[^a-z0-9-]", "-");
    return name.length() <= 63 ? name : name.substring(0, 63).replaceAll("-+$", "");
  }

  /** The in-cluster addresses of an interactive job: {@code service.namespace.svc:port}. */
  public static List<String> endpoints(JobSubmitted job, String namespace) {
    if (job.spec().kind() != JobSpec.JobKind.INTERACTIVE) {
      return List.of();
    }
    String host = serviceName(job.jobId()) + "." + namespace + ".svc";
    return job.spec().servicePorts().stream().map(p -> host + ":" + p).toList();
  }

  /** A label value is at most 63 characters of [A-Za-z0-9._-], alphanumeric at both ends. */
  static String labelValue(String value) {
    String v = value.replaceAll("[^A-Za-z0-9._-]", "_");
    if (v.length() > 63) {
      v = v.substring(0, 63);
    }
    return v.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
  }
}
