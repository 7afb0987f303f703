package dev.cotenant.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What stands between clients such as kubectl and the CRUD store ({@link BindingAwareDispatcher}):
 * the parts of an API server that fabric8's mock leaves out, everything else passed through.
 *
 * <ul>
 *   <li>Discovery ({@link Discovery}): {@code /version}, {@code /api}, {@code /api/v1}, {@code
 *       /apis}, {@code /apis/<group>[/<version>]}, plain documents whatever the Accept header asks
 *       for, so client-go's aggregated-discovery request falls back to them as with any server that
 *       does not aggregate. The store would answer these paths with every object it holds.
 *   <li>Field selectors on lists, watches and collection deletes, evaluated on the stored JSON
 *       ({@link FieldSelector}); the store itself only knows {@code metadata.name/namespace}.
 *   <li>Server-side printing ({@link ServerTables}) for {@code Accept: …;as=Table;…}.
 *   <li>Strategic merge patches ({@link StrategicMerge}), which the store refuses (415), and JSON
 *       merge patches as RFC 7386 has them (the store appends to lists).
 *   <li>Answers a real server gives where the store would give a wrong one: 404 for paths it does
 *       not serve (the store matches an unparseable path against every object, and would delete
 *       them all), a {@code Status} body on bodiless errors, {@code Content-Type} on JSON, 405 for
 *       a watch over plain HTTP (the store streams watches only over WebSocket), 400 for a dry run
 *       (the store would carry it out), and a {@code Status} for {@code pods/log} (no kubelet keeps
 *       logs here).
 * </ul>
 */
final class ApiFrontDispatcher extends Dispatcher {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PLURAL = KubernetesAttributesExtractor.PLURAL;
  private static final String NAME = KubernetesAttributesExtractor.NAME;
  private static final String API = KubernetesAttributesExtractor.API;
  private static final String VERSION = KubernetesAttributesExtractor.VERSION;
  private static final Pattern POD_LOG =
      Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/log/?");

  /** How the store (and {@link #selectList}) begin a list. */
  private static final String LIST_PREFIX = "{\"apiVersion\":\"v1\",\"kind\":\"List\",";

  private final Dispatcher store;
  private final String address;
  private final KubernetesAttributesExtractor paths = new KubernetesAttributesExtractor();
  private final Clock clock;

  /**
   * @param address the host:port clients reach this server at, for discovery's
   *     serverAddressByClientCIDRs when a request has no Host header (HTTP/2 has none)
   */
  ApiFrontDispatcher(Dispatcher store, String address) {
    this(store, address, Clock.systemUTC());
  }

  ApiFrontDispatcher(Dispatcher store, String address, Clock clock) {
    this.store = store;
    this.address = address;
    this.clock = clock;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    MockResponse response = answer(request);
    if (response.getWebSocketListener() == null) {
      completeErrorBody(response, request);
      Buffer body = response.getBody();
      if (body != null && body.size() > 0 && response.getHeaders().get("Content-Type") == null) {
        byte first = body.getBytes()[0];
        if (first == '{' || first == '[') {
          response.setHeader("Content-Type", "application/json");
        }
      }
    }
    return response;
  }

  @Override
  public void shutdown() {
    store.shutdown();
  }

  private MockResponse answer(RecordedRequest request) {
    String target = request.getPath();
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    Map<String, String> query = query(q < 0 ? "" : target.substring(q + 1));
    HttpMethod method = request.method();
    boolean apiPath = path.startsWith("/api/") || path.startsWith("/apis/");

    if (method == HttpMethod.GET) {
      Optional<String> document = Discovery.document(path, host(request));
      if (document.isPresent()) {
        return json(200, document.get());
      }
      Optional<String> openApi = Discovery.openApi(path);
      if (openApi.isPresent()) {
        return json(200, openApi.get());
      }
      if (path.equals("/healthz") || path.equals("/livez") || path.equals("/readyz")) {
        return new MockResponse()
            .setResponseCode(200)
            .setHeader("Content-Type", "text/plain")
            .setBody("ok");
      }
      if (!apiPath) {
        return status(404, "NotFound", "the server could not find the requested resource");
      }
      Matcher log = POD_LOG.matcher(path);
      if (log.matches()) {
        return podLog(log.group(1), log.group(2));
      }
      if (Discovery.looksLikeDiscovery(path)) {
        // A group version this server does not list; fabric8 serves those of stored CRDs.
        MockResponse stored = store.dispatch(request);
        JsonNode list = read(stored);
        return "APIResourceList".equals(list.path("kind").asText())
                && !list.path("resources").isEmpty()
            ? stored
            : status(404, "NotFound", "the server could not find the requested resource");
      }
    }

    Map<String, String> parts = apiPath ? paths.fromKubernetesPath(path) : Map.of();
    // Paths the store cannot parse (pods/x/exec, …/eviction) it would match against every object;
    // a POST to pods/x/binding is the one it serves.
    if (!parts.containsKey(PLURAL)
        && !(method == HttpMethod.POST && apiPath && path.endsWith("/binding"))) {
      return status(404, "NotFound", "the server could not find the requested resource");
    }
    if (method != HttpMethod.GET && (query.containsKey("dryRun") || dryRunInBody(request))) {
      // The store would carry the change out (kubectl diff, apply --dry-run=server).
      return status(400, "BadRequest", "dry-run requests are not supported by the embedded API");
    }
    String contentType = request.getHeader("Content-Type");
    if (contentType != null && contentType.startsWith("application/vnd.kubernetes.protobuf")) {
      // kubectl create <kind> and run send typed objects as protobuf; the store reads JSON only
      // and, failing on the bytes, would leave the request unanswered.
      return status(
          415,
          "UnsupportedMediaType",
          "the embedded Kubernetes API reads JSON bodies only, not " + contentType);
    }
    if (method == HttpMethod.PATCH && contentType != null) {
      if (contentType.startsWith("application/strategic-merge-patch+json")) {
        return patch(request, target, path, StrategicMerge::apply);
      }
      if (contentType.startsWith("application/merge-patch+json")) {
        return patch(request, target, path, StrategicMerge::mergePatch);
      }
    }
    if (method != HttpMethod.GET && method != HttpMethod.DELETE) {
      return store.dispatch(request);
    }

    String plural = parts.get(PLURAL);
    boolean collection = !parts.containsKey(NAME);
    FieldSelector selector;
    try {
      selector = FieldSelector.parse(query.get("fieldSelector"), plural);
    } catch (FieldSelector.Invalid e) {
      return status(400, "BadRequest", e.getMessage());
    }
    if (selector.storeEvaluates()) {
      selector = FieldSelector.none(); // left in the query, for the store
    }
    RecordedRequest unselected =
        selector.isEmpty() || !collection
            ? request
            : copy(request, method, without(target, "fieldSelector"));

    if (method == HttpMethod.DELETE) {
      return selector.isEmpty() || !collection
          ? store.dispatch(request)
          : deleteSelected(unselected, parts, selector);
    }

    if ("true".equals(query.get("watch")) || "1".equals(query.get("watch"))) {
      if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
        return status(
            405,
            "MethodNotAllowed",
            "the embedded Kubernetes API streams watches over WebSocket only (as fabric8 clients"
                + " watch); a plain HTTP watch (kubectl get -w, client-go informers) is not served");
      }
      MockResponse response = store.dispatch(unselected);
      if (unselected != request && response.getWebSocketListener() != null) {
        response.withWebSocketUpgrade(
            new SelectingWatch(response.getWebSocketListener(), selector));
      }
      return response;
    }

    MockResponse response =
        typedList(
            unselected == request ? store.dispatch(request) : selectList(unselected, selector),
            parts);
    String accept = request.getHeader("Accept");
    if (accept != null && accept.contains("as=Table") && response.code() == 200) {
      JsonNode body = read(response);
      if (body.isObject()) {
        String resource = parts.containsKey(API) ? plural + "." + parts.get(API) : plural;
        return json(200, ServerTables.table(resource, body, clock.instant()));
      }
    }
    return response;
  }

  /**
   * The store's list is {@code "kind":"List"}; an API server names it after its items ({@code
   * PodList}, with the group version), and client-go's typed clients decode nothing else (kubectl
   * describe node counted no pods on any node). A prefix rewrite: lists can be large.
   */
  private static MockResponse typedList(MockResponse response, Map<String, String> parts) {
    Buffer body = response.getBody();
    if (response.code() != 200 || body == null || body.size() < LIST_PREFIX.length()) {
      return response;
    }
    String groupVersion =
        parts.containsKey(API) ? parts.get(API) + "/" + parts.get(VERSION) : parts.get(VERSION);
    Optional<Discovery.Resource> resource = Discovery.resource(groupVersion, parts.get(PLURAL));
    String text = body.readUtf8();
    if (resource.isEmpty() || !text.startsWith(LIST_PREFIX)) {
      return response.setBody(text);
    }
    return response.setBody(
        "{\"apiVersion\":\""
            + groupVersion
            + "\",\"kind\":\""
            + resource.get().kind()
            + "List\","
            + text.substring(LIST_PREFIX.length()));
  }

  /** The store's list (without the field selector) reduced to the objects the selector admits. */
  private MockResponse selectList(RecordedRequest unselected, FieldSelector selector) {
    MockResponse response = store.dispatch(unselected);
    JsonNode list = read(response);
    if (response.code() != 200 || !list.has("items")) {
      return response;
    }
    ArrayNode kept = JSON.createArrayNode();
    list.path("items")
        .forEach(
            item -> {
              if (selector.matches(item)) {
                kept.add(item);
              }
            });
    ((ObjectNode) list).set("items", kept);
    return json(200, list.toString());
  }

  /** {@code DELETE} of a collection with a field selector: each selected object by its path. */
  private MockResponse deleteSelected(
      RecordedRequest unselected, Map<String, String> parts, FieldSelector selector) {
    MockResponse listed =
        selectList(copy(unselected, HttpMethod.GET, unselected.getPath()), selector);
    JsonNode list = read(listed);
    if (listed.code() != 200) {
      return listed;
    }
    String base =
        parts.containsKey(API)
            ? "/apis/" + parts.get(API) + "/" + parts.get(VERSION)
            : "/api/" + parts.get(VERSION);
    ArrayNode deleted = JSON.createArrayNode();
    for (JsonNode item : list.path("items")) {
      String namespace = item.path("metadata").path("namespace").asText("");
      String itemPath =
          base
              + (namespace.isEmpty() ? "" : "/namespaces/" + namespace)
              + "/"
              + parts.get(PLURAL)
              + "/"
              + item.path("metadata").path("name").asText();
      MockResponse one = store.dispatch(copy(unselected, HttpMethod.DELETE, itemPath));
      if (one.code() == 200) {
        deleted.add(item);
      }
    }
    ((ObjectNode) list).set("items", deleted);
    return json(200, list.toString());
  }

  /**
   * A strategic or JSON merge patch, applied to the stored object and written back whole with its
   * resource version, so that a write in between is a conflict rather than lost; that conflict is
   * retried from a fresh read unless the patch itself names a resource version, as an API server's
   * own read-modify-write does. The store refuses strategic patches, and its JSON merge patch
   * appends to lists and stores nulls (Jackson's updating reader) where RFC 7386 replaces and
   * removes.
   */
  private MockResponse patch(
      RecordedRequest request,
      String target,
      String path,
      java.util.function.BinaryOperator<JsonNode> apply) {
    JsonNode patch;
    try {
      patch = JSON.readTree(request.getBody().getBytes());
    } catch (IOException e) {
      return status(400, "BadRequest", "the patch is not JSON: " + e.getMessage());
    }
    if (patch == null || !patch.isObject()) {
      return status(400, "BadRequest", "a merge patch must be a JSON object");
    }
    boolean pinned = patch.path("metadata").has("resourceVersion");
    String objectPath = path.endsWith("/status") ? path.substring(0, path.length() - 7) : path;
    MockResponse written = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      MockResponse current = store.dispatch(copy(request, HttpMethod.GET, objectPath));
      if (current.code() != 200) {
        return current;
      }
      JsonNode merged = apply.apply(read(current), patch);
      written =
          store.dispatch(
              new RecordedRequest(
                  request.getHttpVersion(),
                  HttpMethod.PUT,
                  target,
                  io.fabric8.mockwebserver.http.Headers.builder()
                      .add("Content-Type", "application/json")
                      .build(),
                  new Buffer().writeUtf8(merged.toString())));
      if (written.code() != 409 || pinned) {
        return written;
      }
    }
    return written;
  }

  /** A DELETE names its dry run in the DeleteOptions body ({@code "dryRun":["All"]}). */
  private static boolean dryRunInBody(RecordedRequest request) {
    Buffer body = request.getBody();
    if (request.method() != HttpMethod.DELETE || body == null || body.size() == 0) {
      return false;
    }
    try {
      return !JSON.readTree(body.getBytes()).path("dryRun").isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  /** No kubelet serves logs here: say so as the API server says a pod has none to give. */
  private MockResponse podLog(String namespace, String name) {
    MockResponse pod =
        store.dispatch(
            new RecordedRequest(
                "HTTP/1.1",
                HttpMethod.GET,
                "/api/v1/namespaces/" + namespace + "/pods/" + name,
                io.fabric8.mockwebserver.http.Headers.builder().build(),
                new Buffer()));
    if (pod.code() != 200) {
      return status(404, "NotFound", "pods \"" + name + "\" not found");
    }
    String node = read(pod).path("spec").path("nodeName").asText("");
    return status(
        400,
        "BadRequest",
        node.isEmpty()
            ? "pod " + name + " does not have a host assigned"
            : "container logs are not kept: node \""
                + node
                + "\" is simulated and runs no containers");
  }

  /** Gives a bodiless error the {@code Status} an API server would send with it. */
  private void completeErrorBody(MockResponse response, RecordedRequest request) {
    Buffer body = response.getBody();
    if (response.code() < 400 || (body != null && body.size() > 0)) {
      return;
    }
    String path = request.getPath();
    int q = path.indexOf('?');
    Map<String, String> parts =
        path.startsWith("/api")
            ? paths.fromKubernetesPath(q < 0 ? path : path.substring(0, q))
            : Map.of();
    String message;
    String reason;
    switch (response.code()) {
      case 404 -> {
        reason = "NotFound";
        message =
            parts.containsKey(NAME) && parts.containsKey(PLURAL)
                ? parts.get(PLURAL) + " \"" + parts.get(NAME) + "\" not found"
                : "the server could not find the requested resource";
      }
      case 409 -> {
        reason = "Conflict";
        message = "the object has been modified; please apply your changes to the latest version";
      }
      case 400 -> {
        reason = "BadRequest";
        message = "bad request";
      }
      default -> {
        reason = response.code() >= 500 ? "InternalError" : "Unknown";
        message = "the server answered " + response.code();
      }
    }
    MockResponse withBody = status(response.code(), reason, message);
    response.setBody(withBody.getBody());
    if (parts.containsKey(NAME)) {
      // Keep the details clients print ("pods \"x\" not found") machine-readable too.
      ObjectNode status = (ObjectNode) read(response);
      status.putObject("details").put("name", parts.get(NAME)).put("kind", parts.get(PLURAL));
      response.setBody(status.toString());
    }
  }

  private static JsonNode read(MockResponse response) {
    Buffer body = response.getBody();
    if (body == null || body.size() == 0) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(body.getBytes());
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(body);
  }

  /** A {@code metav1.Status} answer. */
  static MockResponse status(int code, String reason, String message) {
    ObjectNode status = JSON.createObjectNode();
    status.put("kind", "Status").put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", code < 300 ? "Success" : "Failure");
    status.put("message", message);
    status.put("reason", reason);
    status.put("code", code);
    return json(code, status.toString());
  }

  private String host(RecordedRequest request) {
    String host = request.getHeader("Host");
    return host == null || host.isBlank() ? address : host;
  }

  /** The query's parameters, decoded; the first of repeated ones. */
  static Map<String, String> query(String query) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      parameters.putIfAbsent(key, value);
    }
    return parameters;
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return raw;
    }
  }

  /** {@code target} without the query parameter {@code name}, the others as they were sent. */
  static String without(String target, String name) {
    int q = target.indexOf('?');
    if (q < 0) {
      return target;
    }
    List<String> kept = new ArrayList<>();
    for (String pair : target.substring(q + 1).split("&")) {
      int eq = pair.indexOf('=');
      if (!pair.isEmpty() && !decode(eq < 0 ? pair : pair.substring(0, eq)).equals(name)) {
        kept.add(pair);
      }
    }
    return target.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
  }

  private static RecordedRequest copy(RecordedRequest request, HttpMethod method, String path) {
    return new RecordedRequest(
        request.getHttpVersion(), method, path, request.getHeaders(), request.getBody());
  }
}
