package dev.cotenant.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.Test;

/** Strategic merge patches as kubectl sends them, applied as kube-apiserver applies them. */
class StrategicMergeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String POD =
      "{'metadata':{'name':'p','labels':{'app':'web','x':'1'},'finalizers':['a']},"
          + "'spec':{'containers':[{'name':'main','image':'img:1','env':[{'name':'A','value':'1'}],"
          + "'ports':[{'containerPort':80},{'containerPort':81}]},{'name':'side','image':'s:1'}],"
          + "'tolerations':[{'key':'k1'}]},'status':{'conditions':["
          + "{'type':'Ready','status':'False'},{'type':'PodScheduled','status':'True'}]}}";

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  private static JsonNode apply(String patch) throws Exception {
    return StrategicMerge.apply(json(POD), json(patch));
  }

  @Test
  void aContainerMergesByNameKeepingWhatThePatchDoesNotName() throws Exception {
    // kubectl apply's patch after the image changed in the file.
    JsonNode pod =
        apply(
            "{'spec':{'$setElementOrder/containers':[{'name':'main'},{'name':'side'}],"
                + "'containers':[{'name':'main','image':'img:2'}]}}");
    JsonNode main = pod.path("spec").path("containers").get(0);
    assertThat(main.path("image").asText()).isEqualTo("img:2");
    assertThat(main.path("env").get(0).path("value").asText()).isEqualTo("1");
    assertThat(main.path("ports")).hasSize(2);
    assertThat(pod.path("spec").path("containers").get(1).path("name").asText()).isEqualTo("side");
    assertThat(pod.toString()).doesNotContain("$setElementOrder");
  }

  @Test
  void directivesDeleteReplaceAndRetain() throws Exception {
    JsonNode pod =
        apply(
            "{'metadata':{'labels':{'x':null,'tier':'gpu'},"
                + "'$deleteFromPrimitiveList/finalizers':['a'],'finalizers':['b']},"
                + "'spec':{'containers':[{'name':'side','$patch':'delete'},"
                + "{'name':'main','ports':[{'containerPort':82}],"
                + "'env':[{'$patch':'replace'},{'name':'B','value':'2'}]}],"
                + "'tolerations':[{'key':'k2'}]},"
                + "'status':{'conditions':[{'type':'Ready','status':'True'}]}}");
    assertThat(pod.path("metadata").path("labels").toString())
        .isEqualTo("{\"app\":\"web\",\"tier\":\"gpu\"}");
    assertThat(pod.path("metadata").path("finalizers").toString()).isEqualTo("[\"b\"]");
    JsonNode containers = pod.path("spec").path("containers");
    assertThat(containers).hasSize(1);
    assertThat(containers.get(0).path("ports")).hasSize(3); // merged on containerPort
    assertThat(containers.get(0).path("env").toString())
        .isEqualTo("[{\"name\":\"B\",\"value\":\"2\"}]");
    // tolerations have no merge key: replaced.
    assertThat(pod.path("spec").path("tolerations").toString()).isEqualTo("[{\"key\":\"k2\"}]");
    JsonNode conditions = pod.path("status").path("conditions");
    assertThat(conditions).hasSize(2);
    assertThat(conditions.get(0).path("status").asText()).isEqualTo("True");

    JsonNode retained = apply("{'spec':{'$retainKeys':['containers'],'containers':[]}}");
    assertThat(retained.path("spec").has("tolerations")).isFalse();
    JsonNode replaced = apply("{'metadata':{'labels':{'$patch':'replace','only':'this'}}}");
    assertThat(replaced.path("metadata").path("labels").toString())
        .isEqualTo("{\"only\":\"this\"}");
  }

  @Test
  void aJsonMergePatchReplacesListsAndRemovesNulls() throws Exception {
    JsonNode pod =
        StrategicMerge.mergePatch(
            json(POD),
            json("{'metadata':{'labels':{'x':null}},'spec':{'tolerations':[{'key':'k3'}]}}"));
    assertThat(pod.path("metadata").path("labels").toString()).isEqualTo("{\"app\":\"web\"}");
    assertThat(pod.path("spec").path("tolerations").toString()).isEqualTo("[{\"key\":\"k3\"}]");
    assertThat(pod.path("spec").path("containers")).hasSize(2);
  }

  @Test
  void theServerAppliesJsonMergePatchesAsRfc7386Does() {
    try (KubernetesApiServer server = KubernetesApiServer.startEphemeral()) {
      var nodes = server.client().nodes();
      nodes
          .resource(
              new io.fabric8.kubernetes.api.model.NodeBuilder()
                  .withNewMetadata()
                  .withName("n")
                  .addToLabels("gone", "soon")
                  .endMetadata()
                  .build())
          .create();
      String patch =
          "{\"metadata\":{\"labels\":{\"gone\":null}},\"spec\":{\"podCIDRs\":[\"10.0.0.0/24\"]}}";
      nodes.withName("n").patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      var node = nodes.withName("n").patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      // The store alone would now hold the CIDR twice and a null label.
      assertThat(node.getSpec().getPodCIDRs()).containsExactly("10.0.0.0/24");
      assertThat(node.getMetadata().getLabels()).doesNotContainKey("gone");
    }
  }

  @Test
  void theServerAcceptsStrategicMergePatches() {
    try (KubernetesApiServer server = KubernetesApiServer.startEphemeral()) {
      KubernetesClient client = server.client();
      var pods = client.pods().inNamespace("s");
      pods.resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName("p")
                  .addToLabels("app", "web")
                  .endMetadata()
                  .withNewSpec()
                  .addNewContainer()
                  .withName("main")
                  .withImage("img:1")
                  .addNewEnv()
                  .withName("A")
                  .withValue("1")
                  .endEnv()
                  .endContainer()
                  .endSpec()
                  .build())
          .create();
      Pod patched =
          pods.withName("p")
              .patch(
                  PatchContext.of(PatchType.STRATEGIC_MERGE),
                  "{\"metadata\":{\"labels\":{\"tier\":\"gpu\"}},"
                      + "\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"img:2\"}]}}");
      assertThat(patched.getMetadata().getLabels())
          .containsEntry("app", "web")
          .containsEntry("tier", "gpu");
      assertThat(patched.getSpec().getContainers().get(0).getImage()).isEqualTo("img:2");
      assertThat(patched.getSpec().getContainers().get(0).getEnv()).hasSize(1);
      assertThat(pods.withName("p").get().getSpec().getContainers().get(0).getImage())
          .isEqualTo("img:2");
    }
  }
}
