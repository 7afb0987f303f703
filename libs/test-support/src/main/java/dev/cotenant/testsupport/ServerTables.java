package dev.cotenant.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Server-side printing: the {@code meta.k8s.io/v1} Table an API server returns when a client
 * (kubectl get) asks for {@code application/json;as=Table;v=v1;g=meta.k8s.io}. Without it kubectl
 * falls back to printing only NAME and AGE. The columns and cells follow kube-apiserver's printers
 * (pkg/printers/internalversion) for the kinds Cotenant stores; other kinds get NAME and AGE, as a
 * custom resource without printer columns does. Columns of priority 1 are those {@code -o wide}
 * adds.
 */
final class ServerTables {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Column(String name, String type, String format, int priority) {}

  private record Printer(List<Column> columns, BiFunction<JsonNode, Instant, List<Object>> cells) {}

  private static final Column NAME = new Column("Name", "string", "name", 0);
  private static final Column AGE = new Column("Age", "string", "", 0);

  private static final Printer DEFAULT =
      new Printer(List.of(NAME, AGE), (o, now) -> List.of(name(o), age(o, now)));

  private static final Map<String, Printer> PRINTERS =
      Map.of(
          "pods",
          new Printer(
              List.of(
                  NAME,
                  new Column("Ready", "string", "", 0),
                  new Column("Status", "string", "", 0),
                  new Column("Restarts", "string", "", 0),
                  AGE,
                  new Column("IP", "string", "", 1),
                  new Column("Node", "string", "", 1),
                  new Column("Nominated Node", "string", "", 1),
                  new Column("Readiness Gates", "string", "", 1)),
              ServerTables::pod),
          "nodes",
          new Printer(
              List.of(
                  NAME,
                  new Column("Status", "string", "", 0),
                  new Column("Roles", "string", "", 0),
                  AGE,
                  new Column("Version", "string", "", 0),
                  new Column("Internal-IP", "string", "", 1),
                  new Column("External-IP", "string", "", 1),
                  new Column("OS-Image", "string", "", 1),
                  new Column("Kernel-Version", "string", "", 1),
                  new Column("Container-Runtime", "string", "", 1)),
              ServerTables::node),
          "namespaces",
          new Printer(
              List.of(NAME, new Column("Status", "string", "", 0), AGE),
              (o, now) -> List.of(name(o), text(o, "status", "phase", "Active"), age(o, now))),
          "services",
          new Printer(
              List.of(
                  NAME,
                  new Column("Type", "string", "", 0),
                  new Column("Cluster-IP", "string", "", 0),
                  new Column("External-IP", "string", "", 0),
                  new Column("Port(s)", "string", "", 0),
                  AGE,
                  new Column("Selector", "string", "", 1)),
              ServerTables::service),
          "configmaps",
          new Printer(
              List.of(NAME, new Column("Data", "integer", "", 0), AGE),
              (o, now) ->
                  List.of(
                      name(o), o.path("data").size() + o.path("binaryData").size(), age(o, now))),
          "events",
          new Printer(
              List.of(
                  new Column("Last Seen", "string", "", 0),
                  new Column("Type", "string", "", 0),
                  new Column("Reason", "string", "", 0),
                  new Column("Object", "string", "", 0),
                  new Column("Subobject", "string", "", 1),
                  new Column("Source", "string", "", 1),
                  new Column("Message", "string", "", 0),
                  new Column("First Seen", "string", "", 1),
                  new Column("Count", "string", "", 1),
                  new Column("Name", "string", "name", 1)),
              ServerTables::event),
          "leases.coordination.k8s.io",
          new Printer(
              List.of(NAME, new Column("Holder", "string", "", 0), AGE),
              (o, now) -> List.of(name(o), text(o, "spec", "holderIdentity", ""), age(o, now))));

  private ServerTables() {}

  /**
   * The Table for a stored object or a list of them (the CRUD store's JSON), rows sorted by
   * namespace and name as an API server lists them. {@code resource} is the plural, followed by
   * {@code .<group>} outside the core group ({@code leases.coordination.k8s.io}).
   */
  static String table(String resource, JsonNode body, Instant now) {
    Printer printer = PRINTERS.getOrDefault(resource, DEFAULT);
    List<JsonNode> objects = new ArrayList<>();
    if (body.has("items")) {
      body.path("items").forEach(objects::add);
      objects.sort(
          Comparator.comparing((JsonNode o) -> text(o, "metadata", "namespace", ""))
              .thenComparing(ServerTables::name));
    } else {
      objects.add(body);
    }
    ObjectNode table = JSON.createObjectNode();
    table.put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    table
        .putObject("metadata")
        .put("resourceVersion", text(body, "metadata", "resourceVersion", ""));
    ArrayNode columns = table.putArray("columnDefinitions");
    for (Column column : printer.columns()) {
      columns
          .addObject()
          .put("name", column.name())
          .put("type", column.type())
          .put("format", column.format())
          .put("description", "")
          .put("priority", column.priority());
    }
    ArrayNode rows = table.putArray("rows");
    for (JsonNode object : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (Object cell : printer.cells().apply(object, now)) {
        if (cell instanceof Integer i) {
          cells.add(i);
        } else {
          cells.add(String.valueOf(cell));
        }
      }
      // kubectl reads the namespace (-A) and labels (--show-labels) from here.
      ObjectNode partial = row.putObject("object");
      partial.put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
      partial.set("metadata", object.path("metadata").deepCopy());
    }
    return table.toString();
  }

  private static List<Object> pod(JsonNode pod, Instant now) {
    JsonNode status = pod.path("status");
    int total = pod.path("spec").path("containers").size();
    int ready = 0;
    long restarts = 0;
    Instant lastRestart = null;
    // A real API server stores phase Pending at creation; the CRUD store keeps what was sent.
    String reason = status.path("phase").asText("");
    if (reason.isEmpty()) {
      reason = "Pending";
    }
    if (!status.path("reason").asText("").isEmpty()) {
      reason = status.path("reason").asText();
    }
    boolean initializing = false;
    JsonNode initStatuses = status.path("initContainerStatuses");
    for (int i = 0; i < initStatuses.size(); i++) {
      JsonNode container = initStatuses.get(i);
      restarts += container.path("restartCount").asLong();
      JsonNode terminated = container.path("state").path("terminated");
      JsonNode waiting = container.path("state").path("waiting");
      if (terminated.isObject() && terminated.path("exitCode").asInt() == 0) {
        continue;
      }
      if (terminated.isObject()) {
        reason =
            terminated.path("reason").asText("").isEmpty()
                ? "Init:ExitCode:" + terminated.path("exitCode").asInt()
                : "Init:" + terminated.path("reason").asText();
      } else if (waiting.isObject()
          && !waiting.path("reason").asText("").isEmpty()
          && !waiting.path("reason").asText().equals("PodInitializing")) {
        reason = "Init:" + waiting.path("reason").asText();
      } else {
        reason = "Init:" + i + "/" + pod.path("spec").path("initContainers").size();
      }
      initializing = true;
      break;
    }
    if (!initializing || conditionTrue(status, "Initialized")) {
      restarts = 0;
      boolean hasRunning = false;
      JsonNode containers = status.path("containerStatuses");
      for (int i = containers.size() - 1; i >= 0; i--) {
        JsonNode container = containers.get(i);
        restarts += container.path("restartCount").asLong();
        Instant finished =
            instant(container.path("lastState").path("terminated").path("finishedAt").asText(""));
        if (finished != null && (lastRestart == null || finished.isAfter(lastRestart))) {
          lastRestart = finished;
        }
        JsonNode state = container.path("state");
        JsonNode waiting = state.path("waiting");
        JsonNode terminated = state.path("terminated");
        if (waiting.isObject() && !waiting.path("reason").asText("").isEmpty()) {
          reason = waiting.path("reason").asText();
        } else if (terminated.isObject() && !terminated.path("reason").asText("").isEmpty()) {
          reason = terminated.path("reason").asText();
        } else if (terminated.isObject()) {
          int signal = terminated.path("signal").asInt();
          reason =
              signal != 0 ? "Signal:" + signal : "ExitCode:" + terminated.path("exitCode").asInt();
        } else if (container.path("ready").asBoolean() && state.path("running").isObject()) {
          hasRunning = true;
          ready++;
        }
      }
      if (reason.equals("Completed") && hasRunning) {
        reason = conditionTrue(status, "Ready") ? "Running" : "NotReady";
      }
    }
    boolean terminal =
        status.path("phase").asText().equals("Succeeded")
            || status.path("phase").asText().equals("Failed");
    if (pod.path("metadata").has("deletionTimestamp")) {
      if (status.path("reason").asText("").equals("NodeLost")) {
        reason = "Unknown";
      } else if (!terminal) {
        reason = "Terminating";
      }
    }
    String restartCell =
        lastRestart == null
            ? String.valueOf(restarts)
            : restarts + " (" + humanDuration(Duration.between(lastRestart, now)) + " ago)";
    String ip = status.path("podIPs").path(0).path("ip").asText("");
    if (ip.isEmpty()) {
      ip = status.path("podIP").asText("");
    }
    JsonNode gates = pod.path("spec").path("readinessGates");
    String readinessGates = "<none>";
    if (gates.size() > 0) {
      int trueGates = 0;
      for (JsonNode gate : gates) {
        if (conditionTrue(status, gate.path("conditionType").asText())) {
          trueGates++;
        }
      }
      readinessGates = trueGates + "/" + gates.size();
    }
    return List.of(
        name(pod),
        ready + "/" + total,
        reason,
        restartCell,
        age(pod, now),
        orNone(ip),
        orNone(pod.path("spec").path("nodeName").asText("")),
        orNone(status.path("nominatedNodeName").asText("")),
        readinessGates);
  }

  private static List<Object> node(JsonNode node, Instant now) {
    List<String> status = new ArrayList<>();
    for (JsonNode condition : node.path("status").path("conditions")) {
      if (condition.path("type").asText().equals("Ready")) {
        status.add(condition.path("status").asText().equals("True") ? "Ready" : "NotReady");
      }
    }
    if (status.isEmpty()) {
      status.add("Unknown");
    }
    if (node.path("spec").path("unschedulable").asBoolean()) {
      status.add("SchedulingDisabled");
    }
    List<String> roles = new ArrayList<>();
    node.path("metadata")
        .path("labels")
        .fields()
        .forEachRemaining(
            label -> {
              if (label.getKey().startsWith("node-role.kubernetes.io/")) {
                roles.add(label.getKey().substring("node-role.kubernetes.io/".length()));
              } else if (label.getKey().equals("kubernetes.io/role")) {
                roles.add(label.getValue().asText());
              }
            });
    JsonNode info = node.path("status").path("nodeInfo");
    return List.of(
        name(node),
        String.join(",", status),
        roles.isEmpty() ? "<none>" : String.join(",", roles),
        age(node, now),
        info.path("kubeletVersion").asText(""),
        address(node, "InternalIP"),
        address(node, "ExternalIP"),
        orUnknown(info.path("osImage").asText("")),
        orUnknown(info.path("kernelVersion").asText("")),
        orUnknown(info.path("containerRuntimeVersion").asText("")));
  }

  /** Cells in -o wide order: an API server always prints every column, kubectl picks. */
  private static List<Object> event(JsonNode event, Instant now) {
    String first = since(event.path("firstTimestamp").asText(""), now);
    if (first.equals("<unknown>")) {
      first = since(event.path("eventTime").asText(""), now);
    }
    String last = since(event.path("lastTimestamp").asText(""), now);
    if (last.equals("<unknown>")) {
      last = first;
    }
    int count = event.path("count").asInt();
    if (event.path("series").isObject()) {
      last = since(event.path("series").path("lastObservedTime").asText(""), now);
      count = event.path("series").path("count").asInt();
    } else if (count == 0) {
      count = 1;
    }
    JsonNode involved = event.path("involvedObject");
    String kind = involved.path("kind").asText("").toLowerCase(java.util.Locale.ROOT);
    String target =
        involved.path("name").asText("").isEmpty()
            ? kind
            : kind + "/" + involved.path("name").asText();
    String component =
        firstNonEmpty(
            event.path("source").path("component").asText(""),
            event.path("reportingComponent").asText(""));
    String instance =
        firstNonEmpty(
            event.path("source").path("host").asText(""),
            event.path("reportingInstance").asText(""));
    return List.of(
        last,
        event.path("type").asText(""),
        event.path("reason").asText(""),
        target,
        involved.path("fieldPath").asText(""),
        instance.isEmpty() ? component : component + ", " + instance,
        event.path("message").asText("").trim(),
        first,
        count,
        name(event));
  }

  private static String firstNonEmpty(String a, String b) {
    return a.isEmpty() ? b : a;
  }

  private static List<Object> service(JsonNode service, Instant now) {
    JsonNode spec = service.path("spec");
    String type = spec.path("type").asText("ClusterIP");
    List<String> externalIps = new ArrayList<>();
    spec.path("externalIPs").forEach(ip -> externalIps.add(ip.asText()));
    service
        .path("status")
        .path("loadBalancer")
        .path("ingress")
        .forEach(
            ingress ->
                externalIps.add(ingress.path("ip").asText(ingress.path("hostname").asText(""))));
    String external;
    if (type.equals("ExternalName")) {
      external = spec.path("externalName").asText("");
    } else if (type.equals("LoadBalancer") && externalIps.isEmpty()) {
      external = "<pending>";
    } else {
      external = externalIps.isEmpty() ? "<none>" : String.join(",", externalIps);
    }
    List<String> ports = new ArrayList<>();
    for (JsonNode port : spec.path("ports")) {
      String protocol = port.path("protocol").asText("TCP");
      ports.add(
          port.has("nodePort")
              ? port.path("port").asInt() + ":" + port.path("nodePort").asInt() + "/" + protocol
              : port.path("port").asInt() + "/" + protocol);
    }
    List<String> selector = new ArrayList<>();
    spec.path("selector")
        .fields()
        .forEachRemaining(s -> selector.add(s.getKey() + "=" + s.getValue().asText()));
    return List.of(
        name(service),
        type,
        orNone(spec.path("clusterIP").asText("")),
        external,
        ports.isEmpty() ? "<none>" : String.join(",", ports),
        age(service, now),
        selector.isEmpty() ? "<none>" : String.join(",", selector));
  }

  private static String address(JsonNode node, String type) {
    for (JsonNode address : node.path("status").path("addresses")) {
      if (address.path("type").asText().equals(type)) {
        return address.path("address").asText();
      }
    }
    return "<none>";
  }

  private static boolean conditionTrue(JsonNode status, String type) {
    for (JsonNode condition : status.path("conditions")) {
      if (condition.path("type").asText().equals(type)) {
        return condition.path("status").asText().equals("True");
      }
    }
    return false;
  }

  private static String name(JsonNode object) {
    return text(object, "metadata", "name", "");
  }

  private static String text(JsonNode object, String field, String child, String otherwise) {
    String value = object.path(field).path(child).asText("");
    return value.isEmpty() ? otherwise : value;
  }

  private static String orNone(String value) {
    return value.isEmpty() ? "<none>" : value;
  }

  private static String orUnknown(String value) {
    return value.isEmpty() ? "<unknown>" : value;
  }

  private static String age(JsonNode object, Instant now) {
    return since(text(object, "metadata", "creationTimestamp", ""), now);
  }

  /** kube-apiserver's translateTimestampSince: "<unknown>" for no time. */
  private static String since(String timestamp, Instant now) {
    Instant then = instant(timestamp);
    return then == null ? "<unknown>" : humanDuration(Duration.between(then, now));
  }

  private static Instant instant(String timestamp) {
    if (timestamp.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** apimachinery's duration.HumanDuration, which kubectl's AGE column shows. */
  static String humanDuration(Duration d) {
    long seconds = d.toSeconds();
    if (seconds < -1) {
      return "<invalid>";
    } else if (seconds < 0) {
      return "0s";
    } else if (seconds < 60 * 2) {
      return seconds + "s";
    }
    long minutes = d.toMinutes();
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    } else if (minutes < 60 * 3) {
      return minutes + "m";
    }
    long hours = d.toHours();
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    } else if (hours < 48) {
      return hours + "h";
    } else if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? (hours / 24) + "d" : (hours / 24) + "d" + h + "h";
    } else if (hours < 24 * 365 * 2) {
      return (hours / 24) + "d";
    } else if (hours < 24 * 365 * 8) {
      long dy = (hours / 24) % 365;
      return dy == 0 ? (hours / 24 / 365) + "y" : (hours / 24 / 365) + "y" + dy + "d";
    }
    return (hours / 24 / 365) + "y";
  }
}
