package dev.cotenant.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cotenant.events.JobSubmitted;
import dev.cotenant.events.PodBound;
import dev.cotenant.placement.kubernetes.Names;
import dev.cotenant.placement.support.Jobs;
import dev.cotenant.placement.support.PlacementProcess;
import dev.cotenant.sim.cluster.NodeSpec;
import dev.cotenant.testsupport.EventLog;
import dev.cotenant.testsupport.EventTopics;
import dev.cotenant.testsupport.KubernetesApiServer;
import dev.cotenant.testsupport.TestStack;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged service as real processes against a real broker and the embedded API: killed in the
 * middle of a stream and started again, and two replicas of which one places.
 */
class PlacementReplicasIT {
  static final String TENANT = "it";
  static final Duration WAIT = Duration.ofSeconds(90);
  static KubernetesClient kube;
  static EventLog log;
  final List<PlacementProcess> processes = new ArrayList<>();

  @BeforeAll
  static void cluster() {
    TestStack stack = TestStack.get();
    stack.kafka().createCotenantTopics(3);
    kube = stack.kubernetes().client();
    for (int i = 0; i < 12; i++) {
      kube.nodes()
          .resource(
              KubernetesApiServer.toNode(
                  new NodeSpec("it-gpu-" + i, 64_000, 262_144, 8, "A100", 40_960)))
          .create();
    }
    log = new EventLog(stack.kafka().bootstrapServers());
  }

  @AfterAll
  static void closeLog() {
    log.close();
  }

  @AfterEach
  void stopAll() throws Exception {
    for (PlacementProcess p : processes) {
      p.close();
    }
    kube.pods().inNamespace(TENANT).delete();
    await().atMost(WAIT).until(() -> kube.pods().inNamespace(TENANT).list().getItems().isEmpty());
  }

  PlacementProcess start(String identity) throws Exception {
    PlacementProcess p = PlacementProcess.start(identity, Map.of());
    processes.add(p);
    return p;
  }

  static Optional<String> leader() {
    var lease = kube.leases().inNamespace("default").withName("cotenant-placement").get();
    return lease == null || lease.getSpec() == null
        ? Optional.empty()
        : Optional.ofNullable(lease.getSpec().getHolderIdentity());
  }

  static void submit(List<JobSubmitted> jobs) {
    EventTopics.send(TestStack.get().kafka().bootstrapServers(), jobs);
  }

  /** The pods of these jobs only: a job of an earlier test may be placed again, as it should. */
  static List<Pod> podsOf(List<JobSubmitted> jobs) {
    Set<String> ids = jobs.stream().map(JobSubmitted::jobId).collect(Collectors.toSet());
    return kube.pods().inNamespace(TENANT).list().getItems().stream()
        .filter(p -> ids.contains(p.getMetadata().getLabels().get(Names.JOB_LABEL)))
        .toList();
  }

  static List<Pod> podsOf(String jobId) {
    return kube.pods().inNamespace(TENANT).withLabel(Names.JOB_LABEL, jobId).list().getItems();
  }

  @Test
  void killedMidStreamAndStartedAgainEveryJobIsBoundExactlyOnce() throws Exception {
    PlacementProcess first = start("first").awaitReady(WAIT);
    await().atMost(WAIT).until(() -> leader().filter("first"::equals).isPresent());
    List<JobSubmitted> jobs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      jobs.add(Jobs.share(TENANT, "app" + (i % 7), 1 + i % 3, 100, 1000));
    }
    submit(jobs);
    // Kill it while it works through the stream: some jobs bound, some created, some not read.
    await().atMost(WAIT).until(() -> podsOf(jobs).size() >= 60);
    first.kill();
    int before = podsOf(jobs).size();
    PlacementProcess again = start("again").awaitReady(WAIT);
    long expectedPods = jobs.stream().mapToLong(j -> j.spec().replicas().count()).sum();
    try {
      await()
          .atMost(WAIT)
          .until(
              () -> {
                List<Pod> pods = podsOf(jobs);
                return pods.size() == expectedPods
                    && pods.stream().allMatch(p -> p.getSpec().getNodeName() != null);
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      List<Pod> pods = podsOf(jobs);
      System.out.printf("restart: %d of %d pods%n", pods.size(), expectedPods);
      for (JobSubmitted job : jobs) {
        List<Pod> own = podsOf(job.jobId());
        if (own.size() != job.spec().replicas().count()
            || own.stream().anyMatch(p -> p.getSpec().getNodeName() == null)) {
          System.out.println(
              "job "
                  + job.jobId()
                  + " wants "
                  + job.spec().replicas().count()
                  + ": "
                  + own.stream()
                      .map(
                          p ->
                              p.getMetadata().getName()
                                  + "@"
                                  + p.getSpec().getNodeName()
                                  + " "
                                  + p.getMetadata().getAnnotations().get(Names.ASSIGNED_NODE)
                                  + " "
                                  + p.getMetadata().getCreationTimestamp())
                      .toList());
        }
      }
      throw e;
    }
    for (JobSubmitted job : jobs) {
      List<Pod> pods = podsOf(job.jobId());
      assertThat(pods).as(job.jobId()).hasSize(job.spec().replicas().count());
      assertThat(pods.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet()))
          .hasSize(job.spec().replicas().count());
    }
    // Each pod bound once: one PodBound event id per pod, whichever replica sent it.
    await()
        .atMost(WAIT)
        .until(
            () ->
                jobs.stream()
                    .allMatch(
                        j ->
                            log.of(j.jobId(), PodBound.class).stream()
                                    .map(PodBound::pod)
                                    .distinct()
                                    .count()
                                == j.spec().replicas().count()));
    for (JobSubmitted job : jobs) {
      List<PodBound> bound = log.of(job.jobId(), PodBound.class);
      assertThat(bound.stream().map(PodBound::eventId).distinct().count())
          .as("bindings of " + job.jobId())
          .isEqualTo(job.spec().replicas().count());
    }
    System.out.printf(
        "restart: %d of %d pods existed at the kill%n",
        before, jobs.stream().mapToLong(j -> j.spec().replicas().count()).sum());
    assertThat(again.logText()).doesNotContain("Exception in thread");
  }

  @Test
  void twoReplicasOneBindsAndTheOtherTakesOverWhenItStops() throws Exception {
    start("alpha").awaitReady(WAIT);
    start("beta").awaitReady(WAIT);
    await().atMost(WAIT).until(() -> leader().isPresent());
    String active = leader().get();
    JobSubmitted first = Jobs.share(TENANT, "resnet50", 1, 200, 2000);
    submit(List.of(first));
    await().atMost(WAIT).until(() -> !log.of(first.jobId(), PodBound.class).isEmpty());
    assertThat(podsOf(first.jobId())).hasSize(1);

    PlacementProcess leader =
        processes.stream().filter(p -> p.identity().equals(active)).findFirst().orElseThrow();
    long stopped = System.nanoTime();
    leader.stop();
    JobSubmitted next = Jobs.share(TENANT, "resnet50", 1, 200, 2000);
    submit(List.of(next));
    await()
        .atMost(WAIT)
        .until(
            () -> podsOf(next.jobId()).stream().anyMatch(p -> p.getSpec().getNodeName() != null));
    double seconds = (System.nanoTime() - stopped) / 1e9;
    System.out.printf(
        "failover: %s stopped, %s bound the next job %.1f s later%n",
        active, leader().orElse("?"), seconds);
    assertThat(leader()).isPresent().get().isNotEqualTo(active);

    // Killed outright (no lease release): the standby waits out the lease, then takes over.
    PlacementProcess third = start("gamma").awaitReady(WAIT);
    String now = leader().get();
    PlacementProcess current =
        processes.stream().filter(p -> p.identity().equals(now)).findFirst().orElseThrow();
    long killed = System.nanoTime();
    current.kill();
    JobSubmitted last = Jobs.share(TENANT, "resnet50", 1, 200, 2000);
    submit(List.of(last));
    await()
        .atMost(WAIT)
        .until(
            () -> podsOf(last.jobId()).stream().anyMatch(p -> p.getSpec().getNodeName() != null));
    double afterKill = (System.nanoTime() - killed) / 1e9;
    System.out.printf(
        "failover after SIGKILL: %s bound the next job %.1f s later%n",
        third.identity(), afterKill);
    assertThat(leader()).contains("gamma");
  }
}
