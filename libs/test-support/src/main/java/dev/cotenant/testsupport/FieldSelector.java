package dev.cotenant.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code fieldSelector} as an API server evaluates it: comma-separated {@code field=value},
 * {@code field==value} or {@code field!=value} terms (values may be empty, {@code \} escapes {@code
 * , = !} and itself), all of which must hold; only the fields the server indexes for the resource
 * are allowed ({@code metadata.name} and {@code metadata.namespace} everywhere, e.g. {@code
 * spec.nodeName} and {@code status.phase} on pods). A missing string field reads as empty, a
 * missing boolean as {@code false}, as on a real server.
 */
final class FieldSelector {
  /** Why a selector was refused: the API server's 400 message. */
  static final class Invalid extends Exception {
    Invalid(String message) {
      super(message);
    }
  }

  record Term(String field, String value, boolean equal) {}

  private static final Set<String> COMMON = Set.of("metadata.name", "metadata.namespace");

  /** Per plural, the fields an API server of 1.32 accepts beyond metadata.name/namespace. */
  private static final Map<String, Set<String>> FIELDS =
      Map.of(
          "pods",
          Set.of(
              "spec.nodeName",
              "spec.restartPolicy",
              "spec.schedulerName",
              "spec.serviceAccountName",
              "spec.hostNetwork",
              "status.phase",
              "status.podIP",
              "status.nominatedNodeName"),
          "nodes",
          Set.of("spec.unschedulable"),
          "namespaces",
          Set.of("status.phase"),
          "secrets",
          Set.of("type"),
          "events",
          Set.of(
              "involvedObject.kind",
              "involvedObject.namespace",
              "involvedObject.name",
              "involvedObject.uid",
              "involvedObject.apiVersion",
              "involvedObject.resourceVersion",
              "involvedObject.fieldPath",
              "reason",
              "reportingComponent",
              "source",
              "type"));

  private static final Set<String> BOOLEANS = Set.of("spec.hostNetwork", "spec.unschedulable");

  private final List<Term> terms;

  private FieldSelector(List<Term> terms) {
    this.terms = List.copyOf(terms);
  }

  List<Term> terms() {
    return terms;
  }

  boolean isEmpty() {
    return terms.isEmpty();
  }

  /**
   * Whether fabric8's store evaluates this selector itself, and the same way: it files every object
   * under {@code metadata.name} and {@code metadata.namespace} and matches equality with a
   * non-empty value natively, on lists and watches alike (cheaper than parsing every event here).
   * Not {@code !=}: a watch reads {@code metadata.name!=x} as the name x.
   */
  boolean storeEvaluates() {
    return terms.stream()
        .allMatch(t -> t.equal() && COMMON.contains(t.field()) && !t.value().isEmpty());
  }

  static FieldSelector none() {
    return new FieldSelector(List.of());
  }

  /** Parses {@code selector} (already URL-decoded) for resources named {@code plural}. */
  static FieldSelector parse(String selector, String plural) throws Invalid {
    List<Term> terms = new ArrayList<>();
    if (selector == null || selector.isBlank()) {
      return new FieldSelector(terms);
    }
    for (String raw : split(selector)) {
      String term = raw.trim();
      if (term.isEmpty()) {
        continue;
      }
      Term parsed = term(term);
      if (!COMMON.contains(parsed.field())
          && !FIELDS.getOrDefault(plural, Set.of()).contains(parsed.field())) {
        throw new Invalid(
            "field label not supported: " + parsed.field()); // the API server's own words
      }
      terms.add(parsed);
    }
    return new FieldSelector(terms);
  }

  /** Splits on commas that are not escaped. */
  private static List<String> split(String selector) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      if (c == '\\' && i + 1 < selector.length()) {
        current.append(c).append(selector.charAt(++i));
      } else if (c == ',') {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    parts.add(current.toString());
    return parts;
  }

  private static Term term(String term) throws Invalid {
    for (int i = 0; i < term.length(); i++) {
      char c = term.charAt(i);
      if (c == '\\') {
        i++;
        continue;
      }
      if (c == '!' && i + 1 < term.length() && term.charAt(i + 1) == '=') {
        return new Term(field(term.substring(0, i)), unescape(term.substring(i + 2)), false);
      }
      if (c == '=') {
        int valueStart = i + 1 < term.length() && term.charAt(i + 1) == '=' ? i + 2 : i + 1;
        return new Term(field(term.substring(0, i)), unescape(term.substring(valueStart)), true);
      }
    }
    throw new Invalid("invalid selector: '" + term + "'; can't understand '" + term + "'");
  }

  private static String field(String raw) throws Invalid {
    String field = raw.trim();
    if (field.isEmpty()) {
      throw new Invalid("invalid selector: a field selector term needs a field name");
    }
    return field;
  }

  private static String unescape(String value) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length()) {
        out.append(value.charAt(++i));
      } else {
        out.append(c);
      }
    }
    return out.toString().trim();
  }

  /** Whether the stored object (JSON) satisfies every term. */
  boolean matches(JsonNode object) {
    for (Term term : terms) {
      if (value(object, term.field()).equals(term.value()) != term.equal()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The value the API server indexes for {@code field}; {@code source} is the event's component.
   */
  static String value(JsonNode object, String field) {
    String path = field.equals("source") ? "source.component" : field;
    JsonNode node = object;
    for (String part : path.split("\\.")) {
      node = node.path(part);
    }
    if (node.isMissingNode() || node.isNull()) {
      return BOOLEANS.contains(field) ? "false" : "";
    }
    return node.asText();
  }
}
