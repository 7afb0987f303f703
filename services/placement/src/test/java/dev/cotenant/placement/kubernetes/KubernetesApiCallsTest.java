package dev.cotenant.placement.kubernetes;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.cotenant.service.kubernetes.ClusterInformers;
import dev.cotenant.testsupport.ApiCall;
import dev.cotenant.testsupport.KubernetesApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes API calls placement makes are the ones {@code kubernetes-api-calls.txt} declares,
 * no more and no fewer: every path of the classes that talk to the API runs against the embedded
 * API, which records each call as RBAC sees it. deploy/k8s's RBAC test checks the ClusterRole
 * against the same file. Not a @QuarkusTest: the classes only need a client.
 */
class KubernetesApiCallsTest {
  static final Path DECLARED = Path.of("kubernetes-api-calls.txt");

  @Test
  void theCodeMakesExactlyTheDeclaredCalls() throws Exception {
    Set<ApiCall> declared = ApiCall.read(DECLARED);
    try (KubernetesApiServer api = KubernetesApiServer.startEphemeral()) {
      // The server's own client: its calls are recorded like any other's.
      KubernetesClient client = api.client();
      client
          .nodes()
          .resource(
              new io.fabric8.kubernetes.api.model.NodeBuilder()
                  .withNewMetadata()
                  .withName("n1")
                  .endMetadata()
                  .build())
          .create();
      api.resetCalls();

      try (ClusterInformers informers = new ClusterInformers(client)) {
        informers.start(Duration.ofSeconds(30));
        drive(new KubernetesWriter(client, new SimpleMeterRegistry()));
        lead(client);
      }

      assertThat(api.callsOnceSeen(declared))
          .as("calls made (left) against %s (right)", DECLARED)
          .containsExactlyInAnyOrderElementsOf(declared);
    }
  }

  /** Every method of the writer, each also on its conflict path (409). */
  private static void drive(KubernetesWriter writer) {
    writer.ensureNamespace("t1");
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("job-1-0")
            .withNamespace("t1")
            .withLabels(Map.of(Names.JOB_LABEL, "job-1"))
            .withAnnotations(Map.of())
            .endMetadata()
            .withNewSpec()
            .withSchedulerName(Names.SCHEDULER)
            .addNewContainer()
            .withName("main")
            .withImage("busybox")
            .endContainer()
            .endSpec()
            .build();
    writer.createPod(pod);
    writer.createPod(pod); // 409: ours from an earlier delivery
    writer.bind("t1", "job-1-0", "n1");
    writer.bind("t1", "job-1-0", "n1"); // 409: bound there already
    writer.annotate("t1", "job-1-0", Map.of(Names.GPU_INDEX, "0"));
    var service =
        new ServiceBuilder()
            .withNewMetadata()
            .withName("job-1")
            .withNamespace("t1")
            .withLabels(Map.of(Names.JOB_LABEL, "job-1"))
            .endMetadata()
            .withNewSpec()
            .withSelector(Map.of(Names.JOB_LABEL, "job-1"))
            .addNewPort()
            .withPort(8888)
            .endPort()
            .endSpec()
            .build();
    writer.createService(service);
    writer.createService(service); // 409
    writer.recordEvent("t1", "job-1-0", "Unschedulable", "no card has 12 GiB free");
    writer.deleteJob("t1", "job-1");
  }

  /** Acquires the Lease (create, then update), then releases it on close. */
  private static void lead(KubernetesClient client) throws InterruptedException {
    CountDownLatch leading = new CountDownLatch(1);
    Leadership leadership =
        new Leadership(
            client,
            "default",
            "cotenant-placement",
            "replica-a",
            Duration.ofSeconds(10),
            Duration.ofSeconds(8),
            Duration.ofMillis(200),
            leading::countDown,
            () -> {});
    leadership.start();
    assertThat(leading.await(30, TimeUnit.SECONDS)).as("leading").isTrue();
    Thread.sleep(500); // a renewal or two
    leadership.close();
  }

  @Test
  void onlyTheKubernetesPackageCallsTheKubernetesApi() {
    var classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.cotenant.placement");
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.cotenant.placement.kubernetes..")
        .should()
        .callMethodWhere(target(owner(resideInAPackage("io.fabric8.kubernetes.client.."))))
        .because(
            "the calls this test records are those of dev.cotenant.placement.kubernetes; a call"
                + " elsewhere would escape it and kubernetes-api-calls.txt")
        .check(classes);
  }
}
