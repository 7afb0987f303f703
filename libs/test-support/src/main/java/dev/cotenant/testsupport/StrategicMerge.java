package dev.cotenant.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' strategic merge patch ({@code application/strategic-merge-patch+json}, what kubectl
 * apply, label, annotate, cordon and patch send), which the CRUD store refuses (415): applied here
 * to the stored object, which is then written back whole. Lists merge by the patch merge keys of
 * the built-in types (containers and volumes by name, conditions by type, container ports by
 * containerPort, …), finalizers as a set; {@code $patch: delete|replace}, {@code $retainKeys} and
 * {@code $deleteFromPrimitiveList/…} are honoured; {@code $setElementOrder/…} is ignored (new list
 * items go last).
 */
final class StrategicMerge {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** List field → the field its items merge on, from the Kubernetes types' patchMergeKey tags. */
  private static final Map<String, String> MERGE_KEYS =
      Map.ofEntries(
          Map.entry("containers", "name"),
          Map.entry("initContainers", "name"),
          Map.entry("ephemeralContainers", "name"),
          Map.entry("env", "name"),
          Map.entry("volumes", "name"),
          Map.entry("imagePullSecrets", "name"),
          Map.entry("resourceClaims", "name"),
          Map.entry("schedulingGates", "name"),
          Map.entry("volumeMounts", "mountPath"),
          Map.entry("volumeDevices", "devicePath"),
          Map.entry("hostAliases", "ip"),
          Map.entry("conditions", "type"),
          Map.entry("addresses", "type"),
          Map.entry("readinessGates", "conditionType"),
          Map.entry("ownerReferences", "uid"),
          Map.entry("topologySpreadConstraints", "topologyKey"));

  /** Lists of strings merged as sets. */
  private static final Set<String> PRIMITIVE_SETS = Set.of("finalizers");

  private static final String DELETE_FROM = "$deleteFromPrimitiveList/";

  private StrategicMerge() {}

  /** {@code current} with {@code patch} applied (neither is changed). */
  static JsonNode apply(JsonNode current, JsonNode patch) {
    JsonNode merged = applyObject(current, patch);
    return merged == null ? NODES.objectNode() : merged;
  }

  /**
   * A JSON merge patch (RFC 7386) applied as an API server applies one: objects merge, {@code null}
   * removes, anything else (lists too) replaces. The store's own appends to lists and stores nulls.
   */
  static JsonNode mergePatch(JsonNode current, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode result =
        current != null && current.isObject() ? current.deepCopy() : NODES.objectNode();
    patch
        .fields()
        .forEachRemaining(
            field -> {
              if (field.getValue().isNull()) {
                result.remove(field.getKey());
              } else {
                result.set(
                    field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
              }
            });
    return result;
  }

  /** null when the patch deletes the object ({@code $patch: delete}). */
  private static JsonNode applyObject(JsonNode current, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    String directive = patch.path("$patch").asText("");
    if (directive.equals("delete")) {
      return null;
    }
    if (directive.equals("replace")) {
      return withoutDirectives(patch);
    }
    ObjectNode result =
        current != null && current.isObject() ? current.deepCopy() : NODES.objectNode();
    if (patch.path("$retainKeys").isArray()) {
      Set<String> retained = new java.util.HashSet<>();
      patch.path("$retainKeys").forEach(k -> retained.add(k.asText()));
      for (Iterator<String> names = result.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!retained.contains(name) && !patch.has(name)) {
          names.remove();
        }
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (name.startsWith(DELETE_FROM)) {
        String list = name.substring(DELETE_FROM.length());
        Set<JsonNode> gone = new java.util.HashSet<>();
        value.forEach(gone::add);
        ArrayNode kept = NODES.arrayNode();
        result
            .path(list)
            .forEach(
                item -> {
                  if (!gone.contains(item)) {
                    kept.add(item);
                  }
                });
        result.set(list, kept);
      } else if (name.startsWith("$")) {
        continue; // $patch, $retainKeys (done), $setElementOrder/… (order not kept)
      } else if (value.isNull()) {
        result.remove(name);
      } else if (value.isObject()) {
        JsonNode merged = applyObject(result.get(name), value);
        if (merged == null) {
          result.remove(name);
        } else {
          result.set(name, merged);
        }
      } else if (value.isArray()) {
        result.set(name, mergeList(result.get(name), (ArrayNode) value, name));
      } else {
        result.set(name, value);
      }
    }
    return result;
  }

  private static ArrayNode mergeList(JsonNode current, ArrayNode patch, String field) {
    for (JsonNode item : patch) {
      if (item.isObject() && item.path("$patch").asText("").equals("replace")) {
        ArrayNode replaced = NODES.arrayNode();
        patch.forEach(
            i -> {
              if (!(i.isObject() && i.has("$patch"))) {
                replaced.add(withoutDirectives(i));
              }
            });
        return replaced;
      }
    }
    ArrayNode result =
        current != null && current.isArray() ? current.deepCopy() : NODES.arrayNode();
    if (PRIMITIVE_SETS.contains(field)) {
      patch.forEach(
          item -> {
            boolean present = false;
            for (JsonNode existing : result) {
              present |= existing.equals(item);
            }
            if (!present) {
              result.add(item);
            }
          });
      return result;
    }
    String key = mergeKey(field, patch);
    if (key == null) {
      return patch.deepCopy(); // no merge strategy: the list is replaced, as in a merge patch
    }
    for (JsonNode item : patch) {
      if (!item.isObject()) {
        continue;
      }
      JsonNode id = item.get(key);
      int at = -1;
      for (int i = 0; i < result.size() && id != null; i++) {
        if (id.equals(result.get(i).get(key))) {
          at = i;
          break;
        }
      }
      if (item.path("$patch").asText("").equals("delete")) {
        if (at >= 0) {
          result.remove(at);
        }
      } else if (at >= 0) {
        result.set(at, applyObject(result.get(at), item));
      } else {
        result.add(withoutDirectives(item));
      }
    }
    return result;
  }

  /** Container ports merge on containerPort, a Service's on port. */
  private static String mergeKey(String field, ArrayNode patch) {
    if (field.equals("ports")) {
      for (JsonNode item : patch) {
        if (item.has("containerPort")) {
          return "containerPort";
        }
      }
      return "port";
    }
    return MERGE_KEYS.get(field);
  }

  private static JsonNode withoutDirectives(JsonNode node) {
    if (node.isObject()) {
      ObjectNode copy = NODES.objectNode();
      node.fields()
          .forEachRemaining(
              f -> {
                if (!f.getKey().startsWith("$")) {
                  copy.set(f.getKey(), withoutDirectives(f.getValue()));
                }
              });
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = NODES.arrayNode();
      node.forEach(item -> copy.add(withoutDirectives(item)));
      return copy;
    }
    return node;
  }
}
