package dev.cotenant.placement.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.events.JobSpec;
import dev.cotenant.events.JobSpec.GpuRequest;
import dev.cotenant.events.JobSpec.JobKind;
import dev.cotenant.events.JobSubmitted;
import dev.cotenant.placement.model.GpuSlot;
import dev.cotenant.placement.model.PodPlacement;
import dev.cotenant.placement.model.PodShape;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PodFactoryTest {
  private static final String JOB_ID = "4f9c2a1e-7d3b-4c55-9a10-2b8e6f0d1c77";

  private static JobSubmitted job(
      JobKind kind, GpuRequest gpu, Map<String, String> env, List<Integer> ports) {
    return job(JOB_ID, "resnet50", kind, gpu, env, ports);
  }

  private static JobSubmitted job(
      String jobId,
      String app,
      JobKind kind,
      GpuRequest gpu,
      Map<String, String> env,
      List<Integer> ports) {
    return new JobSubmitted(
        "evt-1",
        Instant.parse("2024-05-01T10:00:00Z"),
        "acme",
        jobId,
        new JobSpec(
            "train",
            app,
            "ghcr.io/acme/resnet50:1.2",
            List.of("python", "train.py"),
            List.of("--epochs", "3"),
            env,
            kind,
            JobSpec.Replicas.fixed(2),
            new JobSpec.Resources(1500, 6144, gpu),
            0,
            Optional.of("binpack"),
            // The job's own labels, one of them colliding with ours.
            Map.of("team", "vision", "cotenant.dev/tenant", "mallory"),
            Map.of("example.org/owner", "kim", "cotenant.dev/assigned-node", "elsewhere"),
            ports));
  }

  private static JobSubmitted shareJob() {
    return job(JobKind.BATCH, GpuRequest.share(300, 4096), Map.of("EPOCHS", "3"), List.of());
  }

  private static JobSubmitted wholeJob() {
    return job(JobKind.BATCH, GpuRequest.whole(2), Map.of("EPOCHS", "3"), List.of());
  }

  private static final PodPlacement SHARE_PLACEMENT =
      new PodPlacement(JOB_ID + "-1", "node-a", List.of(new GpuSlot(3, "GPU-ccc", 300, 4096)), 120);

  private static final PodPlacement WHOLE_PLACEMENT =
      new PodPlacement(
          JOB_ID + "-0",
          "node-b",
          List.of(new GpuSlot(1, "GPU-bbb", 1000, 40960), new GpuSlot(0, "GPU-aaa", 1000, 40960)),
          120);

  private static Pod sharePod() {
    return PodFactory.pod(shareJob(), "tenant-acme", SHARE_PLACEMENT, 1, 2, "binpack");
  }

  private static Pod wholePod() {
    return PodFactory.pod(wholeJob(), "tenant-acme", WHOLE_PLACEMENT, 0, 2, "interference-aware");
  }

  private static Container main(Pod pod) {
    assertThat(pod.getSpec().getContainers()).hasSize(1);
    return pod.getSpec().getContainers().get(0);
  }

  private static String env(Pod pod, String name) {
    List<EnvVar> matching =
        main(pod).getEnv().stream().filter(e -> e.getName().equals(name)).toList();
    assertThat(matching).as("env " + name).hasSize(1);
    return matching.get(0).getValue();
  }

  @Test
  void aSharePodIsNamedPlacedAndLabelled() {
    Pod pod = sharePod();

    assertThat(pod.getMetadata().getName()).isEqualTo(JOB_ID + "-1");
    assertThat(pod.getMetadata().getNamespace()).isEqualTo("tenant-acme");
    assertThat(pod.getMetadata().getLabels())
        .containsEntry("team", "vision")
        .containsEntry("cotenant.dev/job-id", JOB_ID)
        .containsEntry("cotenant.dev/tenant", "acme") // ours win over the job's
        .containsEntry("cotenant.dev/app", "resnet50")
        .containsEntry("cotenant.dev/replica", "1")
        .containsEntry("app.kubernetes.io/managed-by", "cotenant");
    assertThat(pod.getSpec().getSchedulerName()).isEqualTo("cotenant");
    assertThat(pod.getSpec().getNodeName()).as("not bound by creation").isNull();
  }

  @Test
  void aSharePodCarriesItsCardsAndShareInAnnotations() {
    Map<String, String> a = sharePod().getMetadata().getAnnotations();

    assertThat(a)
        .containsEntry("example.org/owner", "kim")
        .containsEntry("cotenant.dev/assigned-node", "node-a") // ours win over the job's
        .containsEntry("cotenant.dev/app", "resnet50")
        .containsEntry("cotenant.dev/replicas", "2")
        .containsEntry("cotenant.dev/policy", "binpack")
        .containsEntry("cotenant.dev/gpu-index", "3")
        .containsEntry("cotenant.dev/gpu-uuid", "GPU-ccc")
        .containsEntry("nvidia.com/use-gpuuuid", "GPU-ccc")
        .containsEntry("cotenant.dev/gpu-milli", "300")
        .containsEntry("cotenant.dev/gpu-memory-mib", "4096");
  }

  @Test
  void aWholeGpuPodCarriesAllItsCardsInOrderAndNoShare() {
    Pod pod = wholePod();
    Map<String, String> a = pod.getMetadata().getAnnotations();

    assertThat(a)
        .containsEntry("cotenant.dev/assigned-node", "node-b")
        .containsEntry("cotenant.dev/policy", "interference-aware")
        .containsEntry("cotenant.dev/gpu-index", "1,0")
        .containsEntry("cotenant.dev/gpu-uuid", "GPU-bbb,GPU-aaa")
        .containsEntry("nvidia.com/use-gpuuuid", "GPU-bbb,GPU-aaa")
        .doesNotContainKeys("cotenant.dev/gpu-milli", "cotenant.dev/gpu-memory-mib");
    assertThat(pod.getMetadata().getLabels()).containsEntry("cotenant.dev/replica", "0");
    assertThat(env(pod, "NVIDIA_VISIBLE_DEVICES")).isEqualTo("GPU-bbb,GPU-aaa");
  }

  @Test
  void aCpuOnlyPodSeesNoGpu() {
    JobSubmitted job = job(JobKind.BATCH, GpuRequest.none(), Map.of(), List.of());
    Pod pod =
        PodFactory.pod(
            job,
            "tenant-acme",
            new PodPlacement(JOB_ID + "-0", "cpu-1", List.of(), 10),
            0,
            1,
            "spread");

    assertThat(env(pod, "NVIDIA_VISIBLE_DEVICES")).isEqualTo("void");
    assertThat(pod.getMetadata().getAnnotations())
        .doesNotContainKeys(
            "cotenant.dev/gpu-index",
            "cotenant.dev/gpu-uuid",
            "nvidia.com/use-gpuuuid",
            "cotenant.dev/gpu-milli",
            "cotenant.dev/gpu-memory-mib");
    assertThat(main(pod).getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
  }

  @Test
  void theJobsEnvIsKeptButItsVisibleDevicesAreOverridden() {
    JobSubmitted job =
        job(
            JobKind.BATCH,
            GpuRequest.share(500, 1024),
            Map.of("NVIDIA_VISIBLE_DEVICES", "all", "EPOCHS", "3", "A_FIRST", "1"),
            List.of());
    Pod pod = PodFactory.pod(job, "tenant-acme", SHARE_PLACEMENT, 1, 2, "binpack");

    assertThat(env(pod, "NVIDIA_VISIBLE_DEVICES")).isEqualTo("GPU-ccc");
    assertThat(env(pod, "EPOCHS")).isEqualTo("3");
    assertThat(main(pod).getEnv())
        .extracting(EnvVar::getName)
        .containsExactly("A_FIRST", "EPOCHS", "NVIDIA_VISIBLE_DEVICES");
  }

  @Test
  void theContainerRunsTheJobsImageAndCommand() {
    Container c = main(sharePod());

    assertThat(c.getName()).isEqualTo("main");
    assertThat(c.getImage()).isEqualTo("ghcr.io/acme/resnet50:1.2");
    assertThat(c.getCommand()).containsExactly("python", "train.py");
    assertThat(c.getArgs()).containsExactly("--epochs", "3");
  }

  @Test
  void aShareAsksForCpuAndMemoryWithRequestsEqualToLimits() {
    Container c = main(sharePod());

    Map<String, Quantity> expected =
        Map.of("cpu", new Quantity("1500m"), "memory", new Quantity("6144Mi"));
    assertThat(c.getResources().getRequests()).isEqualTo(expected);
    assertThat(c.getResources().getLimits()).isEqualTo(expected);
  }

  @Test
  void wholeGpusAreInLimitsOnly() {
    Container c = main(wholePod());

    assertThat(c.getResources().getRequests())
        .isEqualTo(Map.of("cpu", new Quantity("1500m"), "memory", new Quantity("6144Mi")));
    assertThat(c.getResources().getLimits())
        .isEqualTo(
            Map.of(
                "cpu", new Quantity("1500m"),
                "memory", new Quantity("6144Mi"),
                "nvidia.com/gpu", new Quantity("2")));
  }

  static Stream<Arguments> pods() {
    return Stream.of(
        Arguments.of("share", sharePod()),
        Arguments.of("whole", wholePod()),
        Arguments.of(
            "interactive",
            PodFactory.pod(
                job(JobKind.INTERACTIVE, GpuRequest.share(100, 512), Map.of(), List.of()),
                "tenant-acme",
                SHARE_PLACEMENT,
                0,
                1,
                "spread")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pods")
  void everyPodRunsRestricted(String name, Pod pod) {
    PodSpec spec = pod.getSpec();
    assertThat(spec.getHostNetwork()).isFalse();
    assertThat(spec.getHostPID()).isFalse();
    assertThat(spec.getHostIPC()).isFalse();
    assertThat(spec.getVolumes()).isNullOrEmpty();
    assertThat(spec.getAutomountServiceAccountToken()).isFalse();
    assertThat(spec.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(spec.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

    Container c = main(pod);
    assertThat(c.getVolumeMounts()).isNullOrEmpty();
    SecurityContext sc = c.getSecurityContext();
    assertThat(sc.getRunAsNonRoot()).isTrue();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getPrivileged()).isFalse();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
  }

  @ParameterizedTest(name = "{0} -> restartPolicy {1}")
  @CsvSource({"BATCH, Never", "INTERACTIVE, Always"})
  void restartPolicyFollowsTheKind(JobKind kind, String restartPolicy) {
    Pod pod =
        PodFactory.pod(
            job(kind, GpuRequest.share(100, 512), Map.of(), List.of()),
            "tenant-acme",
            SHARE_PLACEMENT,
            0,
            1,
            "spread");

    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo(restartPolicy);
  }

  @Test
  void theJobsPortsAreContainerPorts() {
    Pod declared =
        PodFactory.pod(
            job(JobKind.BATCH, GpuRequest.share(100, 512), Map.of(), List.of(8080, 9090)),
            "tenant-acme",
            SHARE_PLACEMENT,
            0,
            1,
            "spread");
    Pod interactiveDefault =
        PodFactory.pod(
            job(JobKind.INTERACTIVE, GpuRequest.share(100, 512), Map.of(), List.of()),
            "tenant-acme",
            SHARE_PLACEMENT,
            0,
            1,
            "spread");

    assertThat(main(declared).getPorts())
        .extracting(ContainerPort::getContainerPort, ContainerPort::getProtocol)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(8080, "TCP"),
            org.assertj.core.groups.Tuple.tuple(9090, "TCP"));
    assertThat(main(interactiveDefault).getPorts())
        .extracting(ContainerPort::getContainerPort)
        .containsExactly(8888);
    assertThat(main(sharePod()).getPorts()).isNullOrEmpty();
  }

  // ---- Service and endpoints ----

  @Test
  void anInteractiveJobsService() {
    JobSubmitted job =
        job(JobKind.INTERACTIVE, GpuRequest.share(100, 512), Map.of(), List.of(8888, 6006));

    Service s = PodFactory.service(job, "tenant-acme");

    assertThat(s.getMetadata().getName()).isEqualTo("job-" + JOB_ID);
    assertThat(s.getMetadata().getNamespace()).isEqualTo("tenant-acme");
    assertThat(s.getMetadata().getLabels())
        .containsEntry("cotenant.dev/job-id", JOB_ID)
        .containsEntry("cotenant.dev/tenant", "acme")
        .containsEntry("app.kubernetes.io/managed-by", "cotenant");
    assertThat(s.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(s.getSpec().getSelector()).isEqualTo(Map.of("cotenant.dev/job-id", JOB_ID));
    assertThat(s.getSpec().getPorts())
        .extracting(
            ServicePort::getName,
            ServicePort::getPort,
            p -> p.getTargetPort().getIntVal(),
            ServicePort::getProtocol)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("p8888", 8888, 8888, "TCP"),
            org.assertj.core.groups.Tuple.tuple("p6006", 6006, 6006, "TCP"));
    // The selector picks exactly the job's pods.
    Pod pod = PodFactory.pod(job, "tenant-acme", SHARE_PLACEMENT, 0, 1, "spread");
    assertThat(pod.getMetadata().getLabels()).containsAllEntriesOf(s.getSpec().getSelector());
  }

  private static final java.util.regex.Pattern DNS_1035 =
      java.util.regex.Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "4f9c2a1e-7d3b-4c55-9a10-2b8e6f0d1c77, job-4f9c2a1e-7d3b-4c55-9a10-2b8e6f0d1c77",
    "ABC_def.9, job-abc-def-9",
    "7, job-7",
    "0abc, job-0abc"
  })
  void serviceNamesAreDns1035Labels(String jobId, String name) {
    String actual = PodFactory.serviceName(jobId);

    assertThat(actual).isEqualTo(name);
    assertThat(actual).hasSizeLessThanOrEqualTo(63).matches(DNS_1035);
  }

  @Test
  void aLongIdIsCutTo63WithoutATrailingHyphen() {
    // "job-" and 59 characters fill the 63 exactly.
    assertThat(PodFactory.serviceName("a".repeat(59))).isEqualTo("job-" + "a".repeat(59));
    // Cut at 63 right after a hyphen: the hyphen goes.
    String cut = PodFactory.serviceName("b".repeat(58) + "-cccc");
    assertThat(cut).isEqualTo("job-" + "b".repeat(58)).matches(DNS_1035);
    assertThat(PodFactory.serviceName("d".repeat(200))).hasSize(63).matches(DNS_1035);
  }

  @Test
  void endpointsOfAnInteractiveJobAndNoneOfABatchJob() {
    JobSubmitted interactive =
        job(JobKind.INTERACTIVE, GpuRequest.share(100, 512), Map.of(), List.of(8888, 6006));
    JobSubmitted interactiveDefault =
        job(JobKind.INTERACTIVE, GpuRequest.share(100, 512), Map.of(), List.of());
    JobSubmitted batch = job(JobKind.BATCH, GpuRequest.share(100, 512), Map.of(), List.of(8080));

    assertThat(PodFactory.endpoints(interactive, "tenant-acme"))
        .containsExactly(
            "job-" + JOB_ID + ".tenant-acme.svc:8888", "job-" + JOB_ID + ".tenant-acme.svc:6006");
    assertThat(PodFactory.endpoints(interactiveDefault, "ns"))
        .containsExactly("job-" + JOB_ID + ".ns.svc:8888");
    assertThat(PodFactory.endpoints(batch, "tenant-acme")).isEmpty();
  }

  @ParameterizedTest(name = "''{0}'' -> ''{1}''")
  @CsvSource({
    "resnet50, resnet50",
    "ghcr.io/acme/resnet50, ghcr.io_acme_resnet50",
    "my app!, my_app",
    "_-.leading.and.trailing-_., leading.and.trailing",
    "'a b', a_b",
    "'___', ''"
  })
  void labelValuesAreSanitised(String value, String label) {
    assertThat(PodFactory.labelValue(value)).isEqualTo(label);
  }

  @Test
  void longLabelValuesAreCutTo63AndEndAlphanumeric() {
    String cut = PodFactory.labelValue("x".repeat(62) + "-yyyy");

    assertThat(cut).isEqualTo("x".repeat(62));
    assertThat(PodFactory.labelValue("z".repeat(100))).hasSize(63);
  }

  @Test
  void anAppThatIsNoLabelValueIsLabelledSanitisedAndAnnotatedExactly() {
    JobSubmitted job =
        job(
            JOB_ID,
            "ghcr.io/acme/resnet50",
            JobKind.BATCH,
            GpuRequest.whole(1),
            Map.of(),
            List.of());
    Pod pod = PodFactory.pod(job, "ns", WHOLE_PLACEMENT, 0, 1, "spread");

    assertThat(pod.getMetadata().getLabels())
        .containsEntry("cotenant.dev/app", "ghcr.io_acme_resnet50");
    assertThat(pod.getMetadata().getAnnotations())
        .containsEntry("cotenant.dev/app", "ghcr.io/acme/resnet50");
    assertThat(PodMapper.observe(pod).app()).isEqualTo("ghcr.io/acme/resnet50");
  }

  // ---- round trip ----

  static Stream<Arguments> roundTrips() {
    return Stream.of(
        Arguments.of(
            GpuRequest.share(300, 4096),
            SHARE_PLACEMENT,
            PodShape.share(1500, 6144, 300, 4096),
            List.of(3),
            List.of("GPU-ccc")),
        Arguments.of(
            GpuRequest.share(0, 2048),
            SHARE_PLACEMENT,
            PodShape.share(1500, 6144, 0, 2048),
            List.of(3),
            List.of("GPU-ccc")),
        Arguments.of(
            GpuRequest.whole(2),
            WHOLE_PLACEMENT,
            PodShape.whole(1500, 6144, 2),
            List.of(1, 0),
            List.of("GPU-bbb", "GPU-aaa")),
        Arguments.of(
            GpuRequest.none(),
            new PodPlacement(JOB_ID + "-1", "cpu-1", List.of(), 5),
            PodShape.cpu(1500, 6144),
            List.of(),
            List.of()));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("roundTrips")
  void aCreatedPodReadsBackAsItsJobsReplica(
      GpuRequest gpu,
      PodPlacement placement,
      PodShape shape,
      List<Integer> indexes,
      List<String> uuids) {
    JobSubmitted job = job(JobKind.BATCH, gpu, Map.of(), List.of());
    Pod pod = PodFactory.pod(job, "tenant-acme", placement, 1, 3, "binpack");

    ObservedPod o = PodMapper.observe(pod);

    assertThat(o.key()).isEqualTo("tenant-acme/" + placement.podName());
    assertThat(o.ours()).isTrue();
    assertThat(o.jobId()).contains(JOB_ID);
    assertThat(o.tenant()).isEqualTo("acme");
    assertThat(o.app()).isEqualTo("resnet50");
    assertThat(o.replica()).isEqualTo(1);
    assertThat(o.replicas()).isEqualTo(3);
    assertThat(o.policy()).isEqualTo("binpack");
    assertThat(o.shape()).isEqualTo(shape);
    assertThat(o.shape()).isEqualTo(JobRequests.shape(job.spec().resources()));
    assertThat(o.gpuIndexes()).isEqualTo(indexes);
    assertThat(o.gpuUuids()).isEqualTo(uuids);
    assertThat(o.node()).contains(placement.node());
    assertThat(o.bound()).isFalse();
    assertThat(o.schedulerName()).isEqualTo("cotenant");
    assertThat(o.pendingForUs("cotenant")).isTrue();
    assertThat(o.phase()).isEqualTo(ObservedPod.Phase.PENDING);
    assertThat(o.failure()).isEmpty();
  }
}
