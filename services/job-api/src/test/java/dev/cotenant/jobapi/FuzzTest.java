package dev.cotenant.jobapi;

import static dev.cotenant.jobapi.support.JobApiTestResource.DATABASE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cotenant.events.Topics;
import dev.cotenant.jobapi.rest.JobResource;
import dev.cotenant.jobapi.support.JobApiTestResource;
import dev.cotenant.jobapi.support.Jobs;
import dev.cotenant.jobapi.support.RawHttp;
import dev.cotenant.testsupport.EventTopics;
import dev.cotenant.testsupport.LogCapture;
import dev.cotenant.testsupport.TestStack;
import dev.cotenant.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 16's fuzz, seeded: valid jobs mutated field by field (wrong types, out of range, huge, bad
 * UTF-8, lone surrogates, control characters, unknown fields, duplicate keys, deep nesting), header
 * variants (Content-Type, Idempotency-Key, Authorization) over keep-alive connections, and a share
 * of hand-framed requests through {@link RawHttp}. Asserted for every request: no 5xx; every 4xx is
 * problem+json and names the mutated field or header; then, for the run: exactly the accepted jobs
 * are stored and published, and nothing is logged as an error or with a stack trace.
 *
 * <p>Not generated, because Vert.x still answers them with an empty body before any application
 * code runs (see the README's Input rules): request lines over 4 KiB (414), header blocks over 20
 * KiB (431) and two {@code Content-Length}s.
 */
@QuarkusTest
@WithTestResource(JobApiTestResource.class)
class FuzzTest {
  private static final long SEED = 16;
  private static final int REQUESTS = 3_000;
  private static final Duration BUDGET = Duration.ofSeconds(40);
  private static final String TENANT = "fuzz";
  private static final String TOKEN = Tokens.user(TENANT);
  private static final String MARK = "@@MARK@@";
  private static final HexFormat HEX = HexFormat.of();

  /** One field of the valid job: its path in the tree and its name as violations give it. */
  record Target(List<Object> path, String field, Kind kind) {}

  enum Kind {
    STRING,
    NUMBER,
    ARRAY,
    OBJECT,
    MAP
  }

  private static final List<Target> TARGETS =
      List.of(
          target("name", Kind.STRING),
          target("image", Kind.STRING),
          target("app", Kind.STRING),
          target("command", Kind.ARRAY),
          new Target(List.of("command", 0), "command[0]", Kind.STRING),
          target("args", Kind.ARRAY),
          new Target(List.of("args", 1), "args[1]", Kind.STRING),
          target("env", Kind.MAP),
          new Target(List.of("env", "BATCH_SIZE"), "env[\"BATCH_SIZE\"]", Kind.STRING),
          target("kind", Kind.STRING),
          target("replicas", Kind.NUMBER),
          target("maxReplicas", Kind.NUMBER),
          target("resources", Kind.OBJECT),
          new Target(List.of("resources", "cpuMilli"), "resources.cpuMilli", Kind.NUMBER),
          new Target(List.of("resources", "memoryMiB"), "resources.memoryMiB", Kind.NUMBER),
          new Target(List.of("resources", "gpu"), "resources.gpu", Kind.OBJECT),
          new Target(List.of("resources", "gpu", "milli"), "resources.gpu.milli", Kind.NUMBER),
          new Target(
              List.of("resources", "gpu", "memoryMiB"), "resources.gpu.memoryMiB", Kind.NUMBER),
          target("priority", Kind.NUMBER),
          target("policy", Kind.STRING),
          target("labels", Kind.MAP),
          new Target(List.of("labels", "team"), "labels[\"team\"]", Kind.STRING),
          target("annotations", Kind.MAP),
          new Target(
              List.of("annotations", "example.com/owner"),
              "annotations[\"example.com/owner\"]",
              Kind.STRING),
          target("ports", Kind.ARRAY),
          new Target(List.of("ports", 0), "ports[0]", Kind.NUMBER));

  /**
   * Fields a violation may name instead of the mutated one, because a rule spans both (auto
   * replicas need maxReplicas; command and args share one limit; a GPU count excludes a share).
   */
  private static final Map<String, List<String>> RELATED =
      Map.of(
          "replicas", List.of("maxReplicas"),
          "maxReplicas", List.of("replicas"),
          "command", List.of("args"),
          "command[0]", List.of("args"),
          "image", List.of("app"),
          "kind", List.of("ports"));

  private static Target target(String field, Kind kind) {
    return new Target(List.of(field), field, kind);
  }

  /**
   * One generated request. {@code fields}: what a 4xx must name (any one of them, or a parent or
   * child of one); {@code status}: the status it must get, or 0 if either outcome is right.
   */
  record Case(
      String description,
      String method,
      Map<String, List<String>> headers,
      byte[] body,
      boolean raw,
      String rawHead,
      int status,
      List<String> fields) {}

  /** What came back. */
  record Outcome(Case c, int status, String contentType, String authenticate, String body) {}

  private final Map<String, String> accepted = new ConcurrentHashMap<>();
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger sent = new AtomicInteger();
  private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();

  @Test
  void generatedRequestsAreRefusedAsProblemsAndLeaveNoTrace() throws Exception {
    awaitOutboxDrained();
    long offsetsBefore = offsets();
    long storedBefore = DATABASE.count("select count(*) from job where tenant = ?", TENANT);
    assertThat(storedBefore).as("a tenant of its own").isZero();

    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    Random random = new Random(SEED);
    List<Supplier<List<Outcome>>> work = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      work.add(generate(random, i, client));
    }

    long start = System.nanoTime();
    long deadline = start + BUDGET.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (LogCapture log = LogCapture.start()) {
      List<Future<?>> done = new ArrayList<>();
      for (Supplier<List<Outcome>> w : work) {
        done.add(
            pool.submit(
                () -> {
                  if (System.nanoTime() < deadline) {
                    w.get().forEach(this::check);
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(BUDGET.toSeconds() + 30, TimeUnit.SECONDS);
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      System.out.printf(
          "FuzzTest: %d requests in %d ms (seed %d), statuses %s, %d jobs accepted%n",
          sent.get(), took.toMillis(), SEED, new java.util.TreeMap<>(statuses), accepted.size());

      assertThat(failures).as("requests answered wrongly (of %d)", sent.get()).isEmpty();
      assertThat(sent.get()).as("requests sent within %s", BUDGET).isGreaterThanOrEqualTo(2_000);
      // The generator makes valid requests too: a server that refused everything would not pass.
      assertThat(accepted.size()).as("accepted jobs").isGreaterThan(sent.get() / 20);

      // Exactly the accepted jobs are stored, each once; nothing of a refused request.
      List<String> stored =
          DATABASE.rows("select id::text as id from job where tenant = ?", TENANT).stream()
              .map(r -> (String) r.get("id"))
              .toList();
      assertThat(new HashSet<>(stored)).isEqualTo(new HashSet<>(accepted.values()));
      assertThat(stored).hasSize(accepted.size());
      // And published: one JobSubmitted per accepted job, no more (the relay is asynchronous).
      long wanted = offsetsBefore + accepted.size();
      long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (offsets() < wanted && System.nanoTime() < waitUntil) {
        Thread.sleep(100);
      }
      Thread.sleep(500);
      assertThat(offsets()).as("records published").isEqualTo(wanted);
      log.close();
      assertThat(log.problems()).as("ERRORs and stack traces logged").isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  private static long offsets() {
    return EventTopics.endOffsets(
        TestStack.get().kafka().bootstrapServers(), Topics.JOB_SUBMISSIONS, Topics.JOB_EVENTS);
  }

  /** Other tests' submissions are published before the baseline is taken. */
  private static void awaitOutboxDrained() throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (DATABASE.count("select count(*) from outbox where sent_at is null") > 0
        && System.nanoTime() < until) {
      Thread.sleep(100);
    }
  }

  // ---- checks

  private void check(Outcome o) {
    sent.incrementAndGet();
    statuses.computeIfAbsent(o.status(), s -> new AtomicInteger()).incrementAndGet();
    Case c = o.c();
    String what = c.description() + " -> " + o.status() + " " + abbreviate(o.body());
    if (o.status() >= 500 || o.status() < 200) {
      failures.add("server error or no answer: " + what);
      return;
    }
    if (c.status() != 0 && o.status() != c.status()) {
      failures.add("expected " + c.status() + ": " + what);
      return;
    }
    if (o.status() == 202) {
      JsonNode job = parse(o.body());
      if (job == null || !job.path("id").isTextual()) {
        failures.add("202 without a job: " + what);
        return;
      }
      accepted.put(job.path("id").asText(), job.path("id").asText());
      return;
    }
    if (o.status() < 400) {
      if (c.status() != 0) {
        failures.add("unexpected status: " + what);
      }
      return;
    }
    if (!o.contentType().startsWith("application/problem+json")) {
      failures.add("not problem+json (" + o.contentType() + "): " + what);
      return;
    }
    JsonNode problem = parse(o.body());
    if (problem == null
        || problem.path("status").asInt() != o.status()
        || problem.path("title").asText().isBlank()) {
      failures.add("not a problem: " + what);
      return;
    }
    if (o.status() == 401 && !o.authenticate().startsWith("Bearer")) {
      failures.add("401 without a Bearer challenge: " + what);
      return;
    }
    if (!c.fields().isEmpty() && (o.status() == 400 || o.status() == 415)) {
      List<String> named = new ArrayList<>();
      problem.path("violations").forEach(v -> named.add(v.path("field").asText()));
      if (named.stream().noneMatch(n -> c.fields().stream().anyMatch(f -> related(n, f)))) {
        failures.add("names " + named + ", not " + c.fields() + ": " + what);
      }
    }
  }

  /** Whether a violation of {@code named} is about {@code field}: it, a parent, or a child. */
  private static boolean related(String named, String field) {
    for (String f : concat(field, RELATED.getOrDefault(field, List.of()))) {
      if (named.equals(f)
          || (!named.isEmpty() && f.startsWith(named + "."))
          || (!named.isEmpty() && f.startsWith(named + "["))
          || named.startsWith(f + ".")
          || named.startsWith(f + "[")) {
        return true;
      }
    }
    return false;
  }

  private static List<String> concat(String first, List<String> rest) {
    List<String> all = new ArrayList<>(rest);
    all.add(0, first);
    return all;
  }

  private static JsonNode parse(String body) {
    try {
      return Jobs.JSON.readTree(body);
    } catch (Exception e) {
      return null;
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }

  // ---- generation

  private Supplier<List<Outcome>> generate(Random random, int i, HttpClient client) {
    int roll = random.nextInt(100);
    if (roll < 62) {
      Case c = bodyCase(random, i);
      return () -> List.of(send(client, c));
    } else if (roll < 72) {
      Case c = contentTypeCase(random, i);
      return () -> List.of(c.raw() ? sendRaw(c) : send(client, c));
    } else if (roll < 80) {
      return idempotencyCase(random, i, client);
    } else if (roll < 87) {
      Case c = authCase(random, i);
      return () -> List.of(send(client, c));
    } else {
      Case c = framingCase(random, i);
      return () -> List.of(sendRaw(c));
    }
  }

  private static Map<String, List<String>> headers(String... pairs) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int k = 0; k < pairs.length; k += 2) {
      headers.computeIfAbsent(pairs[k], x -> new ArrayList<>()).add(pairs[k + 1]);
    }
    return headers;
  }

  private static Map<String, List<String>> standard() {
    return headers("Authorization", "Bearer " + TOKEN, "Content-Type", "application/json");
  }

  private static byte[] utf8(JsonNode job) {
    return job.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A valid job with the target's value set to {@code value} (or removed, for null). */
  private static ObjectNode with(String name, Target t, JsonNode value) {
    ObjectNode job = Jobs.valid(name);
    JsonNode parent = job;
    List<Object> path = t.path();
    for (int k = 0; k < path.size() - 1; k++) {
      Object seg = path.get(k);
      JsonNode child = seg instanceof Integer n ? parent.get(n) : parent.get((String) seg);
      if (child == null) {
        // an optional field the valid job leaves out (ports): made for the mutation
        child =
            path.get(k + 1) instanceof Integer
                ? Jobs.JSON.createArrayNode()
                : Jobs.JSON.createObjectNode();
        ((ObjectNode) parent).set((String) seg, child);
      }
      parent = child;
    }
    Object last = path.get(path.size() - 1);
    if (parent instanceof ObjectNode object) {
      if (value == null) {
        object.remove((String) last);
      } else {
        object.set((String) last, value);
      }
    } else if (parent instanceof ArrayNode array) {
      JsonNode element = value == null ? Jobs.JSON.nullNode() : value;
      if ((Integer) last < array.size()) {
        array.set((Integer) last, element);
      } else {
        array.add(element);
      }
    }
    return job;
  }

  /** A valid job whose target's value is the raw JSON (or raw bytes) {@code fragment}. */
  private static byte[] withRaw(String name, Target t, byte[] fragment) {
    byte[] plain = utf8(with(name, t, Jobs.JSON.getNodeFactory().textNode(MARK)));
    return replace(plain, "\"" + MARK + "\"", fragment);
  }

  private static byte[] replace(byte[] plain, String marker, byte[] bytes) {
    String text = new String(plain, StandardCharsets.ISO_8859_1);
    int at = text.indexOf(marker);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(plain, 0, at);
    out.writeBytes(bytes);
    out.write(plain, at + marker.length(), plain.length - at - marker.length());
    return out.toByteArray();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String valueOf(Target t) {
    JsonNode node = Jobs.valid("x");
    for (Object seg : t.path()) {
      node = seg instanceof Integer n ? node.path(n) : node.path((String) seg);
    }
    return node.isMissingNode() ? null : node.toString();
  }

  private static final String[] WRONG_TYPES = {
    "42",
    "-7",
    "1.5",
    "true",
    "false",
    "null",
    "\"text\"",
    "\"\"",
    "[]",
    "[1,\"a\"]",
    "{}",
    "{\"a\":1}"
  };

  private static final String[] NUMBERS = {
    "0",
    "-1",
    "1",
    "-0",
    "1e2",
    "1E-7",
    "0.0",
    "256",
    "257",
    "1000",
    "1001",
    "-1000",
    "-1001",
    "65535",
    "65536",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999999",
    "1e400",
    "-1e400",
    "1.7976931348623157e309"
  };

  private static final String[] BAD_UTF8 = {
    "c080",
    "c1bf",
    "e080af",
    "f08080af",
    "eda080",
    "edbfbf",
    "f4908080",
    "f5808080",
    "ff",
    "fe",
    "80",
    "c3",
    "e282",
    "c341",
    "f0908d"
  };

  private static final String[] SURROGATES = {"\\ud800", "\\udfff", "a\\udbffb", "\\ude00\\ud83d"};

  private Case bodyCase(Random random, int i) {
    Target t = TARGETS.get(random.nextInt(TARGETS.size()));
    String name = "fz-" + i;
    int kind = random.nextInt(11);
    String d = "body " + t.field() + " ";
    List<String> field = List.of(t.field());
    List<String> whole = List.of("");
    switch (kind) {
      case 0 -> {
        String v = WRONG_TYPES[random.nextInt(WRONG_TYPES.length)];
        return bodyCase(d + "as " + v, withRaw(name, t, ascii(v)), 0, field);
      }
      case 1 -> {
        String v = NUMBERS[random.nextInt(NUMBERS.length)];
        return bodyCase(d + "= " + v, withRaw(name, t, ascii(v)), 0, field);
      }
      case 2 -> {
        String v = huge(random, t);
        // a number past Jackson's 1,000 digits is refused while reading: the body as a whole
        List<String> named = v.startsWith("9") ? List.of(t.field(), "") : field;
        return bodyCase(d + "huge " + v.length(), withRaw(name, t, ascii(v)), 0, named);
      }
      case 3 -> {
        String hex = BAD_UTF8[random.nextInt(BAD_UTF8.length)];
        byte[] v = RawHttp.concat(ascii("\"ab"), RawHttp.concat(HEX.parseHex(hex), ascii("\"")));
        return bodyCase(d + "with bytes " + hex, withRaw(name, t, v), 400, whole);
      }
      case 4 -> {
        String s = SURROGATES[random.nextInt(SURROGATES.length)];
        if (t.kind() == Kind.MAP && random.nextBoolean()) {
          // in a key of the map: named as the entry
          byte[] v = ascii("{\"k" + s + "\":\"v\"}");
          return bodyCase(d + "key " + s, withRaw(name, t, v), 400, field);
        }
        return bodyCase(d + "with " + s, withRaw(name, t, ascii("\"x" + s + "y\"")), 400, field);
      }
      case 5 -> {
        int c = random.nextInt(0x20);
        if (c == '\t' || c == '\n' || c == '\r') {
          c = 0;
        }
        boolean escaped = random.nextInt(3) > 0;
        byte[] v =
            escaped
                ? ascii(String.format("\"a\\u%04xb\"", c))
                : RawHttp.concat(ascii("\"a"), new byte[] {(byte) c, 'b', '"'});
        String how = escaped ? "escaped" : "raw";
        return bodyCase(d + how + " control " + c, withRaw(name, t, v), 400, field);
      }
      case 6 -> {
        if (t.kind() != Kind.OBJECT && !t.path().isEmpty()) {
          // unknown at the top level or in resources/gpu
          List<String> objects = List.of("", "resources", "resources.gpu");
          String parent = objects.get(random.nextInt(objects.size()));
          ObjectNode job = Jobs.valid(name);
          ObjectNode node = job;
          for (String seg : parent.isEmpty() ? new String[0] : parent.split("\\.")) {
            node = (ObjectNode) node.get(seg);
          }
          String unknown = random.nextBoolean() ? "colour" : "Name";
          node.put(unknown, 1);
          String f = parent.isEmpty() ? unknown : parent + "." + unknown;
          return bodyCase("body unknown " + f, utf8(job), 400, List.of(f));
        }
        ObjectNode job = with(name, t, Jobs.JSON.createObjectNode());
        ((ObjectNode) at(job, t)).put("zz", 1);
        return bodyCase(d + "unknown zz", utf8(job), 400, List.of(t.field() + ".zz"));
      }
      case 7 -> {
        String original = valueOf(t);
        if (original == null || t.path().get(t.path().size() - 1) instanceof Integer) {
          return bodyCase(d + "as null", withRaw(name, t, ascii("null")), 0, field);
        }
        String key = (String) t.path().get(t.path().size() - 1);
        byte[] v = ascii(original + ",\"" + key + "\":" + original);
        return bodyCase(d + "twice", withRaw(name, t, v), 400, field);
      }
      case 8 -> {
        int depth = new int[] {20, 200, 999, 1_001, 5_000}[random.nextInt(5)];
        boolean arrays = random.nextBoolean();
        String v =
            arrays
                ? "[".repeat(depth) + "]".repeat(depth)
                : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        // past Jackson's nesting limit (1,000) the parser stops: the body as a whole
        List<String> named = depth > 900 ? List.of(t.field(), "") : field;
        return bodyCase(d + "nested " + depth, withRaw(name, t, ascii(v)), 400, named);
      }
      case 9 -> {
        // valid: an in-range value of the right type, so acceptance is exercised too
        return bodyCase("valid " + d, withRaw(name, t, ascii(validValue(random, t))), 0, field);
      }
      default -> {
        return bodyCase("valid job", utf8(Jobs.valid(name)), 202, List.of());
      }
    }
  }

  private static JsonNode at(JsonNode job, Target t) {
    JsonNode node = job;
    for (Object seg : t.path()) {
      node = seg instanceof Integer n ? node.get(n) : node.get((String) seg);
    }
    return node;
  }

  private static String huge(Random random, Target t) {
    return switch (random.nextInt(4)) {
      case 0 -> "\"" + "x".repeat(new int[] {64, 256, 4_096, 70_000}[random.nextInt(4)]) + "\"";
      case 1 -> "[" + String.join(",", Collections.nCopies(5_000, "\"x\"")) + "]";
      case 2 -> {
        StringBuilder o = new StringBuilder("{");
        for (int k = 0; k < 2_000; k++) {
          o.append(k == 0 ? "" : ",").append("\"K").append(k).append("\":\"v\"");
        }
        yield o.append('}').toString();
      }
      default -> "9".repeat(1_200);
    };
  }

  private static String validValue(Random random, Target t) {
    return switch (t.field()) {
      case "replicas" -> String.valueOf(1 + random.nextInt(256));
      case "priority" -> String.valueOf(random.nextInt(2_001) - 1_000);
      case "resources.gpu.milli" -> String.valueOf(1 + random.nextInt(1_000));
      case "ports", "ports[0]" ->
          t.kind() == Kind.ARRAY ? "[" + (1 + random.nextInt(65_535)) + "]" : "8080";
      case "kind" -> "\"interactive\"";
      case "policy" -> "\"binpack\"";
      case "image" -> "\"ghcr.io:" + (1 + random.nextInt(65_535)) + "/acme/x:1\"";
      case "env[\"BATCH_SIZE\"]", "command[0]", "args[1]" -> "\"tab\\tnew line\\nok é😀\"";
      default -> valueOf(t) == null ? "null" : valueOf(t);
    };
  }

  private static Case bodyCase(String description, byte[] body, int status, List<String> fields) {
    return new Case(description, "POST", standard(), body, false, null, status, fields);
  }

  private static final List<String> GOOD_TYPES =
      List.of(
          "application/json",
          "application/json; charset=utf-8",
          "application/json;charset=UTF-8",
          "Application/JSON");
  private static final List<String> BAD_TYPES =
      List.of(
          "*/*",
          "application/*",
          "text/plain",
          "text/json",
          "application/json; charset=ISO-8859-1",
          "application/json; charset=utf-16",
          "application/merge-patch+json",
          "application/x-www-form-urlencoded",
          "json",
          ";;;");

  private Case contentTypeCase(Random random, int i) {
    byte[] body = utf8(Jobs.valid("fz-" + i));
    Map<String, List<String>> headers = headers("Authorization", "Bearer " + TOKEN);
    int pick = random.nextInt(GOOD_TYPES.size() + BAD_TYPES.size() + 2);
    if (pick < GOOD_TYPES.size()) {
      headers.put("Content-Type", List.of(GOOD_TYPES.get(pick)));
      return new Case(
          "Content-Type " + GOOD_TYPES.get(pick),
          "POST",
          headers,
          body,
          false,
          null,
          202,
          List.of());
    }
    pick -= GOOD_TYPES.size();
    if (pick < BAD_TYPES.size()) {
      headers.put("Content-Type", List.of(BAD_TYPES.get(pick)));
      return new Case(
          "Content-Type " + BAD_TYPES.get(pick),
          "POST",
          headers,
          body,
          false,
          null,
          415,
          List.of("Content-Type"));
    }
    // none at all, or an empty one (which no client library sends)
    String extra = pick == BAD_TYPES.size() ? "" : "Content-Type: \r\n";
    String head =
        "POST "
            + JobResource.PATH
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer "
            + TOKEN
            + "\r\nContent-Length: "
            + body.length
            + "\r\n"
            + extra
            + "\r\n";
    return new Case(
        "Content-Type " + (extra.isEmpty() ? "missing" : "empty"),
        "POST",
        Map.of(),
        body,
        true,
        head,
        415,
        List.of("Content-Type"));
  }

  private Supplier<List<Outcome>> idempotencyCase(Random random, int i, HttpClient client) {
    byte[] body = utf8(Jobs.valid("fz-" + i));
    String key = UUID.randomUUID().toString();
    List<String> field = List.of(JobResource.IDEMPOTENCY_KEY);
    int pick = random.nextInt(8);
    Map<String, List<String>> headers = standard();
    switch (pick) {
      case 0, 1 -> {
        // a retry: the same job, once
        headers.put(JobResource.IDEMPOTENCY_KEY, List.of(key));
        Case first = new Case("key " + key, "POST", headers, body, false, null, 202, List.of());
        Case retry = new Case("retry " + key, "POST", headers, body, false, null, 202, List.of());
        return () -> {
          Outcome a = send(client, first);
          Outcome b = send(client, retry);
          JsonNode ja = parse(a.body());
          JsonNode jb = parse(b.body());
          if (ja != null && jb != null && !ja.path("id").equals(jb.path("id"))) {
            failures.add("a retry with " + key + " made a second job");
          }
          return List.of(a, b);
        };
      }
      case 2 -> {
        // the same key with another body
        headers.put(JobResource.IDEMPOTENCY_KEY, List.of(key));
        byte[] other = utf8(Jobs.valid("fz-" + i).put("priority", 7));
        Case first = new Case("key " + key, "POST", headers, body, false, null, 202, List.of());
        Case reuse = new Case("reuse " + key, "POST", headers, other, false, null, 422, List.of());
        return () -> List.of(send(client, first), send(client, reuse));
      }
      default -> {
        List<String> values =
            switch (pick) {
              case 3 -> List.of("a b");
              case 4 -> List.of("k".repeat(256));
              case 5 -> List.of(key, UUID.randomUUID().toString());
              case 6 -> List.of((key + "k".repeat(255)).substring(0, 255));
              default -> List.of("tab\there");
            };
        headers.put(JobResource.IDEMPOTENCY_KEY, values);
        int status = pick == 6 ? 202 : 400;
        Case c =
            new Case(
                "Idempotency-Key " + abbreviate(values.toString()),
                "POST",
                headers,
                body,
                false,
                null,
                status,
                status == 400 ? field : List.of());
        return () -> List.of(send(client, c));
      }
    }
  }

  private Case authCase(Random random, int i) {
    byte[] body = utf8(Jobs.valid("fz-" + i));
    String[][] variants = {
      {null, "401"},
      {"Bearer", "401"},
      {"Bearer ", "401"},
      {"Bearer garbage", "401"},
      {"Bearer a.b.c", "401"},
      {"Basic dXNlcjpwYXNz", "401"},
      {"Bearer " + Tokens.badSignature(TENANT), "401"},
      {"Bearer " + Tokens.expired(TENANT), "401"},
      {"Bearer " + Tokens.otherIssuer(TENANT), "401"},
      {"Bearer " + TOKEN + "x", "401"},
      {"Bearer " + Tokens.withoutRole(TENANT), "403"},
      {"Bearer " + Tokens.withoutTenant(), "403"},
      {"bearer " + TOKEN, "0"},
    };
    String[] v = variants[random.nextInt(variants.length)];
    Map<String, List<String>> headers = headers("Content-Type", "application/json");
    if (v[0] != null) {
      headers.put("Authorization", List.of(v[0]));
    }
    String shown =
        v[0] == null ? "none" : abbreviate(v[0]).substring(0, Math.min(v[0].length(), 20));
    return new Case(
        "Authorization " + shown,
        "POST",
        headers,
        body,
        false,
        null,
        Integer.parseInt(v[1]),
        List.of());
  }

  private Case framingCase(Random random, int i) {
    byte[] body = utf8(Jobs.valid("fz-" + i));
    String common = "Authorization: Bearer " + TOKEN + "\r\nContent-Type: application/json\r\n";
    String path = JobResource.PATH;
    int pick = random.nextInt(13);
    return switch (pick) {
      case 0, 1 -> {
        // chunked, in random pieces, sometimes with chunk extensions: a valid job
        String te = List.of("chunked", "Chunked", " chunked ").get(random.nextInt(3));
        yield raw(
            "chunked " + te,
            "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + common + "Transfer-Encoding: " + te,
            chunked(random, body),
            202,
            List.of());
      }
      case 2 -> {
        String te =
            List.of(
                    "chunked, identity",
                    "identity",
                    "gzip, chunked",
                    "chunked, chunked",
                    "compress")
                .get(random.nextInt(5));
        yield raw(
            "Transfer-Encoding " + te,
            "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + common + "Transfer-Encoding: " + te,
            chunked(random, body),
            400,
            List.of("Transfer-Encoding"));
      }
      case 3 ->
          raw(
              "xchunked with Content-Length",
              "POST "
                  + path
                  + " HTTP/1.1\r\nHost: x\r\n"
                  + common
                  + "Transfer-Encoding: xchunked\r\nContent-Length: "
                  + body.length,
              body,
              400,
              List.of("Transfer-Encoding"));
      case 4 ->
          raw(
              "no Host",
              "POST " + path + " HTTP/1.1\r\n" + common + "Content-Length: " + body.length,
              body,
              400,
              List.of("Host"));
      case 5 ->
          raw(
              "two Hosts",
              "POST "
                  + path
                  + " HTTP/1.1\r\nHost: a\r\nHost: b\r\n"
                  + common
                  + "Content-Length: "
                  + body.length,
              body,
              400,
              List.of("Host"));
      case 6 ->
          raw(
              "HTTP/1.0 without Host",
              "POST " + path + " HTTP/1.0\r\n" + common + "Content-Length: " + body.length,
              body,
              202,
              List.of());
      case 7 -> {
        // announced over the limit: refused from the headers, the body never sent
        long length = 256 * 1024 + 1 + random.nextInt(10 * 1024 * 1024);
        yield raw(
            "Content-Length " + length,
            "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + common + "Content-Length: " + length,
            new byte[0],
            413,
            List.of(""));
      }
      case 8 -> {
        // an Idempotency-Key no client library would send: Latin-1 bytes
        yield raw(
            "Idempotency-Key in Latin-1",
            "POST "
                + path
                + " HTTP/1.1\r\nHost: x\r\n"
                + common
                + "Idempotency-Key: cl\u00e9\r\nContent-Length: "
                + body.length,
            body,
            400,
            List.of(JobResource.IDEMPOTENCY_KEY));
      }
      case 9 -> {
        // lower-case names and padding are still HTTP
        yield raw(
            "lower-case headers",
            "POST "
                + path
                + " HTTP/1.1\r\nhost:x\r\nauthorization:   Bearer "
                + TOKEN
                + "\r\ncontent-type:application/json  \r\ncontent-length: "
                + body.length,
            body,
            202,
            List.of());
      }
      case 10 -> {
        String other =
            List.of(
                    "/api/v1/nothing",
                    "/api/v1/jobs/x/y/z",
                    "/",
                    "/api/v1/jobs/" + UUID.randomUUID())
                .get(random.nextInt(4));
        yield raw(
            "POST " + other,
            "POST "
                + other
                + " HTTP/1.1\r\nHost: x\r\n"
                + common
                + "Content-Length: "
                + body.length,
            body,
            0,
            List.of());
      }
      case 12 -> {
        // a request target java.net.URI refuses: a bad or cut percent-encoding, path or query
        String target =
            List.of(
                    path + "%zz",
                    path + "%2",
                    path + "?dry=%g0",
                    "/%",
                    path + "/%ZZ/x",
                    path + "?a=%%41")
                .get(random.nextInt(6));
        yield raw(
            "target " + target,
            "POST "
                + target
                + " HTTP/1.1\r\nHost: x\r\n"
                + common
                + "Content-Length: "
                + body.length,
            body,
            400,
            List.of("request-target"));
      }
      default -> {
        String method = List.of("PUT", "DELETE", "PATCH", "OPTIONS").get(random.nextInt(4));
        yield raw(
            method + " jobs",
            method
                + " "
                + path
                + " HTTP/1.1\r\nHost: x\r\n"
                + common
                + "Content-Length: "
                + body.length,
            body,
            0,
            List.of());
      }
    };
  }

  private static byte[] chunked(Random random, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < body.length) {
      int n = Math.min(body.length - at, 1 + random.nextInt(200));
      String ext = random.nextInt(4) == 0 ? ";name=value" : "";
      out.writeBytes(ascii(Integer.toHexString(n) + ext + "\r\n"));
      out.write(body, at, n);
      out.writeBytes(ascii("\r\n"));
      at += n;
    }
    out.writeBytes(ascii("0\r\n\r\n"));
    return out.toByteArray();
  }

  private static Case raw(
      String description, String head, byte[] body, int status, List<String> f) {
    return new Case(
        "raw " + description,
        "",
        Map.of(),
        body,
        true,
        head + "\r\nConnection: close\r\n\r\n",
        status,
        f);
  }

  // ---- sending

  private static Outcome send(HttpClient client, Case c) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + RestAssured.port + JobResource.PATH))
            .timeout(Duration.ofSeconds(15))
            .method(c.method(), HttpRequest.BodyPublishers.ofByteArray(c.body()));
    try {
      c.headers().forEach((name, values) -> values.forEach(v -> request.header(name, v)));
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Outcome(
          c,
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.headers().firstValue("WWW-Authenticate").orElse(""),
          response.body());
    } catch (Exception e) {
      return new Outcome(c, -1, "", "", e.toString());
    }
  }

  private static Outcome sendRaw(Case c) {
    try {
      RawHttp.Reply reply = RawHttp.exchange(c.rawHead(), c.body());
      return new Outcome(
          c,
          reply.status(),
          reply.header("Content-Type"),
          reply.header("WWW-Authenticate"),
          reply.body());
    } catch (RuntimeException | AssertionError e) {
      return new Outcome(c, -1, "", "", e.toString());
    }
  }
}
