package dev.cotenant.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cotenant.sim.cluster.ClusterCsv;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real kubectl against the embedded API, through a kubeconfig as {@code ./cotenant up} writes
 * it. Runs when kubectl is on the PATH (this project's machines have 1.32) and is skipped, saying
 * so, when it is not.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlTest {
  private static final String POD_YAML =
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: demo
        labels:
          app: demo
      spec:
        schedulerName: cotenant
        containers:
        - name: main
          image: ghcr.io/acme/resnet50:1.2
          resources:
            limits:
              nvidia.com/gpu: 1
      """;

  private static Path kubectl;
  private static Path dir;
  private static Path kubeconfig;
  private static KubernetesApiServer server;
  private static KubernetesClient client;

  record Result(int exit, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  @BeforeAll
  static void start() throws Exception {
    Optional<Path> found = onPath("kubectl");
    assumeTrue(found.isPresent(), "kubectl is not on the PATH: the kubectl scenarios are skipped");
    kubectl = found.get();
    server = KubernetesApiServer.startEphemeral();
    client = server.client();
    server.addNodes(ClusterCsv.defaultCluster());
    dir = Files.createTempDirectory("kubectl-test");
    kubeconfig = Kubeconfig.write(dir.resolve("kubeconfig"), server.url());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Order(1)
  void versionAndApiResourcesComeFromDiscovery() throws Exception {
    Result version = kubectl("version", "-o", "json");
    assertThat(version.exit()).as(version.err()).isZero();
    assertThat(version.out()).contains("\"gitVersion\": \"" + Discovery.GIT_VERSION + "\"");

    Result resources = kubectl("api-resources");
    assertThat(resources.exit()).as(resources.err()).isZero();
    assertThat(resources.lines())
        .anyMatch(l -> l.matches("pods\\s+po\\s+v1\\s+true\\s+Pod"))
        .anyMatch(l -> l.matches("nodes\\s+no\\s+v1\\s+false\\s+Node"))
        .anyMatch(l -> l.matches("leases\\s+coordination\\.k8s\\.io/v1\\s+true\\s+Lease"));
    assertThat(resources.err()).isEmpty();
  }

  @Test
  @Order(2)
  void getNodesWideListsTheGpuNodes() throws Exception {
    Result nodes = kubectl("get", "nodes", "-o", "wide");
    assertThat(nodes.exit()).as(nodes.err()).isZero();
    assertThat(nodes.err()).isEmpty(); // no discovery warnings, no fallback notices
    assertThat(nodes.lines().get(0))
        .matches(
            "NAME\\s+STATUS\\s+ROLES\\s+AGE\\s+VERSION\\s+INTERNAL-IP\\s+EXTERNAL-IP\\s+OS-IMAGE"
                + "\\s+KERNEL-VERSION\\s+CONTAINER-RUNTIME\\s*");
    assertThat(nodes.lines())
        .hasSize(3)
        .anyMatch(l -> l.matches("seed001-gpu\\s+Ready\\s+<none>\\s+\\d+s\\s+v1\\.32\\.0.*"))
        .anyMatch(l -> l.startsWith("seed000-worker "));
    Result shortName = kubectl("get", "no", "seed001-gpu");
    assertThat(shortName.lines()).hasSize(2);

    assertThat(kubectl("cordon", "seed000-worker").out().trim())
        .isEqualTo("node/seed000-worker cordoned");
    assertThat(kubectl("get", "node", "seed000-worker").lines().get(1))
        .matches("seed000-worker\\s+Ready,SchedulingDisabled\\s.*");
    assertThat(kubectl("uncordon", "seed000-worker").out().trim())
        .isEqualTo("node/seed000-worker uncordoned");
    assertThat(kubectl("get", "node", "seed000-worker").lines().get(1))
        .matches("seed000-worker\\s+Ready\\s.*");
  }

  @Test
  @Order(3)
  void applyGetDescribeAndDeleteAPod() throws Exception {
    Path yaml = dir.resolve("pod.yaml");
    Files.writeString(yaml, POD_YAML);

    Result applied = kubectl("apply", "-f", yaml.toString());
    assertThat(applied.exit()).as(applied.err()).isZero();
    assertThat(applied.out().trim()).isEqualTo("pod/demo created");
    Result again = kubectl("apply", "-f", yaml.toString());
    assertThat(again.out().trim()).as(again.err()).isEqualTo("pod/demo unchanged");
    // A changed file: kubectl sends a strategic merge patch.
    Files.writeString(yaml, POD_YAML.replace("resnet50:1.2", "resnet50:1.3"));
    Result changed = kubectl("apply", "-f", yaml.toString());
    assertThat(changed.out().trim()).as(changed.err()).isEqualTo("pod/demo configured");
    assertThat(kubectl("get", "pod", "demo", "-o", "jsonpath={.spec.containers[0].image}").out())
        .isEqualTo("ghcr.io/acme/resnet50:1.3");
    assertThat(kubectl("label", "pod", "demo", "tier=gpu").out().trim())
        .isEqualTo("pod/demo labeled");
    assertThat(kubectl("get", "pods", "-l", "tier=gpu", "-o", "name").out().trim())
        .isEqualTo("pod/demo");

    Result pending = kubectl("get", "pods", "-A", "-o", "wide");
    assertThat(pending.exit()).as(pending.err()).isZero();
    assertThat(pending.lines().get(0))
        .matches(
            "NAMESPACE\\s+NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE\\s+IP\\s+NODE"
                + "\\s+NOMINATED NODE\\s+READINESS GATES\\s*");
    assertThat(pending.lines().get(1))
        .matches("default\\s+demo\\s+0/1\\s+Pending\\s+0\\s+\\d+s\\s+<none>\\s+<none>.*");

    // A scheduler binds it and a kubelet reports it running.
    client
        .bindings()
        .inNamespace("default")
        .resource(
            new BindingBuilder()
                .withNewMetadata()
                .withName("demo")
                .endMetadata()
                .withNewTarget()
                .withKind("Node")
                .withName("seed001-gpu")
                .endTarget()
                .build())
        .create();
    Pod bound = client.pods().inNamespace("default").withName("demo").get();
    client
        .pods()
        .inNamespace("default")
        .resource(
            new PodBuilder(bound)
                .editStatus()
                .withPhase("Running")
                .withPodIP("10.0.0.5")
                .addNewContainerStatus()
                .withName("main")
                .withImage("ghcr.io/acme/resnet50:1.2")
                .withReady(true)
                .withRestartCount(0)
                .withNewState()
                .withNewRunning()
                .withStartedAt("2026-01-01T00:00:00Z")
                .endRunning()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build())
        .updateStatus();

    Result running = kubectl("get", "po", "demo", "-o", "wide");
    assertThat(running.lines().get(1))
        .matches("demo\\s+1/1\\s+Running\\s+0\\s+\\d+s\\s+10\\.0\\.0\\.5\\s+seed001-gpu\\s.*");

    Result described = kubectl("describe", "pod", "demo");
    assertThat(described.exit()).as(described.err()).isZero();
    assertThat(described.lines())
        .anyMatch(l -> l.matches("Name:\\s+demo"))
        .anyMatch(l -> l.matches("Node:\\s+seed001-gpu.*"))
        .anyMatch(l -> l.matches("Status:\\s+Running"))
        .anyMatch(l -> l.matches("IP:\\s+10\\.0\\.0\\.5"))
        .anyMatch(l -> l.matches("\\s+nvidia\\.com/gpu:\\s+1"))
        .anyMatch(l -> l.startsWith("Events:"));

    // describe node lists the node's pods by spec.nodeName and status.phase field selectors.
    Result node = kubectl("describe", "node", "seed001-gpu");
    assertThat(node.exit()).as(node.err()).isZero();
    assertThat(node.out()).contains("Non-terminated Pods:", "(1 in total)", "nvidia.com/gpu");
    assertThat(node.lines()).anyMatch(l -> l.matches("\\s+default\\s+demo\\s.*"));

    Result elsewhere = kubectl("get", "pods", "--field-selector", "spec.nodeName=seed000-worker");
    assertThat(elsewhere.err().trim()).isEqualTo("No resources found in default namespace.");

    Result deleted = kubectl("delete", "pod", "demo");
    assertThat(deleted.exit()).as(deleted.err()).isZero();
    assertThat(deleted.out().trim()).isEqualTo("pod \"demo\" deleted");
    assertThat(kubectl("get", "pods").err().trim())
        .isEqualTo("No resources found in default namespace.");
    Result gone = kubectl("get", "pod", "demo");
    assertThat(gone.exit()).isEqualTo(1);
    assertThat(gone.err().trim())
        .isEqualTo("Error from server (NotFound): pods \"demo\" not found");
  }

  @Test
  @Order(4)
  void whatTheEmbeddedApiDoesNotServeFailsWithAReason() throws Exception {
    client
        .pods()
        .inNamespace("default")
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("quiet")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("busybox")
                .endContainer()
                .endSpec()
                .build())
        .create();

    // A plain-HTTP watch: the list is printed, then the watch is refused.
    Result watch = kubectl("get", "pods", "-w", "--request-timeout=10s");
    assertThat(watch.exit()).isNotZero();
    assertThat(watch.out()).contains("quiet");
    assertThat(watch.err()).contains("WebSocket only");

    // A server-side dry run would be carried out by the store: refused instead.
    Result dryRun = kubectl("label", "pod", "quiet", "x=y", "--dry-run=server");
    assertThat(dryRun.exit()).isNotZero();
    assertThat(dryRun.err()).contains("dry-run requests are not supported");
    assertThat(
            java.util.Objects.requireNonNullElse(
                client
                    .pods()
                    .inNamespace("default")
                    .withName("quiet")
                    .get()
                    .getMetadata()
                    .getLabels(),
                java.util.Map.of()))
        .doesNotContainKey("x");

    Result dryDelete = kubectl("delete", "pod", "quiet", "--dry-run=server");
    assertThat(dryDelete.err()).contains("dry-run requests are not supported");
    assertThat(client.pods().inNamespace("default").withName("quiet").get()).isNotNull();

    Result exec = kubectl("exec", "quiet", "--", "ls");
    assertThat(exec.exit()).isNotZero();
    assertThat(exec.err()).contains("NotFound");

    // kubectl create <kind> sends protobuf; apply -f sends JSON and does the same.
    Result create = kubectl("create", "namespace", "team-a");
    assertThat(create.exit()).isNotZero();
    assertThat(create.err()).contains("reads JSON bodies only");
    Path namespace = dir.resolve("ns.yaml");
    Files.writeString(namespace, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n");
    assertThat(kubectl("apply", "-f", namespace.toString()).out().trim())
        .isEqualTo("namespace/team-a created");
    assertThat(kubectl("get", "ns", "team-a").lines().get(1)).matches("team-a\\s+Active\\s.*");

    Result logs = kubectl("logs", "quiet");
    assertThat(logs.exit()).isNotZero();
    assertThat(logs.err()).contains("does not have a host assigned");
  }

  private static Result kubectl(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(kubectl.toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.add("--cache-dir=" + dir.resolve("cache"));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().remove("KUBECONFIG");
    builder.environment().put("HOME", dir.toString()); // nothing of the user's ~/.kube
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kubectl " + String.join(" ", args) + " still runs after 60 s");
    }
    return new Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(File.pathSeparator))
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, name))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
