package dev.cotenant.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cotenant.events.JobCancelled;
import dev.cotenant.events.JobFailed;
import dev.cotenant.events.JobPlaced;
import dev.cotenant.events.JobQueued;
import dev.cotenant.events.JobSpec;
import dev.cotenant.events.JobSubmitted;
import dev.cotenant.events.JobSucceeded;
import dev.cotenant.events.JobUnschedulable;
import dev.cotenant.events.PodBound;
import dev.cotenant.events.Topics;
import dev.cotenant.placement.kubernetes.Names;
import dev.cotenant.placement.support.Jobs;
import dev.cotenant.placement.support.PlacementTestResource;
import dev.cotenant.sim.cluster.NodeSpec;
import dev.cotenant.testsupport.EventLog;
import dev.cotenant.testsupport.EventTopics;
import dev.cotenant.testsupport.KubernetesApiServer;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Jobs from the real broker placed on the embedded Kubernetes API: pods created with their cards
 * and bound, events emitted, gangs, foreign pods, interactive Services, cancel, outcomes.
 */
@QuarkusTest
@WithTestResource(PlacementTestResource.class)
class PlacementFlowTest {
  static final String TENANT = "team-a";
  static final Duration WAIT = Duration.ofSeconds(30);
  static final List<String> NODES = List.of("flow-gpu-0", "flow-gpu-1");
  static EventLog log;

  @BeforeAll
  static void cluster() {
    KubernetesClient kube = PlacementTestResource.kube();
    for (String name : NODES) {
      if (kube.nodes().withName(name).get() == null) {
        kube.nodes()
            .resource(
                KubernetesApiServer.toNode(
                    new NodeSpec(name, 16_000, 65_536, 4, "Tesla-P100", 16_000)))
            .create();
      }
    }
    log = new EventLog(PlacementTestResource.kafka());
  }

  @AfterAll
  static void closeLog() {
    if (log != null) {
      log.close();
    }
  }

  @AfterEach
  void removePods() {
    KubernetesClient kube = PlacementTestResource.kube();
    for (String ns : List.of(TENANT, "kubeflow")) {
      kube.pods().inNamespace(ns).delete();
      kube.services().inNamespace(ns).delete();
    }
    await().atMost(WAIT).until(() -> kube.pods().inAnyNamespace().list().getItems().isEmpty());
  }

  /** Returns where the submissions were written, for {@link EventTopics#awaitConsumed}. */
  static Map<TopicPartition, Long> submit(JobSubmitted... jobs) {
    return EventTopics.send(PlacementTestResource.kafka(), List.of(jobs));
  }

  static List<Pod> pods(JobSubmitted job) {
    return PlacementTestResource.kube()
        .pods()
        .inNamespace(job.tenant())
        .withLabel(Names.JOB_LABEL, job.jobId())
        .list()
        .getItems();
  }

  static List<Pod> awaitBound(JobSubmitted job, int n) {
    await()
        .atMost(WAIT)
        .until(
            () -> {
              List<Pod> pods = pods(job);
              return pods.size() == n
                  && pods.stream().allMatch(p -> p.getSpec().getNodeName() != null);
            });
    return pods(job);
  }

  @Test
  void aJobsPodIsCreatedPinnedToItsCardRestrictedAndBound() {
    JobSubmitted job = Jobs.share(TENANT, "resnet50", 1, 500, 4000);
    submit(job);
    Pod pod = awaitBound(job, 1).get(0);

    assertThat(pod.getMetadata().getName()).isEqualTo(job.jobId() + "-0");
    assertThat(pod.getMetadata().getNamespace()).isEqualTo(TENANT);
    assertThat(pod.getSpec().getSchedulerName()).isEqualTo("cotenant");
    assertThat(pod.getMetadata().getLabels())
        .containsEntry(Names.JOB_LABEL, job.jobId())
        .containsEntry(Names.TENANT_LABEL, TENANT)
        .containsEntry(Names.APP_LABEL, "resnet50")
        .containsEntry("team", "vision");
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String node = pod.getSpec().getNodeName();
    assertThat(NODES).contains(node);
    int index = Integer.parseInt(annotations.get(Names.GPU_INDEX));
    String uuid =
        KubernetesApiServer.gpuUuids(new NodeSpec(node, 16_000, 65_536, 4, "Tesla-P100", 16_000))
            .get(index);
    assertThat(annotations)
        .containsEntry(Names.GPU_UUID, uuid)
        .containsEntry(Names.HAMI_GPU_UUID, uuid)
        .containsEntry(Names.GPU_MILLI, "500")
        .containsEntry(Names.GPU_MEMORY_MIB, "4000")
        .containsEntry("example.org/owner", "kim");
    var container = pod.getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("ghcr.io/acme/resnet50:1");
    assertThat(container.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("NVIDIA_VISIBLE_DEVICES");
              assertThat(e.getValue()).isEqualTo(uuid);
            })
        .anySatisfy(e -> assertThat(e.getName()).isEqualTo("EPOCHS"));
    assertThat(container.getResources().getRequests())
        .containsEntry("cpu", new Quantity("1000m"))
        .containsEntry("memory", new Quantity("2048Mi"));
    var security = container.getSecurityContext();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getPrivileged()).isFalse();
    assertThat(security.getRunAsNonRoot()).isTrue();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSpec().getHostNetwork()).isFalse();
    assertThat(pod.getSpec().getHostPID()).isFalse();
    assertThat(pod.getSpec().getVolumes()).isNullOrEmpty();

    await().atMost(WAIT).until(() -> !log.of(job.jobId(), PodBound.class).isEmpty());
    // Placed at once: straight to placed, no queued event.
    assertThat(log.of(job.jobId(), JobQueued.class)).isEmpty();
    JobPlaced placed = log.of(job.jobId(), JobPlaced.class).get(0);
    assertThat(placed.policy()).isEqualTo("interference-aware");
    assertThat(placed.pods())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.node()).isEqualTo(node);
              assertThat(a.gpus())
                  .singleElement()
                  .satisfies(g -> assertThat(g.uuid()).isEqualTo(uuid));
            });
    assertThat(placed.topCandidates()).isNotEmpty();
    PodBound bound = log.of(job.jobId(), PodBound.class).get(0);
    assertThat(bound.node()).isEqualTo(node);
    assertThat(bound.gpus()).singleElement().satisfies(g -> assertThat(g.index()).isEqualTo(index));
  }

  @Test
  void theSubmissionsTraceContinuesOnThePodAndEveryEvent() {
    String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    JobSubmitted job = Jobs.share(TENANT, "resnet50", 1, 200, 1000);
    EventTopics.send(
        PlacementTestResource.kafka(),
        Map.of("traceparent", "00-" + trace + "-00f067aa0ba902b7-01"),
        List.of(job));
    Pod pod = awaitBound(job, 1).get(0);
    // The same trace; the parent is placement's own span (or the submission's, tracing off).
    String carried = pod.getMetadata().getAnnotations().get("cotenant.dev/traceparent");
    assertThat(carried).matches("00-" + trace + "-[0-9a-f]{16}-01");
    await().atMost(WAIT).until(() -> !log.of(job.jobId(), PodBound.class).isEmpty());
    assertThat(log.all())
        .filteredOn(
            seen ->
                seen.event() instanceof dev.cotenant.events.JobEvent e
                    && e.jobId().equals(job.jobId())
                    && !(e instanceof JobSubmitted))
        .hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(seen -> assertThat(seen.headers()).containsEntry("traceparent", carried));
  }

  @Test
  void aFourReplicaGangIsBoundWhole() {
    JobSubmitted job = Jobs.share(TENANT, "bert", 4, 600, 6000);
    submit(job);
    List<Pod> pods = awaitBound(job, 4);
    assertThat(pods)
        .extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder(
            job.jobId() + "-0", job.jobId() + "-1", job.jobId() + "-2", job.jobId() + "-3");
    // 600 milli each: no two share a card.
    Set<String> cards =
        pods.stream()
            .map(
                p ->
                    p.getSpec().getNodeName()
                        + "/"
                        + p.getMetadata().getAnnotations().get(Names.GPU_INDEX))
            .collect(Collectors.toSet());
    assertThat(cards).hasSize(4);
    assertThat(pods)
        .allSatisfy(
            p -> assertThat(p.getMetadata().getAnnotations()).containsEntry(Names.REPLICAS, "4"));
    await().atMost(WAIT).until(() -> log.of(job.jobId(), PodBound.class).size() == 4);
  }

  @Test
  void aGangThatDoesNotFitBindsNothingAndIsPlacedOnceCapacityFrees() {
    JobSubmitted blocker =
        Jobs.job(
            TENANT, "blocker", JobSpec.JobKind.BATCH, 1, JobSpec.GpuRequest.whole(1), List.of());
    submit(blocker);
    Pod blocking = awaitBound(blocker, 1).get(0);
    // Two replicas of four whole cards each: every card of both nodes, one of which is taken.
    JobSubmitted gang =
        Jobs.job(
            TENANT, "allreduce", JobSpec.JobKind.BATCH, 2, JobSpec.GpuRequest.whole(4), List.of());
    submit(gang);
    await().atMost(WAIT).until(() -> !log.of(gang.jobId(), JobUnschedulable.class).isEmpty());
    assertThat(pods(gang)).isEmpty();
    await().atMost(WAIT).until(() -> !log.of(gang.jobId(), JobQueued.class).isEmpty());
    assertThat(log.of(gang.jobId(), JobQueued.class).get(0).reason())
        .isEqualTo("waiting for placement");
    assertThat(log.of(gang.jobId(), JobUnschedulable.class).get(0).reasons())
        .anySatisfy(r -> assertThat(r.code()).isEqualTo("InsufficientGpu"));

    finish(blocking, "Succeeded", 0, "Completed");
    List<Pod> pods = awaitBound(gang, 2);
    assertThat(pods)
        .extracting(p -> p.getSpec().getNodeName())
        .containsExactlyInAnyOrderElementsOf(NODES);
    await().atMost(WAIT).until(() -> !log.of(blocker.jobId(), JobSucceeded.class).isEmpty());
  }

  @Test
  void anInteractiveJobGetsAServiceAndItsEndpoint() {
    JobSubmitted job =
        Jobs.job(
            TENANT,
            "jupyter",
            JobSpec.JobKind.INTERACTIVE,
            1,
            JobSpec.GpuRequest.share(200, 2000),
            List.of());
    submit(job);
    Pod pod = awaitBound(job, 1).get(0);
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Always");
    assertThat(pod.getSpec().getContainers().get(0).getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8888));
    String service = "job-" + job.jobId();
    await()
        .atMost(WAIT)
        .until(
            () ->
                PlacementTestResource.kube().services().inNamespace(TENANT).withName(service).get()
                    != null);
    var svc = PlacementTestResource.kube().services().inNamespace(TENANT).withName(service).get();
    assertThat(svc.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(svc.getSpec().getSelector()).containsEntry(Names.JOB_LABEL, job.jobId());
    assertThat(svc.getSpec().getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getPort()).isEqualTo(8888));
    await().atMost(WAIT).until(() -> !log.of(job.jobId(), JobPlaced.class).isEmpty());
    assertThat(log.of(job.jobId(), JobPlaced.class).get(0).endpoints())
        .containsExactly(service + "." + TENANT + ".svc:8888");
  }

  @Test
  void theSameSubmissionTwiceMakesOneSetOfPods() {
    JobSubmitted job = Jobs.share(TENANT, "vgg16", 2, 300, 3000);
    Map<TopicPartition, Long> written = submit(job, job);
    awaitBound(job, 2);
    // The duplicate is consumed (its offset committed): only this job's partition, since a job of
    // another test that waits for capacity holds back the offsets of its own.
    EventTopics.awaitConsumed(PlacementTestResource.kafka(), PlacementTestResource.GROUP, written);
    await().atMost(WAIT).until(() -> log.of(job.jobId(), PodBound.class).size() >= 2);
    assertThat(pods(job)).hasSize(2);
    assertThat(log.of(job.jobId(), PodBound.class).stream().map(PodBound::eventId).distinct())
        .hasSize(2);
  }

  @Test
  void aMalformedSubmissionGoesToTheDeadLetterTopicAndTheNextJobIsPlaced() throws Exception {
    String dlq = Topics.deadLetter(Topics.JOB_SUBMISSIONS, PlacementTestResource.GROUP);
    try (var producer =
        new KafkaProducer<String, byte[]>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, PlacementTestResource.kafka()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      var record =
          new ProducerRecord<String, byte[]>(
              Topics.JOB_SUBMISSIONS, "poison", "{not json".getBytes(StandardCharsets.UTF_8));
      record
          .headers()
          .add("ce_type", "dev.cotenant.job.submitted".getBytes(StandardCharsets.UTF_8));
      producer.send(record).get();
    }
    JobSubmitted next = Jobs.share(TENANT, "resnet50", 1, 100, 1000);
    submit(next);
    awaitBound(next, 1);
    var dead =
        EventTopics.readRaw(
            PlacementTestResource.kafka(),
            dlq,
            r -> "poison".equals(r.key()),
            1,
            WAIT,
            Duration.ZERO);
    assertThat(dead)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
              assertThat(r.headers().lastHeader("cotenant-dlq-error")).isNotNull();
            });
  }

  @Test
  void cancelRemovesThePodsAndSaysSo() {
    JobSubmitted job = Jobs.share(TENANT, "lstm", 2, 250, 2000);
    submit(job);
    awaitBound(job, 2);
    EventTopics.send(PlacementTestResource.kafka(), List.of(Jobs.cancel(job)));
    await().atMost(WAIT).until(() -> pods(job).isEmpty());
    await().atMost(WAIT).until(() -> !log.of(job.jobId(), JobCancelled.class).isEmpty());
  }

  @Test
  void aJobWhosePodsAllSucceedSucceedsAndOneThatFailsFails() {
    JobSubmitted ok = Jobs.share(TENANT, "cnn", 2, 200, 1000);
    JobSubmitted bad = Jobs.share(TENANT, "cnn", 1, 200, 1000);
    submit(ok, bad);
    for (Pod p : awaitBound(ok, 2)) {
      finish(p, "Succeeded", 0, "Completed");
    }
    finish(awaitBound(bad, 1).get(0), "Failed", 1, "Error");
    await().atMost(WAIT).until(() -> !log.of(ok.jobId(), JobSucceeded.class).isEmpty());
    await().atMost(WAIT).until(() -> !log.of(bad.jobId(), JobFailed.class).isEmpty());
    assertThat(log.of(bad.jobId(), JobFailed.class).get(0).reason()).isEqualTo("Error");
    assertThat(log.of(ok.jobId(), JobFailed.class)).isEmpty();
  }

  @Test
  void anOomKilledPodIsPlacedAgainOnACardWithoutItsCoTenant() {
    JobSubmitted hog = Jobs.withPolicy(TENANT, "hog", "binpack", 300, 3000);
    submit(hog);
    Pod hogPod = awaitBound(hog, 1).get(0);
    JobSubmitted victim = Jobs.withPolicy(TENANT, "victim", "binpack", 300, 3000);
    submit(victim);
    Pod first = awaitBound(victim, 1).get(0);
    String hogCard = card(hogPod);
    assertThat(card(first)).as("binpack puts the two on one card").isEqualTo(hogCard);

    finish(first, "Failed", 137, "OOMKilled");
    String retry = victim.jobId() + "-0-retry-1";
    await()
        .atMost(WAIT)
        .until(
            () ->
                pods(victim).stream()
                    .anyMatch(
                        p ->
                            p.getMetadata().getName().equals(retry)
                                && p.getSpec().getNodeName() != null));
    Pod again =
        pods(victim).stream()
            .filter(p -> p.getMetadata().getName().equals(retry))
            .findFirst()
            .orElseThrow();
    assertThat(card(again)).isNotEqualTo(hogCard);
    assertThat(again.getMetadata().getAnnotations()).containsEntry(Names.ATTEMPT, "1");
    assertThat(log.of(victim.jobId(), JobFailed.class)).isEmpty();

    finish(again, "Succeeded", 0, "Completed");
    await().atMost(WAIT).until(() -> !log.of(victim.jobId(), JobSucceeded.class).isEmpty());
    assertThat(log.of(victim.jobId(), JobFailed.class)).isEmpty();
  }

  @Test
  void aReplicaKilledForMemoryMoreOftenThanAllowedFailsItsJob() {
    JobSubmitted job = Jobs.share(TENANT, "leaky", 1, 200, 2000);
    submit(job);
    Pod pod = awaitBound(job, 1).get(0);
    for (int attempt = 1; attempt <= 2; attempt++) {
      finish(pod, "Failed", 137, "OOMKilled");
      String next = job.jobId() + "-0-retry-" + attempt;
      await()
          .atMost(WAIT)
          .until(
              () ->
                  pods(job).stream()
                      .anyMatch(
                          p ->
                              p.getMetadata().getName().equals(next)
                                  && p.getSpec().getNodeName() != null));
      pod =
          pods(job).stream()
              .filter(p -> p.getMetadata().getName().equals(next))
              .findFirst()
              .orElseThrow();
    }
    finish(pod, "Failed", 137, "OOMKilled");
    await().atMost(WAIT).until(() -> !log.of(job.jobId(), JobFailed.class).isEmpty());
    assertThat(log.of(job.jobId(), JobFailed.class).get(0).reason()).isEqualTo("OOMKilled");
    assertThat(pods(job)).hasSize(3);
  }

  static String card(Pod p) {
    return p.getSpec().getNodeName() + "/" + p.getMetadata().getAnnotations().get(Names.GPU_INDEX);
  }

  @Test
  void foreignPodsAndPodGroupsAreBound() {
    KubernetesClient kube = PlacementTestResource.kube();
    kube.pods().inNamespace("kubeflow").resource(foreign("single", null, 1)).create();
    await()
        .atMost(WAIT)
        .until(
            () ->
                kube.pods().inNamespace("kubeflow").withName("single").get().getSpec().getNodeName()
                    != null);
    assertThat(
            kube.pods()
                .inNamespace("kubeflow")
                .withName("single")
                .get()
                .getMetadata()
                .getAnnotations())
        .containsKey(Names.GPU_INDEX);

    kube.pods().inNamespace("kubeflow").resource(foreign("worker-0", "ring", 0)).create();
    kube.pods().inNamespace("kubeflow").resource(foreign("worker-1", "ring", 0)).create();
    // Two of three members: nothing is bound while the group waits for the third.
    await().pollDelay(Duration.ofSeconds(1)).atMost(WAIT).until(() -> true);
    assertThat(
            kube.pods()
                .inNamespace("kubeflow")
                .withLabel(Names.POD_GROUP_LABEL, "ring")
                .list()
                .getItems())
        .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isNull());
    kube.pods().inNamespace("kubeflow").resource(foreign("worker-2", "ring", 0)).create();
    await()
        .atMost(WAIT)
        .until(
            () ->
                kube
                    .pods()
                    .inNamespace("kubeflow")
                    .withLabel(Names.POD_GROUP_LABEL, "ring")
                    .list()
                    .getItems()
                    .stream()
                    .allMatch(p -> p.getSpec().getNodeName() != null));
  }

  /** A pod as Kubeflow or kubectl would create it for the cotenant scheduler. */
  static Pod foreign(String name, String group, int wholeGpus) {
    var builder =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("kubeflow")
            .endMetadata()
            .withNewSpec()
            .withSchedulerName("cotenant")
            .addNewContainer()
            .withName("main")
            .withImage("kubeflow/trainer:1")
            .withNewResources()
            .addToRequests("cpu", new Quantity("500m"))
            .addToRequests("memory", new Quantity("1Gi"))
            .endResources()
            .endContainer()
            .endSpec();
    if (wholeGpus > 0) {
      builder
          .editSpec()
          .editFirstContainer()
          .editResources()
          .addToLimits("nvidia.com/gpu", new Quantity(String.valueOf(wholeGpus)))
          .endResources()
          .endContainer()
          .endSpec();
    }
    if (group != null) {
      builder
          .editMetadata()
          .addToLabels(Names.POD_GROUP_LABEL, group)
          .addToAnnotations(Names.GANG_SIZE, "3")
          .endMetadata();
    }
    return builder.build();
  }

  /** What the kubelet reports when the pod's container ends. */
  static void finish(Pod pod, String phase, int exitCode, String reason) {
    PlacementTestResource.kube()
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .editStatus(
            p -> {
              p.getStatus().setPhase(phase);
              p.getStatus()
                  .setContainerStatuses(
                      List.of(
                          new ContainerStatusBuilder()
                              .withName("main")
                              .withState(
                                  new ContainerStateBuilder()
                                      .withNewTerminated()
                                      .withExitCode(exitCode)
                                      .withReason(reason)
                                      .withStartedAt("2026-12-01T10:00:00Z")
                                      .withFinishedAt("2026-12-01T10:01:00Z")
                                      .endTerminated()
                                      .build())
                              .build()));
              p.getStatus().setStartTime("2026-12-01T10:00:00Z");
              return p;
            });
  }
}
