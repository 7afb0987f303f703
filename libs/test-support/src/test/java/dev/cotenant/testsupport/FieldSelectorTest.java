package dev.cotenant.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Field selectors as kubelets ({@code spec.nodeName=<node>}), schedulers ({@code spec.nodeName=},
 * {@code status.phase!=Succeeded,status.phase!=Failed}) and kubectl use them: lists, watches,
 * informers and collection deletes see only the matching objects.
 */
class FieldSelectorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static KubernetesApiServer server;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    server = KubernetesApiServer.startEphemeral();
    client = server.client();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void parsesTheApiServersSyntax() throws Exception {
    FieldSelector selector =
        FieldSelector.parse(
            "spec.nodeName==n\\,1, status.phase!=Failed,spec.schedulerName=", "pods");
    assertThat(selector.terms())
        .containsExactly(
            new FieldSelector.Term("spec.nodeName", "n,1", true),
            new FieldSelector.Term("status.phase", "Failed", false),
            new FieldSelector.Term("spec.schedulerName", "", true));
    assertThat(FieldSelector.parse("", "pods").isEmpty()).isTrue();
    assertThat(FieldSelector.parse("metadata.name=x,metadata.namespace=y", "pods").storeEvaluates())
        .isTrue();
    assertThat(FieldSelector.parse("metadata.name!=x", "pods").storeEvaluates()).isFalse();
    assertThat(FieldSelector.parse("spec.nodeName=x", "pods").storeEvaluates()).isFalse();
    assertThatThrownBy(() -> FieldSelector.parse("spec.nodeName", "pods"))
        .isInstanceOf(FieldSelector.Invalid.class);
    assertThatThrownBy(() -> FieldSelector.parse("spec.nodeName=x", "configmaps"))
        .hasMessage("field label not supported: spec.nodeName");
    assertThat(
            FieldSelector.parse("spec.unschedulable=false", "nodes").matches(JSON.readTree("{}")))
        .isTrue();
  }

  @Test
  void listsReturnOnlyTheMatchingPods() {
    create("fl-a", "on-n1", "n1", "Running");
    create("fl-b", "on-n1", "n1", "Succeeded");
    create("fl-b", "on-n2", "n2", "Running");
    create("fl-b", "unbound", null, null);

    assertThat(
            names(
                client.pods().inAnyNamespace().withField("spec.nodeName", "n1").list().getItems()))
        .containsExactlyInAnyOrder("fl-a/on-n1", "fl-b/on-n1");
    assertThat(
            names(
                client
                    .pods()
                    .inNamespace("fl-b")
                    .withField("spec.nodeName", "n1")
                    .list()
                    .getItems()))
        .containsExactly("fl-b/on-n1");
    // What a scheduler lists: pods no node has yet.
    assertThat(
            names(
                client.pods().inNamespace("fl-b").withField("spec.nodeName", "").list().getItems()))
        .containsExactly("fl-b/unbound");
    // What kubectl describe node lists: the node's pods that are not finished.
    assertThat(
            names(
                client
                    .pods()
                    .inAnyNamespace()
                    .withField("spec.nodeName", "n1")
                    .withoutField("status.phase", "Succeeded")
                    .withoutField("status.phase", "Failed")
                    .list()
                    .getItems()))
        .containsExactly("fl-a/on-n1");
    assertThat(
            names(
                client
                    .pods()
                    .inAnyNamespace()
                    .withField("metadata.namespace", "fl-b")
                    .withField("metadata.name", "on-n2")
                    .list()
                    .getItems()))
        .containsExactly("fl-b/on-n2");
    // Label selectors still apply, together with the field selector.
    assertThat(
            client
                .pods()
                .inAnyNamespace()
                .withLabel("app", "other")
                .withField("spec.nodeName", "n1")
                .list()
                .getItems())
        .isEmpty();

    KubernetesClientException unsupported =
        catchThrowableOfType(
            () -> client.pods().inAnyNamespace().withField("spec.image", "x").list(),
            KubernetesClientException.class);
    assertThat(unsupported.getCode()).isEqualTo(400);
    assertThat(unsupported.getMessage()).contains("field label not supported: spec.image");
  }

  @Test
  void aWatchSeesPodsEnterAndLeaveTheSelection() throws Exception {
    create("fw", "a", "n1", "Running");
    create("fw", "b", "n2", "Running");
    create("fw", "c", null, null);
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    try (Watch watch =
        client.pods().inNamespace("fw").withField("spec.nodeName", "n1").watch(recorder(events))) {
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED a n1");

      // Binding moves c into the selection: a kubelet sees it ADDED, not MODIFIED.
      client
          .bindings()
          .inNamespace("fw")
          .resource(
              new BindingBuilder()
                  .withNewMetadata()
                  .withName("c")
                  .endMetadata()
                  .withNewTarget()
                  .withKind("Node")
                  .withName("n1")
                  .endTarget()
                  .build())
          .create();
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED c n1");

      // Changes to b (another node) come first; they must not show up before a's.
      client.pods().inNamespace("fw").withName("b").edit(p -> label(p, "touched"));
      client.pods().inNamespace("fw").withName("a").edit(p -> label(p, "touched"));
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("MODIFIED a n1");
      client.pods().inNamespace("fw").withName("b").delete();
      client.pods().inNamespace("fw").withName("a").delete();
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("DELETED a n1");
      assertThat(events.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }
  }

  @Test
  void aPodThatStopsMatchingIsDeletedFromTheWatchWithItsLastMatchingState() throws Exception {
    create("fp", "d", "n1", "Running");
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    List<Pod> objects = new ArrayList<>();
    Watcher<Pod> recorder = recorder(events, objects);
    try (Watch watch =
        client
            .pods()
            .inNamespace("fp")
            .withoutField("status.phase", "Succeeded")
            .withoutField("status.phase", "Failed")
            .watch(recorder)) {
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED d n1");
      Pod running = client.pods().inNamespace("fp").withName("d").get();
      Pod finished =
          client
              .pods()
              .inNamespace("fp")
              .resource(
                  new PodBuilder(running).editStatus().withPhase("Succeeded").endStatus().build())
              .updateStatus();
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("DELETED d n1");
      Pod gone;
      synchronized (objects) {
        gone = objects.get(objects.size() - 1);
      }
      assertThat(gone.getStatus().getPhase()).isEqualTo("Running");
      assertThat(gone.getMetadata().getResourceVersion())
          .isEqualTo(finished.getMetadata().getResourceVersion());
      create("fp", "e", "n2", "Pending");
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED e n2");
    }
  }

  @Test
  void aWatchOfOneNameOrAllButOneName() throws Exception {
    create("fn", "one", "n1", "Running");
    create("fn", "two", "n1", "Running");
    BlockingQueue<String> named = new LinkedBlockingQueue<>();
    BlockingQueue<String> others = new LinkedBlockingQueue<>();
    try (Watch byName = client.pods().inNamespace("fn").withName("two").watch(recorder(named));
        Watch allBut =
            client
                .pods()
                .inNamespace("fn")
                .withoutField("metadata.name", "two")
                .watch(recorder(others))) {
      assertThat(named.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED two n1");
      assertThat(others.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED one n1");
      client.pods().inNamespace("fn").withName("one").delete();
      client.pods().inNamespace("fn").withName("two").delete();
      assertThat(named.poll(10, TimeUnit.SECONDS)).isEqualTo("DELETED two n1");
      assertThat(others.poll(10, TimeUnit.SECONDS)).isEqualTo("DELETED one n1");
      assertThat(named.poll(300, TimeUnit.MILLISECONDS)).isNull();
      assertThat(others.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }
  }

  @Test
  void anInformerOnANodeHoldsOnlyThatNodesPods() {
    create("fi", "mine", "n7", "Running");
    create("fi", "other", "n8", "Running");
    create("fi", "later", null, null);
    try (SharedIndexInformer<Pod> informer =
        client.pods().inAnyNamespace().withField("spec.nodeName", "n7").inform()) {
      until(informer::hasSynced);
      assertThat(names(informer.getStore().list())).containsExactly("fi/mine");
      client
          .bindings()
          .inNamespace("fi")
          .resource(
              new BindingBuilder()
                  .withNewMetadata()
                  .withName("later")
                  .endMetadata()
                  .withNewTarget()
                  .withKind("Node")
                  .withName("n7")
                  .endTarget()
                  .build())
          .create();
      until(() -> informer.getStore().list().size() == 2);
      assertThat(names(informer.getStore().list()))
          .containsExactlyInAnyOrder("fi/mine", "fi/later");
    }
  }

  @Test
  void aCollectionDeleteWithAFieldSelectorDeletesOnlyTheMatches() {
    create("fd", "x", "n1", "Running");
    create("fd", "y", "n2", "Running");
    create("fd", "z", "n2", "Running");
    client.pods().inNamespace("fd").withField("spec.nodeName", "n2").delete();
    assertThat(names(client.pods().inNamespace("fd").list().getItems())).containsExactly("fd/x");
  }

  private static void create(String namespace, String name, String node, String phase) {
    PodBuilder pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels("app", "web")
            .endMetadata()
            .withNewSpec()
            .withNodeName(node)
            .addNewContainer()
            .withName("main")
            .withImage("busybox")
            .endContainer()
            .endSpec();
    if (phase != null) {
      pod.withNewStatus().withPhase(phase).endStatus();
    }
    client.pods().inNamespace(namespace).resource(pod.build()).create();
  }

  private static void until(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static Pod label(Pod pod, String value) {
    return new PodBuilder(pod).editMetadata().addToLabels("touched", value).endMetadata().build();
  }

  private static List<String> names(List<? extends HasMetadata> objects) {
    return objects.stream()
        .map(o -> o.getMetadata().getNamespace() + "/" + o.getMetadata().getName())
        .toList();
  }

  private static Watcher<Pod> recorder(BlockingQueue<String> events) {
    return recorder(events, new ArrayList<>());
  }

  private static Watcher<Pod> recorder(BlockingQueue<String> events, List<Pod> objects) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        synchronized (objects) {
          objects.add(pod);
        }
        events.add(action + " " + pod.getMetadata().getName() + " " + pod.getSpec().getNodeName());
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }
}
