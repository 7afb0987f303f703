package dev.cotenant.jobapi;

import static dev.cotenant.jobapi.support.JobApiTestResource.DATABASE;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cotenant.events.Topics;
import dev.cotenant.jobapi.rest.JobResource;
import dev.cotenant.jobapi.support.JobApiTestResource;
import dev.cotenant.jobapi.support.Jobs;
import dev.cotenant.testsupport.EventTopics;
import dev.cotenant.testsupport.TestStack;
import dev.cotenant.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Client mistakes get 4xx problem+json naming the field; nothing is stored or published. */
@QuarkusTest
@WithTestResource(JobApiTestResource.class)
class BadRequestTest {
  private static final String TENANT = "bad-requests";
  private static final String JSON = "application/json";

  /** One bad request: how it differs from a valid one, and what the API must answer. */
  record Case(
      String description,
      Consumer<ObjectNode> change,
      String rawBody,
      String contentType,
      Map<String, String> headers,
      int status,
      String field) {
    @Override
    public String toString() {
      return description;
    }
  }

  static Case field(String description, Consumer<ObjectNode> change, String field) {
    return new Case(description, change, null, JSON, Map.of(), 400, field);
  }

  static Case raw(String description, String body, int status) {
    return new Case(description, null, body, JSON, Map.of(), status, null);
  }

  static ObjectNode child(ObjectNode job, String field) {
    return (ObjectNode) job.get(field);
  }

  static ObjectNode resources(ObjectNode job) {
    return child(job, "resources");
  }

  static ObjectNode gpu(ObjectNode job) {
    return (ObjectNode) job.get("resources").get("gpu");
  }

  static Stream<Case> badRequests() {
    return Stream.of(
        field("unknown top-level field", j -> j.put("colour", "blue"), "colour"),
        field("unknown nested field", j -> gpu(j).put("cores", 2), "resources.gpu.cores"),
        field("name is a number", j -> j.put("name", 42), "name"),
        field("replicas is a boolean", j -> j.put("replicas", true), "replicas"),
        field(
            "cpuMilli is a string",
            j -> resources(j).put("cpuMilli", "2000"),
            "resources.cpuMilli"),
        field(
            "cpuMilli is a fraction", j -> resources(j).put("cpuMilli", 1.5), "resources.cpuMilli"),
        field(
            "cpuMilli overflows a long",
            j -> resources(j).put("cpuMilli", new java.math.BigInteger("99999999999999999999999")),
            "resources.cpuMilli"),
        field("name missing", j -> j.remove("name"), "name"),
        field("name upper case", j -> j.put("name", "ResNet"), "name"),
        field("name 64 characters", j -> j.put("name", "a".repeat(64)), "name"),
        field("name starts with a dash", j -> j.put("name", "-train"), "name"),
        field("image missing", j -> j.remove("image"), "image"),
        field("image upper case", j -> j.put("image", "Acme/ResNet"), "image"),
        field("image with a space", j -> j.put("image", "acme/resnet:1 2"), "image"),
        field("app upper case", j -> j.put("app", "ResNet"), "app"),
        field(
            "env name starts with a digit", j -> child(j, "env").put("1BAD", "x"), "env[\"1BAD\"]"),
        field("env name with a dash", j -> child(j, "env").put("MY-VAR", "x"), "env[\"MY-VAR\"]"),
        field("env value is a number", j -> child(j, "env").put("N", 3), "env[\"N\"]"),
        field("command holds null", j -> j.putArray("command").addNull(), "command[0]"),
        field("args is a string", j -> j.put("args", "--epochs 3"), "args"),
        field("kind unknown", j -> j.put("kind", "daemon"), "kind"),
        field("replicas zero", j -> j.put("replicas", 0), "replicas"),
        field("replicas above the maximum", j -> j.put("replicas", 100_000), "replicas"),
        field("replicas an unknown word", j -> j.put("replicas", "many"), "replicas"),
        field("auto replicas without maxReplicas", j -> j.put("replicas", "auto"), "maxReplicas"),
        field("maxReplicas with fixed replicas", j -> j.put("maxReplicas", 4), "maxReplicas"),
        field(
            "auto replicas with maxReplicas 0",
            j -> j.put("replicas", "auto").put("maxReplicas", 0),
            "maxReplicas"),
        field("resources missing", j -> j.remove("resources"), "resources"),
        field("cpuMilli zero", j -> resources(j).put("cpuMilli", 0), "resources.cpuMilli"),
        field(
            "cpuMilli above the limit",
            j -> resources(j).put("cpuMilli", 10_000_000),
            "resources.cpuMilli"),
        field("memoryMiB negative", j -> resources(j).put("memoryMiB", -1), "resources.memoryMiB"),
        field("gpu milli above 1000", j -> gpu(j).put("milli", 1001), "resources.gpu.milli"),
        field(
            "gpu share without memory", j -> gpu(j).remove("memoryMiB"), "resources.gpu.memoryMiB"),
        field("gpu count and share together", j -> gpu(j).put("count", 1), "resources.gpu"),
        field(
            "gpu count above the limit",
            j -> resources(j).putObject("gpu").put("count", 9),
            "resources.gpu.count"),
        field("priority above the maximum", j -> j.put("priority", 5000), "priority"),
        field("policy unknown", j -> j.put("policy", "fastest"), "policy"),
        field("work negative", j -> j.put("work", -5), "work"),
        field("work zero", j -> j.put("work", 0.0), "work"),
        field(
            "work overflowing to infinity",
            j -> j.put("work", new java.math.BigDecimal("1e400")),
            "work"),
        field("work a string", j -> j.put("work", "NaN"), "work"),
        field("work a boolean", j -> j.put("work", true), "work"),
        field(
            "label key with a space",
            j -> child(j, "labels").put("bad key", "x"),
            "labels[\"bad key\"]"),
        field(
            "label value too long",
            j -> child(j, "labels").put("team", "v".repeat(64)),
            "labels[\"team\"]"),
        field(
            "annotation under the reserved prefix",
            j -> child(j, "annotations").put("cotenant.dev/gpu-index", "0"),
            "annotations[\"cotenant.dev/gpu-index\"]"),
        field("port zero", j -> j.putArray("ports").add(0), "ports[0]"),
        field("port above 65535", j -> j.putArray("ports").add(8888).add(65536), "ports[1]"),
        field("port repeated", j -> j.putArray("ports").add(8888).add(6006).add(8888), "ports[2]"),
        field("port is a string", j -> j.putArray("ports").add("8888"), "ports[0]"),
        field("port is a fraction", j -> j.putArray("ports").add(80.5), "ports[0]"),
        field("port overflows an int", j -> j.putArray("ports").add(1L << 40), "ports[0]"),
        field("port holds null", j -> j.putArray("ports").addNull(), "ports[0]"),
        field("ports is a number", j -> j.put("ports", 8888), "ports"),
        field("ports is an object", j -> j.putObject("ports").put("http", 80), "ports"),
        field(
            "seventeen ports",
            j -> {
              var ports = j.putArray("ports");
              IntStream.rangeClosed(8000, 8016).forEach(ports::add);
            },
            "ports"),
        raw("malformed JSON", "{\"name\": ", 400),
        raw("trailing garbage", Jobs.valid("trailing") + " x", 400),
        raw("empty body", "", 400),
        raw("a JSON array", "[]", 400),
        raw("duplicate key", "{\"name\": \"a\", \"name\": \"b\"}", 400),
        new Case(
            "text/plain body",
            null,
            Jobs.valid("plain").toString(),
            "text/plain",
            Map.of(),
            415,
            null),
        raw("body over the size limit", "{\"name\": \"" + "x".repeat(300 * 1024) + "\"}", 413),
        new Case(
            "Idempotency-Key too long",
            j -> {},
            null,
            JSON,
            Map.of(JobResource.IDEMPOTENCY_KEY, "k".repeat(300)),
            400,
            JobResource.IDEMPOTENCY_KEY));
  }

  @Test
  void aPortsArrayOfTheWrongTypeIsNamedAsNumbers() {
    ObjectNode job = Jobs.valid("ports-type").put("ports", "8888");
    Response response =
        given()
            .auth()
            .oauth2(Tokens.user(TENANT))
            .contentType(JSON)
            .body(job.toString())
            .post(JobResource.PATH);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.jsonPath().getList("violations.field")).containsExactly("ports");
    assertThat(response.jsonPath().getList("violations.message"))
        .containsExactly("wrong type: expected an array of whole numbers");
  }

  @Test
  void everyBadPortIsReportedAtOnce() {
    ObjectNode job = Jobs.valid("ports-all");
    job.putArray("ports").add(22).add(0).add(22).add(70000);
    Response response =
        given()
            .auth()
            .oauth2(Tokens.user(TENANT))
            .contentType(JSON)
            .body(job.toString())
            .post(JobResource.PATH);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.jsonPath().getList("violations.field"))
        .containsExactly("ports[1]", "ports[2]", "ports[3]");
    assertThat(response.jsonPath().getList("violations.message"))
        .containsExactly(
            "must be between 1 and 65535", "duplicates ports[0]", "must be between 1 and 65535");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void rejectedWithProblemNamingTheFieldAndNothingStoredOrPublished(Case c) {
    String kafka = TestStack.get().kafka().bootstrapServers();
    long jobs = DATABASE.count("select count(*) from job");
    long outbox = DATABASE.count("select count(*) from outbox");
    long offsets = EventTopics.endOffsets(kafka, Topics.JOB_SUBMISSIONS, Topics.JOB_EVENTS);

    String body = c.rawBody();
    if (c.change() != null) {
      ObjectNode job = Jobs.valid("bad");
      c.change().accept(job);
      body = job.toString();
    }
    Response response =
        given()
            .auth()
            .oauth2(Tokens.user(TENANT))
            .contentType(c.contentType())
            .headers(c.headers())
            .body(body)
            .post(JobResource.PATH);

    assertThat(response.statusCode()).as(response.asString()).isEqualTo(c.status());
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.jsonPath().getInt("status")).isEqualTo(c.status());
    assertThat(response.jsonPath().getString("title")).isNotBlank();
    if (c.field() != null) {
      List<String> fields = response.jsonPath().getList("violations.field");
      assertThat(fields).as(response.asString()).contains(c.field());
    }
    assertThat(DATABASE.count("select count(*) from job")).isEqualTo(jobs);
    assertThat(DATABASE.count("select count(*) from outbox")).isEqualTo(outbox);
    assertThat(EventTopics.endOffsets(kafka, Topics.JOB_SUBMISSIONS, Topics.JOB_EVENTS))
        .isEqualTo(offsets);
  }
}
