package dev.cotenant.monitor.kubernetes;

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
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes API calls the monitor makes are the ones {@code kubernetes-api-calls.txt}
 * declares, no more and no fewer: the informers and the exporter discovery (with and without a
 * namespace) run against the embedded API, which records each call as RBAC sees it. deploy/k8s's
 * RBAC test checks the ClusterRole against the same file.
 */
class KubernetesApiCallsTest {
  static final Path DECLARED = Path.of("kubernetes-api-calls.txt");

  @Test
  void theCodeMakesExactlyTheDeclaredCalls() throws Exception {
    Set<ApiCall> declared = ApiCall.read(DECLARED);
    try (KubernetesApiServer api = KubernetesApiServer.startEphemeral()) {
      // The server's own client: its calls are recorded like any other's.
      KubernetesClient client = api.client();
      try (ClusterInformers informers = new ClusterInformers(client)) {
        informers.start(Duration.ofSeconds(30));
        new ExporterDiscovery(client, ExporterDiscoveryTest.config(Optional.of("gpu-operator")))
            .find();
        new ExporterDiscovery(client, ExporterDiscoveryTest.config(Optional.empty())).find();
      }

      assertThat(api.callsOnceSeen(declared))
          .as("calls made (left) against %s (right)", DECLARED)
          .containsExactlyInAnyOrderElementsOf(declared);
    }
  }

  @Test
  void onlyTheKubernetesPackageCallsTheKubernetesApi() {
    var classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.cotenant.monitor");
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.cotenant.monitor.kubernetes..")
        .should()
        .callMethodWhere(target(owner(resideInAPackage("io.fabric8.kubernetes.client.."))))
        .because(
            "the calls this test records are those of dev.cotenant.monitor.kubernetes; a call"
                + " elsewhere would escape it and kubernetes-api-calls.txt")
        .check(classes);
  }
}
