package dev.cotenant.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The discovery documents of the embedded API, as a real API server serves them without aggregated
 * discovery: {@code /version}, {@code /api} (APIVersions), {@code /api/v1} and {@code
 * /apis/<group>/<version>} (APIResourceList), {@code /apis} (APIGroupList) and {@code
 * /apis/<group>} (APIGroup). They list what the CRUD store holds for Cotenant and what clients
 * (kubectl, fabric8, client-go informers) look up: the resources, their scope, verbs and short
 * names.
 */
final class Discovery {
  /** The Kubernetes release whose API this one mirrors (kubectl warns beyond one minor of skew). */
  static final String MAJOR = "1";

  static final String MINOR = "32";
  static final String GIT_VERSION = "v1.32.0+cotenant";

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
  private static final List<String> STATUS_VERBS = List.of("get", "patch", "update");

  /** One entry of an APIResourceList. */
  record Resource(
      String name,
      String singularName,
      boolean namespaced,
      String kind,
      List<String> verbs,
      List<String> shortNames,
      List<String> categories) {

    static Resource of(String name, String singular, boolean namespaced, String kind) {
      return new Resource(name, singular, namespaced, kind, ALL_VERBS, List.of(), List.of());
    }

    Resource withShortNames(String... names) {
      return new Resource(name, singularName, namespaced, kind, verbs, List.of(names), categories);
    }

    /** {@code kubectl get all} lists the resources of category {@code all}. */
    Resource inAll() {
      return new Resource(name, singularName, namespaced, kind, verbs, shortNames, List.of("all"));
    }

    static Resource subresource(String name, boolean namespaced, String kind, List<String> verbs) {
      // An API server leaves singularName empty for subresources.
      return new Resource(name, "", namespaced, kind, verbs, List.of(), List.of());
    }
  }

  /** Group version ("v1" for the core group) → its resources, in the order servers list them. */
  static final Map<String, List<Resource>> GROUP_VERSIONS = groupVersions();

  private static Map<String, List<Resource>> groupVersions() {
    Map<String, List<Resource>> all = new LinkedHashMap<>();
    all.put(
        "v1",
        List.of(
            new Resource(
                "bindings", "binding", true, "Binding", List.of("create"), List.of(), List.of()),
            Resource.of("configmaps", "configmap", true, "ConfigMap").withShortNames("cm"),
            Resource.of("endpoints", "endpoints", true, "Endpoints").withShortNames("ep"),
            Resource.of("events", "event", true, "Event").withShortNames("ev"),
            Resource.of("namespaces", "namespace", false, "Namespace").withShortNames("ns"),
            Resource.subresource("namespaces/status", false, "Namespace", STATUS_VERBS),
            Resource.of("nodes", "node", false, "Node").withShortNames("no"),
            Resource.subresource("nodes/status", false, "Node", STATUS_VERBS),
            Resource.of("pods", "pod", true, "Pod").withShortNames("po").inAll(),
            Resource.subresource("pods/binding", true, "Binding", List.of("create")),
            Resource.subresource("pods/status", true, "Pod", STATUS_VERBS),
            Resource.of("secrets", "secret", true, "Secret"),
            Resource.of("serviceaccounts", "serviceaccount", true, "ServiceAccount")
                .withShortNames("sa"),
            Resource.of("services", "service", true, "Service").withShortNames("svc").inAll(),
            Resource.subresource("services/status", true, "Service", STATUS_VERBS)));
    all.put(
        "apps/v1",
        List.of(
            Resource.of("controllerrevisions", "controllerrevision", true, "ControllerRevision"),
            Resource.of("daemonsets", "daemonset", true, "DaemonSet").withShortNames("ds").inAll(),
            Resource.subresource("daemonsets/status", true, "DaemonSet", STATUS_VERBS),
            Resource.of("deployments", "deployment", true, "Deployment")
                .withShortNames("deploy")
                .inAll(),
            Resource.subresource("deployments/status", true, "Deployment", STATUS_VERBS),
            Resource.of("replicasets", "replicaset", true, "ReplicaSet")
                .withShortNames("rs")
                .inAll(),
            Resource.subresource("replicasets/status", true, "ReplicaSet", STATUS_VERBS),
            Resource.of("statefulsets", "statefulset", true, "StatefulSet")
                .withShortNames("sts")
                .inAll(),
            Resource.subresource("statefulsets/status", true, "StatefulSet", STATUS_VERBS)));
    all.put("coordination.k8s.io/v1", List.of(Resource.of("leases", "lease", true, "Lease")));
    all.put(
        "discovery.k8s.io/v1",
        List.of(Resource.of("endpointslices", "endpointslice", true, "EndpointSlice")));
    // No short name here: "ev" stays the core group's (kubectl warns of the ambiguity otherwise).
    all.put("events.k8s.io/v1", List.of(Resource.of("events", "event", true, "Event")));
    return all;
  }

  private Discovery() {}

  /**
   * The document at {@code path} (no query), or empty if it is not a discovery path this server
   * serves. {@code serverAddress} is the host:port the client reached.
   */
  static Optional<String> document(String path, String serverAddress) {
    String p =
        path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (p.equals("/version")) {
      return Optional.of(version());
    }
    if (p.equals("/api")) {
      return Optional.of(apiVersions(serverAddress));
    }
    if (p.equals("/apis")) {
      return Optional.of(groupList(serverAddress));
    }
    if (p.equals("/api/v1")) {
      return Optional.of(resourceList("v1"));
    }
    if (p.startsWith("/apis/")) {
      String rest = p.substring("/apis/".length());
      if (GROUP_VERSIONS.containsKey(rest)) {
        return Optional.of(resourceList(rest));
      }
      if (!rest.contains("/") && groups().containsKey(rest)) {
        ObjectNode group = group(rest, serverAddress);
        group.put("kind", "APIGroup").put("apiVersion", "v1");
        return Optional.of(group.toString());
      }
    }
    return Optional.empty();
  }

  /**
   * Whether {@code path} has the shape of a discovery path ({@code /api/<v>}, {@code /apis/<g>},
   * {@code /apis/<g>/<v>}); those this server does not serve are unknown to it.
   */
  static boolean looksLikeDiscovery(String path) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    String[] parts = p.split("/");
    // "", "api", v  |  "", "apis", g [, v]
    return (parts.length == 3 && parts[1].equals("api"))
        || ((parts.length == 3 || parts.length == 4) && parts[1].equals("apis"));
  }

  static String version() {
    ObjectNode v = JSON.createObjectNode();
    v.put("major", MAJOR)
        .put("minor", MINOR)
        .put("gitVersion", GIT_VERSION)
        .put("gitCommit", "0000000000000000000000000000000000000000")
        .put("gitTreeState", "clean")
        .put("buildDate", "2024-12-11T00:00:00Z")
        .put("goVersion", "go1.23.3")
        .put("compiler", "gc")
        .put("platform", "linux/amd64");
    return v.toString();
  }

  private static String apiVersions(String serverAddress) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("kind", "APIVersions");
    doc.putArray("versions").add("v1");
    addresses(doc, serverAddress);
    return doc.toString();
  }

  private static void addresses(ObjectNode doc, String serverAddress) {
    doc.putArray("serverAddressByClientCIDRs")
        .addObject()
        .put("clientCIDR", "0.0.0.0/0")
        .put("serverAddress", serverAddress);
  }

  /** Group name → its versions, from {@link #GROUP_VERSIONS} (the core group "v1" left out). */
  private static Map<String, List<String>> groups() {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (String groupVersion : GROUP_VERSIONS.keySet()) {
      int slash = groupVersion.indexOf('/');
      if (slash > 0) {
        groups
            .computeIfAbsent(groupVersion.substring(0, slash), g -> new java.util.ArrayList<>())
            .add(groupVersion.substring(slash + 1));
      }
    }
    return groups;
  }

  private static ObjectNode group(String name, String serverAddress) {
    ObjectNode group = JSON.createObjectNode();
    group.put("name", name);
    ArrayNode versions = group.putArray("versions");
    List<String> known = groups().get(name);
    for (String version : known) {
      versions.addObject().put("groupVersion", name + "/" + version).put("version", version);
    }
    group
        .putObject("preferredVersion")
        .put("groupVersion", name + "/" + known.get(0))
        .put("version", known.get(0));
    addresses(group, serverAddress);
    return group;
  }

  private static String groupList(String serverAddress) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode groups = doc.putArray("groups");
    groups().keySet().forEach(name -> groups.add(group(name, serverAddress)));
    return doc.toString();
  }

  private static String resourceList(String groupVersion) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("kind", "APIResourceList").put("apiVersion", "v1").put("groupVersion", groupVersion);
    ArrayNode resources = doc.putArray("resources");
    for (Resource r : GROUP_VERSIONS.get(groupVersion)) {
      ObjectNode node = resources.addObject();
      node.put("name", r.name())
          .put("singularName", r.singularName())
          .put("namespaced", r.namespaced())
          .put("kind", r.kind());
      r.verbs().forEach(node.putArray("verbs")::add);
      if (!r.shortNames().isEmpty()) {
        r.shortNames().forEach(node.putArray("shortNames")::add);
      }
      if (!r.categories().isEmpty()) {
        r.categories().forEach(node.putArray("categories")::add);
      }
    }
    return doc.toString();
  }

  /**
   * {@code /openapi/v3} and {@code /openapi/v3/<api|apis/group>/<version>}: no schemas, only the
   * PATCH operation of each resource with its {@code fieldValidation} parameter. kubectl apply and
   * create check there whether the server validates fields; told no (or finding no document), they
   * validate on the client against {@code /openapi/v2}, which this server does not have, and fail.
   */
  static Optional<String> openApi(String path) {
    if (path.equals("/openapi/v3")) {
      ObjectNode doc = JSON.createObjectNode();
      ObjectNode paths = doc.putObject("paths");
      for (String groupVersion : GROUP_VERSIONS.keySet()) {
        String prefix = prefix(groupVersion);
        paths
            .putObject(prefix)
            .put(
                "serverRelativeURL",
                "/openapi/v3/"
                    + prefix
                    + "?hash="
                    + Integer.toHexString(openApiV3(groupVersion).hashCode()));
      }
      return Optional.of(doc.toString());
    }
    for (String groupVersion : GROUP_VERSIONS.keySet()) {
      if (path.equals("/openapi/v3/" + prefix(groupVersion))) {
        return Optional.of(openApiV3(groupVersion));
      }
    }
    return Optional.empty();
  }

  private static String prefix(String groupVersion) {
    return groupVersion.contains("/") ? "apis/" + groupVersion : "api/" + groupVersion;
  }

  private static String openApiV3(String groupVersion) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", GIT_VERSION);
    ObjectNode paths = doc.putObject("paths");
    int slash = groupVersion.indexOf('/');
    String group = slash < 0 ? "" : groupVersion.substring(0, slash);
    String version = groupVersion.substring(slash + 1);
    for (Resource r : GROUP_VERSIONS.get(groupVersion)) {
      if (r.name().contains("/") || !r.verbs().contains("patch")) {
        continue;
      }
      String path =
          "/"
              + prefix(groupVersion)
              + (r.namespaced() ? "/namespaces/{namespace}/" : "/")
              + r.name()
              + "/{name}";
      ObjectNode patch = paths.putObject(path).putObject("patch");
      patch
          .putObject("x-kubernetes-group-version-kind")
          .put("group", group)
          .put("version", version)
          .put("kind", r.kind());
      patch.put("x-kubernetes-action", "patch");
      patch
          .putArray("parameters")
          .addObject()
          .put("name", "fieldValidation")
          .put("in", "query")
          .putObject("schema")
          .put("type", "string");
      patch.putObject("responses").putObject("200").put("description", "OK");
    }
    doc.putObject("components").putObject("schemas");
    return doc.toString();
  }

  /** The resource a plural of a group version names (core: "v1"), if discovery lists it. */
  static Optional<Resource> resource(String groupVersion, String plural) {
    return GROUP_VERSIONS.getOrDefault(groupVersion, List.of()).stream()
        .filter(r -> r.name().equals(plural))
        .findFirst();
  }
}
