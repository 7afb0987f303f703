package dev.cotenant.jobapi.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.cotenant.events.JobSpec;
import dev.cotenant.jobapi.config.JobLimitsConfig;
import dev.cotenant.jobapi.rest.JobRequest;
import dev.cotenant.placement.plugins.Policies;
import dev.cotenant.service.rest.StrictText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a request body into a {@link JobSpec}, or fails with every violation it finds, each naming
 * its field. Strict JSON: unknown fields, duplicate keys and type coercions are errors. Not a CDI
 * bean on purpose: a plain class the tests can call.
 */
public final class JobValidator {
  /** A DNS-1123 label, as Kubernetes requires of pod names. */
  static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  /** The OCI distribution reference grammar: [host[:port]/]path[:tag][@digest]. */
  static final Pattern IMAGE =
      Pattern.compile(
          "(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*)(?::(?<port>[0-9]{1,5}))?/)?"
              + "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
              + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?");

  static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  static final Pattern APP = Pattern.compile("[a-z0-9]([-a-z0-9_.]*[a-z0-9])?");
  private static final Pattern LABEL_NAME =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** Annotations and labels under this prefix are written by Cotenant itself. */
  static final String RESERVED_PREFIX = "cotenant.dev/";

  private static final ObjectMapper STRICT = strictMapper();

  private final JobLimitsConfig limits;
  // The engine's policy names are the truth; configuration may only narrow them.
  private final List<String> allowedPolicies;

  public JobValidator(JobLimitsConfig limits) {
    this.limits = limits;
    this.allowedPolicies =
        limits
            .policies()
            .orElseGet(
                () ->
                    List.copyOf(
                        new TreeSet<>(Policies.builtIn(Policies.defaultRegistry()).keySet())));
  }

  public JobSpec validate(byte[] body) {
    if (body == null || body.length == 0) {
      throw new InvalidJobException("", "a job body is required");
    }
    String text;
    try {
      // Strictly, before Jackson: its byte parser decodes overlong forms (an overlong '/' would
      // pass the image check as a real '/') and code points past U+10FFFF.
      text = StrictText.decodeUtf8(body);
    } catch (StrictText.MalformedUtf8Exception e) {
      throw new InvalidJobException("", e.getMessage());
    }
    JsonNode tree;
    try {
      tree = STRICT.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidJobException(
          pathOf(e), "malformed JSON: " + e.getOriginalMessage().replaceAll("\\s+", " "));
    } catch (IOException e) {
      throw new InvalidJobException("", "unreadable body");
    }
    if (tree == null || tree.isMissingNode()) {
      throw new InvalidJobException("", "a job body is required");
    }
    if (!tree.isObject()) {
      throw new InvalidJobException("", "a job must be a JSON object");
    }
    // A \\uD800 escape is valid JSON but no text: PostgreSQL would store it as '?'.
    StrictText.illFormed(tree)
        .ifPresent(
            pointer -> {
              throw new InvalidJobException(
                  fieldOf(pointer), "holds a lone surrogate (\\uD800-\\uDFFF), which is not text");
            });
    JobRequest request;
    try {
      request = STRICT.treeToValue(tree, JobRequest.class);
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidJobException(pathOf(e), "unknown field");
    } catch (JsonMappingException e) {
      throw new InvalidJobException(pathOf(e), "wrong type: " + typeMessage(e));
    } catch (JsonProcessingException e) {
      throw new InvalidJobException(pathOf(e), "wrong type or out of range");
    }
    return validate(request);
  }

  public JobSpec validate(JobRequest r) {
    List<Violation> v = new ArrayList<>();
    String name = required(v, "name", r.name());
    if (name != null && (name.length() > 63 || !DNS_LABEL.matcher(name).matches())) {
      v.add(
          new Violation(
              "name", "must be a DNS-1123 label: a-z, 0-9 and '-', at most 63 characters"));
    }
    String image = required(v, "image", r.image());
    if (image != null && (image.length() > 512 || !IMAGE.matcher(image).matches())) {
      v.add(new Violation("image", "not an image reference like registry/repo/name:tag"));
      image = null;
    } else if (image != null && !registryPortInRange(image)) {
      v.add(new Violation("image", "the registry's port must be between 1 and 65535"));
      image = null;
    }
    String app = r.app();
    if (app == null && image != null) {
      app = JobSpec.repositoryName(image);
    }
    if (app != null && (app.length() > 63 || !APP.matcher(app).matches())) {
      v.add(new Violation("app", "must be lower-case a-z, 0-9, '-', '_' or '.', at most 63"));
    }
    List<String> command = strings(v, "command", r.command());
    List<String> args = strings(v, "args", r.args());
    if (command.size() + args.size() > limits.maxArguments()) {
      v.add(new Violation("args", "command and args hold at most " + limits.maxArguments()));
    }
    Map<String, String> env = env(v, r.env());
    JobSpec.JobKind kind = kind(v, r.kind());
    JobSpec.Replicas replicas = replicas(v, r.replicas(), r.maxReplicas());
    JobSpec.Resources resources = resources(v, r.resources());
    int priority = r.priority() == null ? 0 : r.priority();
    if (priority < limits.minPriority() || priority > limits.maxPriority()) {
      v.add(
          new Violation(
              "priority",
              "must be between " + limits.minPriority() + " and " + limits.maxPriority()));
    }
    if (r.policy() != null && !allowedPolicies.contains(r.policy())) {
      v.add(new Violation("policy", "unknown policy; one of " + allowedPolicies));
    }
    Map<String, String> labels = metadata(v, "labels", r.labels(), true);
    Map<String, String> annotations = metadata(v, "annotations", r.annotations(), false);
    List<Integer> ports = ports(v, r.ports(), kind);
    Double work = r.work();
    if (work != null && !(work > 0 && Double.isFinite(work))) {
      v.add(new Violation("work", "must be a finite number > 0 (in the app's own unit)"));
    }
    if (!v.isEmpty()) {
      throw new InvalidJobException(v);
    }
    return new JobSpec(
        name,
        app,
        image,
        command,
        args,
        env,
        kind,
        replicas,
        resources,
        priority,
        Optional.ofNullable(r.policy()),
        labels,
        annotations,
        ports,
        Optional.ofNullable(work));
  }

  /**
   * NUL and the other C0 controls (TAB, LF and CR aside) end up in a container's argv or
   * environment, where the runtime refuses them when the pod starts, far from the request.
   */
  private static void control(List<Violation> v, String field, String value) {
    int at = StrictText.firstControl(value);
    if (at >= 0) {
      v.add(
          new Violation(
              field,
              String.format(
                  "holds the control character U+%04X at %d (only TAB, LF and CR are allowed)",
                  (int) value.charAt(at), at)));
    }
  }

  /** The grammar allows five digits after the registry host; a port is at most 65535. */
  static boolean registryPortInRange(String image) {
    Matcher m = IMAGE.matcher(image);
    if (!m.matches() || m.group("port") == null) {
      return true;
    }
    int port = Integer.parseInt(m.group("port"));
    return port >= 1 && port <= 65535;
  }

  /** A JSON Pointer into a job ({@code /env/A}, {@code /args/2}) as violations name fields. */
  static String fieldOf(String pointer) {
    StringBuilder field = new StringBuilder();
    String parent = null;
    for (String raw : pointer.substring(pointer.isEmpty() ? 0 : 1).split("/", -1)) {
      if (pointer.isEmpty()) {
        break;
      }
      String segment = raw.replace("~1", "/").replace("~0", "~");
      if (parent != null && MAPS.contains(parent) && field.indexOf("[") < 0) {
        field.append("[\"").append(segment).append("\"]");
      } else if (!segment.isEmpty() && segment.chars().allMatch(Character::isDigit)) {
        field.append('[').append(segment).append(']');
      } else {
        field.append(field.isEmpty() ? "" : ".").append(segment);
      }
      parent = segment;
    }
    return field.toString();
  }

  private static final java.util.Set<String> MAPS =
      java.util.Set.of("env", "labels", "annotations");

  private static String required(List<Violation> v, String field, String value) {
    if (value == null || value.isBlank()) {
      v.add(new Violation(field, "is required"));
      return null;
    }
    return value;
  }

  private List<String> strings(List<Violation> v, String field, List<String> values) {
    if (values == null) {
      return List.of();
    }
    for (int i = 0; i < values.size(); i++) {
      String s = values.get(i);
      if (s == null) {
        v.add(new Violation(field + "[" + i + "]", "must be a string, not null"));
      } else if (s.length() > limits.maxArgumentLength()) {
        v.add(
            new Violation(
                field + "[" + i + "]",
                "longer than " + limits.maxArgumentLength() + " characters"));
      } else {
        control(v, field + "[" + i + "]", s);
      }
    }
    return values.stream().map(s -> s == null ? "" : s).toList();
  }

  private Map<String, String> env(List<Violation> v, Map<String, String> env) {
    if (env == null) {
      return Map.of();
    }
    if (env.size() > limits.maxEnv()) {
      v.add(new Violation("env", "at most " + limits.maxEnv() + " variables"));
    }
    env.forEach(
        (key, value) -> {
          String field = "env[\"" + key + "\"]";
          if (!ENV_NAME.matcher(key).matches()) {
            v.add(
                new Violation(field, "not an environment variable name ([A-Za-z_][A-Za-z0-9_]*)"));
          }
          if (value == null) {
            v.add(new Violation(field, "must be a string, not null"));
          } else if (value.length() > limits.maxEnvValueLength()) {
            v.add(
                new Violation(field, "longer than " + limits.maxEnvValueLength() + " characters"));
          } else {
            control(v, field, value);
          }
        });
    return withoutNullValues(env);
  }

  private static JobSpec.JobKind kind(List<Violation> v, String kind) {
    if (kind == null || kind.equals("batch")) {
      return JobSpec.JobKind.BATCH;
    }
    if (kind.equals("interactive")) {
      return JobSpec.JobKind.INTERACTIVE;
    }
    v.add(new Violation("kind", "must be \"batch\" or \"interactive\""));
    return JobSpec.JobKind.BATCH;
  }

  /**
   * The declared ports, in the given order. An interactive job that declares none gets the default
   * written into its spec, so the stored job, the event and the idempotency hash all say what its
   * Service will expose (and {@code []} and an absent field are the same request).
   */
  private List<Integer> ports(List<Violation> v, List<Integer> ports, JobSpec.JobKind kind) {
    if (ports == null || ports.isEmpty()) {
      return kind == JobSpec.JobKind.INTERACTIVE
          ? List.of(JobSpec.DEFAULT_INTERACTIVE_PORT)
          : List.of();
    }
    if (ports.size() > limits.maxPorts()) {
      v.add(new Violation("ports", "at most " + limits.maxPorts() + " ports"));
    }
    Map<Integer, Integer> firstIndex = new java.util.HashMap<>();
    for (int i = 0; i < ports.size(); i++) {
      Integer port = ports.get(i);
      String field = "ports[" + i + "]";
      if (port == null) {
        v.add(new Violation(field, "must be a whole number, not null"));
      } else if (port < 1 || port > 65535) {
        v.add(new Violation(field, "must be between 1 and 65535"));
      } else {
        Integer first = firstIndex.putIfAbsent(port, i);
        if (first != null) {
          v.add(new Violation(field, "duplicates ports[" + first + "]"));
        }
      }
    }
    return ports.stream().map(p -> p == null ? 0 : p).toList();
  }

  private JobSpec.Replicas replicas(List<Violation> v, JsonNode replicas, Integer maxReplicas) {
    int max = limits.maxReplicas();
    if (replicas != null && replicas.isTextual() && replicas.asText().equals("auto")) {
      if (maxReplicas == null) {
        v.add(new Violation("maxReplicas", "is required with replicas \"auto\""));
        return JobSpec.Replicas.upTo(1);
      }
      if (maxReplicas < 1 || maxReplicas > max) {
        v.add(new Violation("maxReplicas", "must be between 1 and " + max));
      }
      return JobSpec.Replicas.upTo(maxReplicas);
    }
    if (maxReplicas != null) {
      v.add(new Violation("maxReplicas", "only with replicas \"auto\""));
    }
    if (replicas == null || replicas.isNull()) {
      return JobSpec.Replicas.fixed(1);
    }
    if (!replicas.isIntegralNumber() || !replicas.canConvertToInt()) {
      v.add(new Violation("replicas", "must be a whole number or \"auto\""));
      return JobSpec.Replicas.fixed(1);
    }
    int count = replicas.intValue();
    if (count < 1 || count > max) {
      v.add(new Violation("replicas", "must be between 1 and " + max));
    }
    return JobSpec.Replicas.fixed(count);
  }

  private JobSpec.Resources resources(List<Violation> v, JobRequest.Resources r) {
    if (r == null) {
      v.add(new Violation("resources", "is required (cpuMilli and memoryMiB per replica)"));
      return new JobSpec.Resources(0, 0, JobSpec.GpuRequest.none());
    }
    long cpu = range(v, "resources.cpuMilli", r.cpuMilli(), 1, limits.maxCpuMilli(), true);
    long mem = range(v, "resources.memoryMiB", r.memoryMiB(), 1, limits.maxMemoryMiB(), true);
    return new JobSpec.Resources(cpu, mem, gpu(v, r.gpu()));
  }

  private JobSpec.GpuRequest gpu(List<Violation> v, JobRequest.Gpu gpu) {
    if (gpu == null) {
      return JobSpec.GpuRequest.none();
    }
    if (gpu.count() != null && (gpu.milli() != null || gpu.memoryMiB() != null)) {
      v.add(
          new Violation(
              "resources.gpu", "either count (whole GPUs) or milli with memoryMiB (a share)"));
      return JobSpec.GpuRequest.none();
    }
    if (gpu.count() != null) {
      int count =
          (int)
              range(
                  v,
                  "resources.gpu.count",
                  (long) gpu.count(),
                  0,
                  limits.maxGpusPerReplica(),
                  true);
      return JobSpec.GpuRequest.whole(count);
    }
    if (gpu.milli() == null && gpu.memoryMiB() == null) {
      return JobSpec.GpuRequest.none();
    }
    int milli = (int) range(v, "resources.gpu.milli", toLong(gpu.milli()), 1, 1000, true);
    long memory =
        range(v, "resources.gpu.memoryMiB", gpu.memoryMiB(), 1, limits.maxGpuMemoryMiB(), true);
    return JobSpec.GpuRequest.share(milli, memory);
  }

  private static Long toLong(Integer value) {
    return value == null ? null : value.longValue();
  }

  private static long range(
      List<Violation> v, String field, Long value, long min, long max, boolean required) {
    if (value == null) {
      if (required) {
        v.add(new Violation(field, "is required"));
      }
      return min;
    }
    if (value < min || value > max) {
      v.add(new Violation(field, "must be between " + min + " and " + max));
    }
    return value;
  }

  private Map<String, String> metadata(
      List<Violation> v, String field, Map<String, String> entries, boolean labelValues) {
    if (entries == null) {
      return Map.of();
    }
    if (entries.size() > limits.maxLabels()) {
      v.add(new Violation(field, "at most " + limits.maxLabels() + " entries"));
    }
    int size = 0;
    for (var entry : entries.entrySet()) {
      String key = entry.getKey();
      String value = entry.getValue();
      String path = field + "[\"" + key + "\"]";
      keyProblem(key).ifPresent(problem -> v.add(new Violation(path, problem)));
      if (value == null) {
        v.add(new Violation(path, "must be a string, not null"));
      } else if (labelValues
          && !value.isEmpty()
          && (value.length() > 63 || !LABEL_NAME.matcher(value).matches())) {
        v.add(new Violation(path, "a label value is at most 63 of A-Z, a-z, 0-9, '-', '_', '.'"));
      } else if (value != null) {
        control(v, path, value);
      }
      size += key.length() + (value == null ? 0 : value.length());
    }
    if (!labelValues && size > limits.maxAnnotationsSize()) {
      v.add(new Violation(field, "larger than " + limits.maxAnnotationsSize() + " characters"));
    }
    return withoutNullValues(entries);
  }

  /** Kubernetes' qualified name: an optional DNS-subdomain prefix and '/', then a name. */
  static Optional<String> keyProblem(String key) {
    if (key.startsWith(RESERVED_PREFIX)) {
      return Optional.of("the prefix " + RESERVED_PREFIX + " is reserved for Cotenant");
    }
    int slash = key.indexOf('/');
    String prefix = slash < 0 ? null : key.substring(0, slash);
    String name = slash < 0 ? key : key.substring(slash + 1);
    boolean ok =
        (prefix == null || (prefix.length() <= 253 && DNS_SUBDOMAIN.matcher(prefix).matches()))
            && name.length() <= 63
            && LABEL_NAME.matcher(name).matches();
    return ok
        ? Optional.empty()
        : Optional.of("not a qualified name ([prefix/]name, name at most 63 characters)");
  }

  private static Map<String, String> withoutNullValues(Map<String, String> map) {
    Map<String, String> copy = new java.util.HashMap<>();
    map.forEach((k, val) -> copy.put(k, val == null ? "" : val));
    return copy;
  }

  /** What the field should have been, in JSON terms rather than Java's. */
  private static String typeMessage(JsonMappingException e) {
    if (e.getPath().size() == 1 && "ports".equals(e.getPath().get(0).getFieldName())) {
      return "expected an array of whole numbers"; // the one array that is not of strings
    }
    Class<?> target =
        e instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
    if (target == null) {
      return "not the expected JSON type";
    }
    if (Number.class.isAssignableFrom(target) || target.isPrimitive()) {
      return "expected a whole number";
    }
    if (target == String.class) {
      return "expected a string";
    }
    if (java.util.Collection.class.isAssignableFrom(target)) {
      return "expected an array of strings";
    }
    return "expected an object";
  }

  /** The field path of a Jackson error: {@code resources.gpu.milli}, {@code args[2]}. */
  static String pathOf(JsonProcessingException e) {
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      StringBuilder path = new StringBuilder();
      for (JsonMappingException.Reference ref : mapping.getPath()) {
        if (ref.getIndex() >= 0) {
          path.append('[').append(ref.getIndex()).append(']');
        } else if (ref.getFrom() instanceof Map<?, ?>) {
          path.append("[\"").append(ref.getFieldName()).append("\"]");
        } else {
          path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
        }
      }
      return path.toString();
    }
    if (e instanceof StreamReadException read && read.getProcessor() != null) {
      // Named as every other violation is (env["A"], command[0]), not as a dotted pointer.
      return fieldOf(read.getProcessor().getParsingContext().pathAsPointer().toString());
    }
    return "";
  }

  private static ObjectMapper strictMapper() {
    JsonMapper mapper =
        JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    for (LogicalType type :
        List.of(LogicalType.Textual, LogicalType.Integer, LogicalType.Boolean)) {
      mapper
          .coercionConfigFor(type)
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    // Textual targets must accept strings, and whole numbers must accept integers.
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.TryConvert);
    mapper
        .coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert);
    // Decimal fields (work) take JSON numbers only: not "12", "NaN", true or "".
    mapper
        .coercionConfigFor(LogicalType.Float)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return mapper;
  }
}
