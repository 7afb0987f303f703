package dev.cotenant.jobapi;

import static dev.cotenant.jobapi.support.JobApiTestResource.DATABASE;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.events.CloudEventHeaders;
import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.JobCancelRequested;
import dev.cotenant.events.JobSpec;
import dev.cotenant.events.JobSubmitted;
import dev.cotenant.events.Topics;
import dev.cotenant.jobapi.rest.JobResource;
import dev.cotenant.jobapi.support.JobApiTestResource;
import dev.cotenant.jobapi.support.Jobs;
import dev.cotenant.testsupport.EventTopics;
import dev.cotenant.testsupport.TestStack;
import dev.cotenant.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(JobApiTestResource.class)
class JobSubmissionTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Duration SETTLE = Duration.ofMillis(500);

  private final String tenant = "t" + UUID.randomUUID().toString().substring(0, 8);

  @Test
  void submitAnswers202AndPublishesExactlyOneCloudEvent() {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    Response response =
        given()
            .auth()
            .oauth2(Tokens.user(tenant))
            .contentType(ContentType.JSON)
            .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
            .body(Jobs.valid("resnet-train").toString())
            .post(JobResource.PATH);

    assertThat(response.statusCode()).isEqualTo(202);
    String id = response.jsonPath().getString("id");
    assertThat(response.header("Location")).endsWith(JobResource.PATH + "/" + id);
    assertThat(response.jsonPath().getString("status")).isEqualTo("SUBMITTED");
    assertThat(response.jsonPath().getString("tenant")).isEqualTo(tenant);
    assertThat(response.jsonPath().getString("spec.app")).isEqualTo("resnet50");
    assertThat(response.jsonPath().getInt("spec.resources.gpu.milli")).isEqualTo(500);

    List<ConsumerRecord<String, CotenantEvent>> records = published(Topics.JOB_SUBMISSIONS, id, 1);
    assertThat(records).hasSize(1);
    ConsumerRecord<String, CotenantEvent> record = records.get(0);
    assertThat(header(record, CloudEventHeaders.TYPE)).contains("dev.cotenant.job.submitted");
    assertThat(header(record, CloudEventHeaders.SOURCE)).contains("/cotenant/job-api");
    assertThat(header(record, CloudEventHeaders.ID)).isPresent();
    assertThat(header(record, CloudEventHeaders.TENANT)).contains(tenant);
    // The server span continues the client's trace; the relay sends that context on.
    assertThat(header(record, "traceparent"))
        .hasValueSatisfying(tp -> assertThat(tp).contains(traceId));

    JobSubmitted event = (JobSubmitted) record.value();
    assertThat(event.eventId()).isEqualTo(header(record, CloudEventHeaders.ID).orElseThrow());
    assertThat(event.jobId()).isEqualTo(id);
    assertThat(event.tenant()).isEqualTo(tenant);
    assertThat(event.spec())
        .usingRecursiveComparison()
        .isEqualTo(
            new JobSpec(
                "resnet-train",
                "resnet50",
                "ghcr.io/acme/resnet50:1.2",
                List.of("python", "train.py"),
                List.of("--epochs", "3"),
                Map.of("BATCH_SIZE", "64"),
                JobSpec.JobKind.BATCH,
                JobSpec.Replicas.fixed(2),
                new JobSpec.Resources(2000, 4096, JobSpec.GpuRequest.share(500, 8000)),
                5,
                Optional.of("interference-aware"),
                Map.of("team", "vision"),
                Map.of("example.com/owner", "alice")));
    assertThat(
            DATABASE.count(
                "select count(*) from outbox where message_key = ? and sent_at is not null", id))
        .isEqualTo(1);
  }

  @Test
  void getReturnsTheStoredJobWithDefaults() {
    var body = Jobs.valid("defaults");
    body.remove(List.of("replicas", "kind", "priority", "policy", "command", "args", "env"));
    String id = submit(body.toString(), null).jsonPath().getString("id");

    var job = given().auth().oauth2(Tokens.user(tenant)).get(JobResource.PATH + "/" + id);
    assertThat(job.statusCode()).isEqualTo(200);
    assertThat(job.jsonPath().getInt("spec.replicas")).isEqualTo(1);
    assertThat(job.jsonPath().getString("spec.kind")).isEqualTo("batch");
    assertThat(job.jsonPath().getInt("spec.priority")).isZero();
    assertThat(job.jsonPath().getList("spec.ports")).as("a batch job serves none").isEmpty();
    assertThat(job.jsonPath().getList("endpoints")).isEmpty();
    assertThat(job.jsonPath().getString("submittedBy")).isEqualTo(tenant + "-user");
  }

  @Test
  void anInteractiveJobWithoutPortsServesTheDefaultPort() {
    var body = Jobs.valid("notebook").put("kind", "interactive");
    var response = submit(body.toString(), null);
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.jsonPath().getList("spec.ports")).containsExactly(8888);
    String id = response.jsonPath().getString("id");
    var event = (JobSubmitted) published(Topics.JOB_SUBMISSIONS, id, 1).get(0).value();
    assertThat(event.spec().kind()).isEqualTo(JobSpec.JobKind.INTERACTIVE);
    assertThat(event.spec().ports()).containsExactly(JobSpec.DEFAULT_INTERACTIVE_PORT);

    var job = given().auth().oauth2(Tokens.user(tenant)).get(JobResource.PATH + "/" + id);
    assertThat(job.jsonPath().getList("spec.ports")).containsExactly(8888);
    assertThat(job.jsonPath().getList("endpoints")).as("not placed yet").isEmpty();
  }

  @Test
  void declaredWorkTravelsToPlacement() {
    var body = Jobs.valid("steps").put("work", 50000);
    var response = submit(body.toString(), null);
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.jsonPath().getDouble("spec.work")).isEqualTo(50000.0);
    String id = response.jsonPath().getString("id");
    var event = (JobSubmitted) published(Topics.JOB_SUBMISSIONS, id, 1).get(0).value();
    assertThat(event.spec().work()).hasValue(50000.0);
  }

  @Test
  void declaredPortsTravelInTheOrderGiven() {
    var body = Jobs.valid("rstudio").put("kind", "interactive");
    body.putArray("ports").add(8787).add(6006);
    var response = submit(body.toString(), null);
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.jsonPath().getList("spec.ports")).containsExactly(8787, 6006);
    String id = response.jsonPath().getString("id");
    var event = (JobSubmitted) published(Topics.JOB_SUBMISSIONS, id, 1).get(0).value();
    assertThat(event.spec().ports()).containsExactly(8787, 6006);

    var batch = Jobs.valid("batch-with-port");
    batch.putArray("ports").add(9000);
    var batchResponse = submit(batch.toString(), null);
    assertThat(batchResponse.statusCode()).isEqualTo(202);
    assertThat(batchResponse.jsonPath().getList("spec.ports")).containsExactly(9000);
  }

  @Test
  void portsTakePartInTheIdempotencyComparison() {
    String key = UUID.randomUUID().toString();
    var implicit = Jobs.valid("nb-retried").put("kind", "interactive");
    var explicit = implicit.deepCopy();
    explicit.putArray("ports").add(8888);
    var other = implicit.deepCopy();
    other.putArray("ports").add(8889);

    Response first = submit(implicit.toString(), key);
    // The default written out is the same request: a replay.
    Response same = submit(explicit.toString(), key);
    Response conflict = submit(other.toString(), key);

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(same.statusCode()).isEqualTo(202);
    assertThat(same.header(JobResource.REPLAYED)).isEqualTo("true");
    assertThat(same.jsonPath().getString("id")).isEqualTo(first.jsonPath().getString("id"));
    assertThat(conflict.statusCode()).isEqualTo(422);
    assertThat(DATABASE.count("select count(*) from job where tenant = ?", tenant)).isEqualTo(1);
  }

  @Test
  void autoReplicasKeepTheirMaximum() {
    var body = Jobs.valid("fanout").put("replicas", "auto").put("maxReplicas", 20);
    var response = submit(body.toString(), null);
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.jsonPath().getString("spec.replicas")).isEqualTo("auto");
    assertThat(response.jsonPath().getInt("spec.maxReplicas")).isEqualTo(20);
    String id = response.jsonPath().getString("id");
    var event = (JobSubmitted) published(Topics.JOB_SUBMISSIONS, id, 1).get(0).value();
    assertThat(event.spec().replicas()).isEqualTo(JobSpec.Replicas.upTo(20));
  }

  @Test
  void aRetriedPostWithTheSameIdempotencyKeyReturnsTheSameJobAndPublishesOnce() {
    String key = UUID.randomUUID().toString();
    String body = Jobs.valid("retried").toString();
    Response first = submit(body, key);
    Response second = submit(body, key);

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(second.statusCode()).isEqualTo(202);
    String id = first.jsonPath().getString("id");
    assertThat(second.jsonPath().getString("id")).isEqualTo(id);
    assertThat(second.header(JobResource.REPLAYED)).isEqualTo("true");
    assertThat(DATABASE.count("select count(*) from job where tenant = ?", tenant)).isEqualTo(1);
    assertThat(published(Topics.JOB_SUBMISSIONS, id, 1)).hasSize(1);
  }

  @Test
  void theSameIdempotencyKeyWithAnotherBodyIsRejected() {
    String key = UUID.randomUUID().toString();
    submit(Jobs.valid("first").toString(), key);
    Response other = submit(Jobs.valid("second").toString(), key);
    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(other.contentType()).startsWith("application/problem+json");
    assertThat(DATABASE.count("select count(*) from job where tenant = ?", tenant)).isEqualTo(1);
  }

  @Test
  void cancelPublishesOneCancelRequestEvenWhenAskedTwice() {
    String id = submit(Jobs.valid("to-cancel").toString(), null).jsonPath().getString("id");
    for (int i = 0; i < 2; i++) {
      var cancelled =
          given().auth().oauth2(Tokens.user(tenant)).post(JobResource.PATH + "/" + id + "/cancel");
      assertThat(cancelled.statusCode()).isEqualTo(202);
      assertThat(cancelled.jsonPath().getString("status")).isEqualTo("CANCEL_REQUESTED");
    }
    var records = published(Topics.JOB_EVENTS, id, 1);
    assertThat(records).hasSize(1);
    assertThat(header(records.get(0), CloudEventHeaders.TYPE))
        .contains("dev.cotenant.job.cancel-requested");
    var event = (JobCancelRequested) records.get(0).value();
    assertThat(event.tenant()).isEqualTo(tenant);
    assertThat(event.requestedBy()).isEqualTo(tenant + "-user");
  }

  @Test
  void swaggerUiAndOpenApiAreServed() {
    assertThat(given().get("/q/openapi").asString()).contains(JobResource.PATH);
    assertThat(given().get("/q/swagger-ui/").statusCode()).isEqualTo(200);
  }

  private Response submit(String body, String idempotencyKey) {
    var request = given().auth().oauth2(Tokens.user(tenant)).contentType(ContentType.JSON);
    if (idempotencyKey != null) {
      request.header(JobResource.IDEMPOTENCY_KEY, idempotencyKey);
    }
    return request.body(body).post(JobResource.PATH);
  }

  static List<ConsumerRecord<String, CotenantEvent>> published(
      String topic, String jobId, int expected) {
    return EventTopics.read(
        TestStack.get().kafka().bootstrapServers(),
        topic,
        r -> jobId.equals(r.key()),
        expected,
        WAIT,
        SETTLE);
  }

  static Optional<String> header(ConsumerRecord<?, ?> record, String name) {
    return CloudEventHeaders.read(record.headers(), name);
  }
}
