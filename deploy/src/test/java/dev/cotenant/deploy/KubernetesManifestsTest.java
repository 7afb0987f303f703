package dev.cotenant.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.events.Topics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/k8s read with fabric8's model: every file parses into known fields, each kustomization
 * lists its files, and the Deployments match the services' configuration (probes, port, resources,
 * environment, identities, what they mount). The overlays are rendered with {@code kubectl
 * kustomize} where kubectl is installed; without it those tests are skipped and the base files are
 * checked as they are.
 */
class KubernetesManifestsTest {
  static final String NAMESPACE = "cotenant";

  /** What the cluster provides, not these manifests (deploy/README.md says how). */
  static final Set<String> EXTERNAL_CONFIG_MAPS = Set.of("cotenant-jwt");

  @Test
  void everyManifestParsesWithFabric8IntoKnownFields() throws IOException {
    List<Path> files = Manifests.files();
    assertThat(files).hasSizeGreaterThan(10);
    for (Path file : files) {
      List<HasMetadata> objects = Manifests.parse(file);
      assertThat(objects).as("%s", file).isNotEmpty();
      for (HasMetadata o : objects) {
        String at =
            Manifests.K8S.relativize(file) + " " + o.getKind() + "/" + o.getMetadata().getName();
        assertThat(o.getMetadata().getName()).as(at).isNotBlank();
        assertThat(Manifests.unknownFields(o, o.getKind())).as(at + ": unknown fields").isEmpty();
        if (o instanceof GenericKubernetesResource) {
          // Custom resources: only Strimzi's, which fabric8 cannot check field by field.
          assertThat(o.getApiVersion()).as(at).startsWith("kafka.strimzi.io/");
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/tracing", "strimzi"})
  void eachKustomizationListsEveryFileBesideIt(String dir) throws IOException {
    Path kustomization = Manifests.K8S.resolve(dir).resolve("kustomization.yaml");
    String text = Files.readString(kustomization);
    try (Stream<Path> files = Files.list(kustomization.getParent())) {
      files
          .filter(p -> p.toString().endsWith(".yaml") && !p.equals(kustomization))
          .forEach(
              p ->
                  assertThat(text)
                      .as("%s lists %s", kustomization, p.getFileName())
                      .contains("- " + p.getFileName()));
    }
  }

  @Test
  void theBaseFilesDescribeTheServices() throws IOException {
    checkServices(Manifests.baseFiles(), false);
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/tracing"})
  void renderedOverlaysDescribeTheServices(String dir) throws Exception {
    var kubectl = Manifests.kubectl();
    Assumptions.assumeTrue(
        kubectl.isPresent(),
        "kubectl is not on the PATH: " + dir + " not rendered (base files checked as they are)");
    List<HasMetadata> objects = Manifests.render(kubectl.get(), dir);
    checkServices(objects, true);
    for (HasMetadata o : objects) {
      if (!(o instanceof Namespace) && !isClusterScoped(o)) {
        assertThat(o.getMetadata().getNamespace())
            .as(o.getKind() + "/" + o.getMetadata().getName())
            .isEqualTo(NAMESPACE);
      }
    }
    assertThat(objects)
        .filteredOn(o -> o instanceof Namespace)
        .extracting(o -> o.getMetadata().getName())
        .containsExactly(NAMESPACE);
    ConfigMap config = find(objects, ConfigMap.class, "cotenant-config");
    if (dir.equals("overlays/tracing")) {
      assertThat(config.getData())
          .containsEntry("QUARKUS_OTEL_SDK_DISABLED", "false")
          .containsEntry("COTENANT_TRACING_ZIPKIN_ENDPOINT", "http://zipkin:9411/api/v2/spans");
      Service zipkin = find(objects, Service.class, "zipkin");
      assertThat(zipkin.getSpec().getPorts()).anyMatch(p -> p.getPort() == 9411);
      assertThat(
              find(objects, Deployment.class, "zipkin")
                  .getSpec()
                  .getTemplate()
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .getImage())
          .startsWith("openzipkin/zipkin:");
    } else {
      assertThat(config.getData()).containsEntry("QUARKUS_OTEL_SDK_DISABLED", "true");
    }
  }

  @Test
  void renderedStrimziKafkaHasCotenantsTopics() throws Exception {
    var kubectl = Manifests.kubectl();
    Assumptions.assumeTrue(kubectl.isPresent(), "kubectl is not on the PATH: strimzi not rendered");
    List<HasMetadata> objects = Manifests.render(kubectl.get(), "strimzi");
    List<Object> topics = new ArrayList<>();
    for (HasMetadata o : objects) {
      assertThat(o.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
      if (o.getKind().equals("KafkaTopic")) {
        topics.add(((GenericKubernetesResource) o).get("spec", "topicName"));
      }
    }
    assertThat(topics).containsExactlyInAnyOrderElementsOf(Topics.ALL);
    // The base's default bootstrap address is this cluster's bootstrap Service.
    HasMetadata kafka =
        objects.stream().filter(o -> o.getKind().equals("Kafka")).findFirst().orElseThrow();
    assertThat(find(Manifests.baseFiles(), ConfigMap.class, "cotenant-config").getData())
        .containsEntry(
            "KAFKA_BOOTSTRAP_SERVERS", kafka.getMetadata().getName() + "-kafka-bootstrap:9092");
  }

  @Test
  void nothingIsLeftOfJaegerOrOtlp() throws IOException {
    for (Path f : Manifests.files()) {
      assertThat(Files.readString(f).toLowerCase())
          .as("%s", f)
          .doesNotContain("jaeger")
          .doesNotContain("otlp");
    }
    for (String overlay : List.of("base", "overlays/dev", "overlays/tracing")) {
      Path k = Manifests.K8S.resolve(overlay).resolve("kustomization.yaml");
      assertThat(Files.readString(k).toLowerCase())
          .as("%s", k)
          .doesNotContain("jaeger")
          .doesNotContain("otlp");
    }
  }

  static boolean isClusterScoped(HasMetadata o) {
    return Set.of("ClusterRole", "ClusterRoleBinding", "Namespace").contains(o.getKind());
  }

  static <T extends HasMetadata> T find(List<HasMetadata> objects, Class<T> type, String name) {
    return objects.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }

  static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The four services' Deployments and Services against their application.properties. */
  static void checkServices(List<HasMetadata> objects, boolean rendered) {
    Map<String, ServiceAccount> accounts = new HashMap<>();
    all(objects, ServiceAccount.class).forEach(a -> accounts.put(a.getMetadata().getName(), a));
    Set<String> configMaps = new java.util.HashSet<>(EXTERNAL_CONFIG_MAPS);
    all(objects, ConfigMap.class).forEach(c -> configMaps.add(c.getMetadata().getName()));
    Map<String, Secret> secrets = new HashMap<>();
    all(objects, Secret.class).forEach(s -> secrets.put(s.getMetadata().getName(), s));

    for (String service : Repository.SERVICES) {
      ServiceConfig config = ServiceConfig.of(service);
      Deployment d = find(objects, Deployment.class, service);
      PodSpec pod = d.getSpec().getTemplate().getSpec();
      String at = "Deployment/" + service;
      assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
          .as(at + ": selects its pods")
          .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
      assertThat(pod.getContainers()).as(at).hasSize(1);
      Container c = pod.getContainers().get(0);
      assertThat(c.getImage()).as(at).startsWith("cotenant/" + service + ":");
      Map<String, String> env = new HashMap<>();
      for (EnvVar e : c.getEnv()) {
        env.put(e.getName(), e.getValue());
      }
      for (EnvFromSource from : c.getEnvFrom()) {
        ConfigMap shared = find(objects, ConfigMap.class, from.getConfigMapRef().getName());
        env.putAll(shared.getData());
      }
      ContainerPort http =
          c.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst().orElseThrow();
      assertThat(http.getContainerPort())
          .as(at + ": quarkus.http.port")
          .isEqualTo(config.httpPort(env));
      for (String variable : env.keySet()) {
        assertThat(config.keyOf(variable))
            .as("%s: %s names no key of %s's application.properties", at, variable, service)
            .isPresent();
      }
      checkProbe(at, c.getStartupProbe(), "/q/health/started");
      checkProbe(at, c.getReadinessProbe(), "/q/health/ready");
      checkProbe(at, c.getLivenessProbe(), "/q/health/live");
      assertThat(c.getResources().getRequests()).as(at).containsKeys("cpu", "memory");
      assertThat(c.getResources().getLimits()).as(at).containsKey("memory");
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(at).isFalse();
      assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(at).isTrue();

      ServiceAccount account = accounts.get(pod.getServiceAccountName());
      assertThat(account).as(at + ": its own ServiceAccount").isNotNull();
      assertThat(pod.getServiceAccountName()).isEqualTo(service);
      boolean token =
          !Boolean.FALSE.equals(pod.getAutomountServiceAccountToken())
              && !(pod.getAutomountServiceAccountToken() == null
                  && Boolean.FALSE.equals(account.getAutomountServiceAccountToken()));
      assertThat(token)
          .as(at + ": a token only where it calls the Kubernetes API")
          .isEqualTo(config.usesKubernetes());

      for (Volume v : pod.getVolumes()) {
        if (v.getConfigMap() != null) {
          assertThat(configMaps)
              .as(at + ": volume " + v.getName())
              .contains(v.getConfigMap().getName());
        }
      }
      for (EnvVar e : c.getEnv()) {
        if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
          var ref = e.getValueFrom().getSecretKeyRef();
          Secret secret = secrets.get(ref.getName());
          assertThat(secret).as(at + ": secret " + ref.getName()).isNotNull();
          assertThat(secret.getStringData()).as(at).containsKey(ref.getKey());
        }
      }
      if (config.hasDatabase()) {
        assertThat(env.get("QUARKUS_DATASOURCE_REACTIVE_URL"))
            .as(at)
            .isEqualTo("postgresql://cotenant-postgres:5432/" + service.replace('-', '_'));
      }
      if (config.verifiesTokens()) {
        assertThat(env)
            .as(at)
            .containsEntry("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "/keys/jwt-public.pem");
        assertThat(c.getVolumeMounts()).as(at).anyMatch(m -> m.getMountPath().equals("/keys"));
      }

      Service s = find(objects, Service.class, service);
      assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
          .as("Service/" + service + " selects its pods")
          .containsAllEntriesOf(s.getSpec().getSelector());
      assertThat(s.getSpec().getPorts())
          .as("Service/" + service)
          .allMatch(p -> "http".equals(p.getTargetPort().getStrVal()));
    }

    assertThat(all(objects, NetworkPolicy.class))
        .extracting(p -> p.getMetadata().getName())
        .as("a default deny of ingress")
        .contains(
            all(objects, NetworkPolicy.class).stream()
                .filter(KubernetesManifestsTest::deniesAllIngress)
                .map(p -> p.getMetadata().getName())
                .findFirst()
                .orElse("(none: every pod, policy type Ingress, no rule)"));
    if (rendered) {
      assertThat(all(objects, Namespace.class)).hasSize(1);
    }
  }

  static boolean deniesAllIngress(NetworkPolicy p) {
    var selector = p.getSpec().getPodSelector();
    return (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
        && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty())
        && p.getSpec().getPolicyTypes().contains("Ingress")
        && (p.getSpec().getIngress() == null || p.getSpec().getIngress().isEmpty());
  }

  static void checkProbe(String at, Probe probe, String path) {
    assertThat(probe).as(at + ": probe " + path).isNotNull();
    assertThat(probe.getHttpGet().getPath()).as(at).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getStrVal()).as(at).isEqualTo("http");
  }
}
