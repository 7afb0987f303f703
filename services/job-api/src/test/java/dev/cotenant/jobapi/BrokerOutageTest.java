package dev.cotenant.jobapi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.JobEvent;
import dev.cotenant.events.Topics;
import dev.cotenant.jobapi.rest.JobResource;
import dev.cotenant.jobapi.support.DedicatedBrokerResource;
import dev.cotenant.jobapi.support.Jobs;
import dev.cotenant.testsupport.EventTopics;
import dev.cotenant.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The outbox decouples submission from Kafka: a broker outage delays publishing, nothing more. */
@QuarkusTest
@WithTestResource(DedicatedBrokerResource.class)
class BrokerOutageTest {
  private static final String TENANT = "outage";
  private static final int JOBS = 30;

  @Test
  void submissionsDuringAnOutageArePublishedExactlyOnceAndInOrderAfterIt() throws Exception {
    String warmup = submit("warmup"); // the relay's producer has broker metadata before the outage
    assertThat(read(Topics.JOB_SUBMISSIONS, List.of(warmup), 1)).hasSize(1);

    DedicatedBrokerResource.stopBroker();
    List<String> ids = new ArrayList<>();
    try {
      for (int i = 0; i < JOBS; i++) {
        ids.add(submit("during-outage-" + i));
      }
      for (String id : ids.subList(0, 5)) {
        Response cancel =
            given()
                .auth()
                .oauth2(Tokens.user(TENANT))
                .post(JobResource.PATH + "/" + id + "/cancel");
        assertThat(cancel.statusCode()).isEqualTo(202);
      }
      Thread.sleep(1_000); // the relay is now retrying against the missing broker
    } finally {
      DedicatedBrokerResource.startBroker();
    }

    var submissions = read(Topics.JOB_SUBMISSIONS, ids, JOBS);
    assertThat(submissions)
        .extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrderElementsOf(ids);
    assertThat(read(Topics.JOB_EVENTS, ids, 5))
        .extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrderElementsOf(ids.subList(0, 5));

    // Per partition, jobs arrive in the order they were submitted (the outbox's id order).
    Map<Integer, List<String>> byPartition =
        submissions.stream()
            .collect(
                Collectors.groupingBy(
                    ConsumerRecord::partition,
                    Collectors.mapping(ConsumerRecord::key, Collectors.toList())));
    byPartition
        .values()
        .forEach(
            keys ->
                assertThat(keys)
                    .isSortedAccordingTo(
                        (a, b) -> Integer.compare(ids.indexOf(a), ids.indexOf(b))));
  }

  private static String submit(String name) {
    Response response =
        given()
            .auth()
            .oauth2(Tokens.user(TENANT))
            .contentType(ContentType.JSON)
            .body(Jobs.valid(name).toString())
            .post(JobResource.PATH);
    assertThat(response.statusCode()).isEqualTo(202);
    return response.jsonPath().getString("id");
  }

  private static List<ConsumerRecord<String, CotenantEvent>> read(
      String topic, List<String> ids, int expected) {
    return EventTopics.read(
        DedicatedBrokerResource.bootstrapServers(),
        topic,
        r -> r.value() instanceof JobEvent job && ids.contains(job.jobId()),
        expected,
        Duration.ofSeconds(40),
        Duration.ofMillis(700));
  }
}
