package dev.cotenant.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fabric8's CRUD dispatcher plus the {@code Binding} API a scheduler uses: {@code POST
 * /api/v1/namespaces/{ns}/pods/{name}/binding} (and the older {@code .../bindings} collection) sets
 * the pod's {@code spec.nodeName} and a {@code PodScheduled} condition. As on a real API server:
 * 201 on success, 404 for an unknown pod, 409 when the pod is already bound.
 *
 * <p>The pod is read and written back through the CRUD store itself (a GET and a PUT, both looked
 * up by key in {@link IndexedCrudDispatcher}), so resource versions advance and watchers see the
 * update like any other.
 */
final class BindingAwareDispatcher extends IndexedCrudDispatcher {
  private static final Pattern POD_BINDING =
      Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/binding/?(\\?.*)?");
  private static final Pattern BINDINGS =
      Pattern.compile("/api/v1/namespaces/([^/]+)/bindings/?(\\?.*)?");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    if (request.method() == HttpMethod.POST) {
      Matcher subresource = POD_BINDING.matcher(request.getPath());
      if (subresource.matches()) {
        return bind(subresource.group(1), subresource.group(2), request.getUtf8Body());
      }
      Matcher collection = BINDINGS.matcher(request.getPath());
      if (collection.matches()) {
        return bind(collection.group(1), null, request.getUtf8Body());
      }
    }
    return super.dispatch(request);
  }

  // One bind at a time: the read-check-write below must not interleave for the same pod.
  private synchronized MockResponse bind(String namespace, String podFromPath, String body) {
    JsonNode binding;
    try {
      binding = JSON.readTree(body);
    } catch (IOException e) {
      return status(400, "BadRequest", "binding body is not JSON: " + e.getMessage());
    }
    String pod =
        podFromPath != null ? podFromPath : binding.path("metadata").path("name").asText("");
    String node = binding.path("target").path("name").asText("");
    if (pod.isEmpty() || node.isEmpty()) {
      return status(400, "BadRequest", "binding needs metadata.name and target.name");
    }
    if (!binding.path("target").path("kind").asText("Node").equals("Node")) {
      return status(400, "BadRequest", "binding target must be a Node");
    }
    String podPath = "/api/v1/namespaces/" + namespace + "/pods/" + pod;
    MockResponse current = handleGet(podPath);
    if (current.code() == 404) {
      return status(404, "NotFound", "pods \"" + pod + "\" not found");
    }
    ObjectNode podJson;
    try {
      podJson = (ObjectNode) JSON.readTree(current.getBody().readUtf8());
    } catch (IOException e) {
      return status(500, "InternalError", "stored pod is not JSON");
    }
    ObjectNode spec = podJson.with("spec");
    String boundTo = spec.path("nodeName").asText("");
    if (!boundTo.isEmpty()) {
      return status(
          409,
          "Conflict",
          "Operation cannot be fulfilled on pods/binding \""
              + pod
              + "\": pod "
              + pod
              + " is already assigned to node \""
              + boundTo
              + "\"");
    }
    spec.put("nodeName", node);
    ObjectNode status = podJson.with("status");
    ArrayNode conditions = status.withArray("conditions");
    for (int i = conditions.size() - 1; i >= 0; i--) {
      if ("PodScheduled".equals(conditions.get(i).path("type").asText())) {
        conditions.remove(i);
      }
    }
    conditions
        .addObject()
        .put("type", "PodScheduled")
        .put("status", "True")
        .put("lastTransitionTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    MockResponse updated = handleUpdate(request(HttpMethod.PUT, podPath, podJson.toString()));
    if (updated.code() >= 300) {
      return updated;
    }
    return status(201, "Success", "");
  }

  private static RecordedRequest request(HttpMethod method, String path, String body) {
    Headers headers = Headers.builder().add("Content-Type", "application/json").build();
    return new RecordedRequest("HTTP/1.1", method, path, headers, new Buffer().writeUtf8(body));
  }

  /** A {@code metav1.Status} body, as the API server answers. */
  private static MockResponse status(int code, String reason, String message) {
    ObjectNode status = JSON.createObjectNode();
    status.put("kind", "Status").put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", code < 300 ? "Success" : "Failure");
    if (!message.isEmpty()) {
      status.put("message", message);
    }
    if (code >= 300) {
      status.put("reason", reason);
    }
    status.put("code", code);
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(status.toString());
  }
}
