package dev.cotenant.jobapi;

import static dev.cotenant.jobapi.support.JobApiTestResource.DATABASE;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.events.CloudEventHeaders;
import dev.cotenant.events.GpuRef;
import dev.cotenant.events.JobCancelled;
import dev.cotenant.events.JobEvent;
import dev.cotenant.events.JobPlaced;
import dev.cotenant.events.JobQueued;
import dev.cotenant.events.JobSucceeded;
import dev.cotenant.events.PodBound;
import dev.cotenant.events.Topics;
import dev.cotenant.jobapi.messaging.JobEventConsumer;
import dev.cotenant.jobapi.rest.JobResource;
import dev.cotenant.jobapi.support.JobApiTestResource;
import dev.cotenant.jobapi.support.JobEvents;
import dev.cotenant.jobapi.support.Jobs;
import dev.cotenant.testsupport.EventTopics;
import dev.cotenant.testsupport.TestStack;
import dev.cotenant.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The read model follows cotenant.job-events: status, placement, times and history. */
@QuarkusTest
@WithTestResource(JobApiTestResource.class)
class ReadModelTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String HISTORY = "select * from job_event where job_id = ? order by seq";
  private static final String JOB_ROW = "select * from job where id = ?::uuid";

  private final String tenant = "rm-" + UUID.randomUUID().toString().substring(0, 8);

  @Inject JobEventConsumer consumer;

  @Test
  void aJobsLifeEndsInTheReadModelAndReplayingItChangesNothing() {
    String id = Jobs.submit(tenant, "lifecycle");
    List<JobEvent> life = JobEvents.lifecycle(tenant, id);
    JobEvents.publish(life);
    awaitHistory(id, life.size());

    JsonPath job = get(id);
    assertThat(job.getString("status")).isEqualTo("SUCCEEDED");
    assertThat(job.getString("queuedAt")).isEqualTo("2026-11-20T10:00:00.010Z");
    assertThat(job.getString("placedAt")).isEqualTo("2026-11-20T10:00:00.020Z");
    assertThat(job.getString("startedAt")).isEqualTo("2026-11-20T10:00:02Z");
    assertThat(job.getString("finishedAt")).isEqualTo("2026-11-20T10:01:42Z");
    assertThat(job.getList("pods.pod")).containsExactly(id + "-0", id + "-1");
    assertThat(job.getList("pods.replica")).containsExactly(0, 1);
    assertThat(job.getList("pods.node")).containsOnly("gpu-node-1");
    assertThat(job.getList("pods.gpus.uuid"))
        .containsExactly(List.of("GPU-aaaa-0000"), List.of("GPU-aaaa-0001"));
    assertThat(job.getList("pods.phase")).containsOnly("FINISHED");
    assertThat(job.getList("pods.outcome")).containsOnly("SUCCEEDED");
    assertThat(job.getList("pods.exitCode")).containsOnly(0);
    List<Map<String, Object>> history = DATABASE.rows(HISTORY, id);
    assertThat(history)
        .extracting(row -> row.get("event_id").toString())
        .containsExactlyElementsOf(life.stream().map(JobEvent::eventId).toList());
    List<Map<String, Object>> rowBefore = DATABASE.rows(JOB_ROW, id);

    // The same events again (a producer retry, a replayed partition), then one new event behind
    // them on the same partition: once it is stored, the duplicates have been consumed.
    JobEvents.publish(life);
    PodBound late =
        new PodBound(
            JobEvents.id(),
            JobEvents.T0.plusMillis(35),
            tenant,
            id,
            id + "-0",
            "gpu-node-1",
            List.of(new GpuRef(0, "GPU-aaaa-0000")));
    JobEvents.publish(List.of(late));
    awaitHistory(id, life.size() + 1);

    assertThat(DATABASE.rows(JOB_ROW, id)).as("the job row").isEqualTo(rowBefore);
    List<Map<String, Object>> after = DATABASE.rows(HISTORY, id);
    assertThat(after.subList(0, history.size())).as("the stored history").isEqualTo(history);
    assertThat(after.get(after.size() - 1).get("event_id").toString()).isEqualTo(late.eventId());
  }

  @Test
  void anInteractiveJobShowsTheEndpointsOfItsPlacement() {
    var body = Jobs.valid("notebook").put("kind", "interactive");
    String id =
        given()
            .auth()
            .oauth2(Tokens.user(tenant))
            .contentType(ContentType.JSON)
            .body(body.toString())
            .post(JobResource.PATH)
            .then()
            .statusCode(202)
            .extract()
            .jsonPath()
            .getString("id");
    assertThat(get(id).getList("endpoints")).as("before placement").isEmpty();

    List<String> endpoints = List.of("nb-" + id + ".cotenant.svc:8888");
    List<JobEvent> life = JobEvents.lifecycle(tenant, id, endpoints);
    // Up to the pods' start: an interactive job runs until cancelled.
    List<JobEvent> untilRunning = life.subList(0, 6);
    JobEvents.publish(untilRunning);
    awaitHistory(id, untilRunning.size());

    JsonPath job = get(id);
    assertThat(job.getString("status")).isEqualTo("RUNNING");
    assertThat(job.getList("spec.ports")).containsExactly(8888);
    assertThat(job.getList("endpoints")).isEqualTo(endpoints);
    assertThat(DATABASE.rows(JOB_ROW, id).get(0).get("endpoints"))
        .isEqualTo("[\"nb-" + id + ".cotenant.svc:8888\"]");
    JsonPath page =
        given()
            .auth()
            .oauth2(Tokens.user(tenant))
            .get(JobResource.PATH + "?limit=500")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(page.getList("items.find { it.id == '" + id + "' }.endpoints")).isEqualTo(endpoints);

    // A later placement report without endpoints (an older producer) and the cancellation keep
    // them: the job's Service is still where it was.
    JobEvents.publish(
        List.of(
            new JobPlaced(
                JobEvents.id(),
                JobEvents.T0.plusSeconds(10),
                tenant,
                id,
                "interference-aware",
                List.of(),
                List.of()),
            new JobCancelled(JobEvents.id(), JobEvents.T0.plusSeconds(20), tenant, id, "done")));
    awaitHistory(id, untilRunning.size() + 2);
    JsonPath cancelled = get(id);
    assertThat(cancelled.getString("status")).isEqualTo("CANCELLED");
    assertThat(cancelled.getList("endpoints")).isEqualTo(endpoints);
  }

  @Test
  void outOfOrderEventsNeverMoveAStatusBackwards() {
    String inOrder = Jobs.submit(tenant, "in-order");
    String shuffled = Jobs.submit(tenant, "shuffled");
    JobEvents.publish(JobEvents.lifecycle(tenant, inOrder));
    List<JobEvent> events = new ArrayList<>(JobEvents.lifecycle(tenant, shuffled));
    Collections.shuffle(events, new Random(7));
    // JobSucceeded first: everything after it is late, and must not reopen the job.
    JobEvent succeeded = events.stream().filter(JobSucceeded.class::isInstance).findFirst().get();
    events.remove(succeeded);
    events.add(0, succeeded);
    JobEvents.publish(events);
    awaitHistory(inOrder, events.size());
    awaitHistory(shuffled, events.size());

    JsonPath a = get(inOrder);
    JsonPath b = get(shuffled);
    assertThat(b.getString("status")).isEqualTo("SUCCEEDED");
    for (String field :
        List.of("status", "queuedAt", "placedAt", "startedAt", "finishedAt", "reason")) {
      assertThat(b.getString(field)).as(field).isEqualTo(a.getString(field));
    }
    assertThat(b.getList("pods.phase")).isEqualTo(a.getList("pods.phase"));
    assertThat(b.getList("pods.node")).isEqualTo(a.getList("pods.node"));
    assertThat(b.getList("pods.gpus.index")).isEqualTo(a.getList("pods.gpus.index"));
  }

  @Test
  void terminalStatesStayAndCancellingAFinishedJobPublishesNothing() {
    String id = Jobs.submit(tenant, "cancelled");
    JobEvents.publish(
        List.of(
            new JobCancelled(JobEvents.id(), JobEvents.T0.plusSeconds(5), tenant, id, "by kim"),
            new JobQueued(JobEvents.id(), JobEvents.T0.plusSeconds(6), tenant, id, 0, "late")));
    awaitHistory(id, 2);
    assertThat(get(id).getString("status")).isEqualTo("CANCELLED");
    assertThat(get(id).getString("reason")).isEqualTo("by kim");

    long outbox = DATABASE.count("select count(*) from outbox where message_key = ?", id);
    var cancel =
        given().auth().oauth2(Tokens.user(tenant)).post(JobResource.PATH + "/" + id + "/cancel");
    assertThat(cancel.statusCode()).isEqualTo(202);
    assertThat(cancel.jsonPath().getString("status")).isEqualTo("CANCELLED");
    assertThat(DATABASE.count("select count(*) from outbox where message_key = ?", id))
        .isEqualTo(outbox);
  }

  @Test
  void aRecordThatIsNoJobEventGoesToTheDeadLetterTopicAndTheNextOneIsStillRead() throws Exception {
    String id = Jobs.submit(tenant, "after-poison");
    String dlq = Topics.deadLetter(Topics.JOB_EVENTS, "job-api-read-model");
    assertThat(consumer.deadLetterTopic()).isEqualTo(dlq);
    byte[] poison = "{\"not\":\"an event\"}".getBytes(StandardCharsets.UTF_8);
    try (var raw =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", TestStack.get().kafka().bootstrapServers()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      var record = new ProducerRecord<String, byte[]>(Topics.JOB_EVENTS, id, poison);
      record.headers().add(CloudEventHeaders.TYPE, "dev.cotenant.job.nonsense".getBytes());
      raw.send(record).get();
    }
    JobEvents.publish(
        List.of(new JobQueued(JobEvents.id(), JobEvents.T0, tenant, id, 3, "behind the poison")));
    awaitHistory(id, 1);
    assertThat(get(id).getString("status")).isEqualTo("QUEUED");

    var dead =
        EventTopics.readRaw(
            TestStack.get().kafka().bootstrapServers(),
            dlq,
            r -> id.equals(r.key()),
            1,
            WAIT,
            Duration.ofMillis(300));
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).value()).isEqualTo(poison);
    assertThat(dead.get(0).headers().lastHeader(CloudEventHeaders.TYPE).value())
        .isEqualTo("dev.cotenant.job.nonsense".getBytes());
    assertThat(dead.get(0).headers().lastHeader(JobEventConsumer.DLQ_REASON)).isNotNull();
  }

  private JsonPath get(String id) {
    return given()
        .auth()
        .oauth2(Tokens.user(tenant))
        .get(JobResource.PATH + "/" + id)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static void awaitHistory(String id, int events) {
    DATABASE.awaitCount(events, WAIT, "select count(*) from job_event where job_id = ?", id);
  }
}
