package dev.cotenant.jobapi;

import static dev.cotenant.jobapi.support.JobApiTestResource.DATABASE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.events.JobEvent;
import dev.cotenant.events.JobQueued;
import dev.cotenant.jobapi.rest.EventResource;
import dev.cotenant.jobapi.rest.JobResource;
import dev.cotenant.jobapi.support.JobApiTestResource;
import dev.cotenant.jobapi.support.JobEvents;
import dev.cotenant.jobapi.support.Jobs;
import dev.cotenant.jobapi.support.SseClient;
import dev.cotenant.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The SSE streams: history then live, per job and per tenant, resumable, tenant-isolated. */
@QuarkusTest
@WithTestResource(JobApiTestResource.class)
class EventStreamTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Duration QUIET = Duration.ofMillis(700);

  @TestHTTPResource("/")
  URL base;

  private final String alice = "alice-" + UUID.randomUUID().toString().substring(0, 6);
  private final String bob = "bob-" + UUID.randomUUID().toString().substring(0, 6);

  @Test
  void aJobsStreamSendsItsHistoryThenLiveEvents() throws Exception {
    String id = Jobs.submit(alice, "streamed");
    List<JobEvent> life = JobEvents.lifecycle(alice, id);
    JobEvents.publish(life.subList(0, 3));
    awaitStored(id, 3);

    try (SseClient stream = SseClient.open(jobEvents(id), Tokens.user(alice), null)) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.contentType()).startsWith("text/event-stream");
      List<SseClient.Event> history = stream.next(3, WAIT);
      assertThat(history)
          .extracting(SseClient.Event::type)
          .containsExactly(
              "dev.cotenant.job.queued", "dev.cotenant.job.placed", "dev.cotenant.pod.bound");
      assertThat(history.get(0).data()).contains(life.get(0).eventId()).contains("\"jobId\"");

      JobEvents.publish(life.subList(3, life.size()));
      List<SseClient.Event> live = stream.next(life.size() - 3, WAIT);
      assertThat(live)
          .extracting(e -> e.data().contains(life.get(life.size() - 1).eventId()))
          .endsWith(true);
      List<Long> ids = concat(history, live).stream().map(e -> Long.parseLong(e.id())).toList();
      assertThat(ids).isSorted().doesNotHaveDuplicates();
      assertThat(stream.drain(QUIET)).isEmpty();
    }
  }

  @Test
  void anotherTenantsJobStreamIsNotFoundAndNoTokenIsUnauthorized() throws Exception {
    String id = Jobs.submit(alice, "private-stream");
    try (SseClient stream = SseClient.open(jobEvents(id), Tokens.user(bob), null)) {
      assertThat(stream.status()).isEqualTo(404);
      assertThat(stream.contentType()).startsWith("application/problem+json");
    }
    try (SseClient stream = SseClient.open(jobEvents(id), Tokens.admin("ops"), null)) {
      assertThat(stream.status()).as("an admin sees every tenant").isEqualTo(200);
    }
    try (SseClient stream = SseClient.open(jobEvents(id), null, null)) {
      assertThat(stream.status()).isEqualTo(401);
    }
    try (SseClient stream = SseClient.open(tenantEvents(), null, null)) {
      assertThat(stream.status()).isEqualTo(401);
    }
    try (SseClient stream = SseClient.open(tenantEvents(), Tokens.badSignature(alice), null)) {
      assertThat(stream.status()).isEqualTo(401);
    }
  }

  @Test
  void aTenantStreamShowsOnlyItsOwnEventsAndResumesAfterLastEventId() throws Exception {
    String a1 = Jobs.submit(alice, "a-one");
    String a2 = Jobs.submit(alice, "a-two");
    String b1 = Jobs.submit(bob, "b-one");
    JobEvents.publish(List.of(queued(alice, a1), queued(bob, b1), queued(alice, a2)));
    awaitStored(a1, 1);
    awaitStored(a2, 1);
    awaitStored(b1, 1);

    try (SseClient aliceStream = SseClient.open(tenantEvents(), Tokens.user(alice), null);
        SseClient bobStream = SseClient.open(tenantEvents(), Tokens.user(bob), null)) {
      List<SseClient.Event> aliceSees = aliceStream.next(2, WAIT);
      assertThat(aliceSees).allSatisfy(e -> assertThat(e.data()).contains(alice));
      assertThat(bobStream.next(1, WAIT).get(0).data()).contains(b1);

      // Live: alice's new event reaches alice only; bob sees nothing of it.
      JobEvents.publish(List.of(queued(alice, a1)));
      assertThat(aliceStream.next(1, WAIT).get(0).data()).contains(a1);
      assertThat(bobStream.drain(QUIET)).isEmpty();

      // Resumed after alice's first event: the rest, not the first again.
      try (SseClient resumed =
          SseClient.open(tenantEvents(), Tokens.user(alice), aliceSees.get(0).id())) {
        List<SseClient.Event> rest = resumed.next(2, WAIT);
        assertThat(rest.get(0).id()).isEqualTo(aliceSees.get(1).id());
        assertThat(resumed.drain(QUIET)).isEmpty();
      }
    }
    // Bob cannot resume into alice's stream either: ids are positions, not permissions.
    try (SseClient bobResumed = SseClient.open(tenantEvents(), Tokens.user(bob), "0")) {
      assertThat(bobResumed.next(1, WAIT)).allSatisfy(e -> assertThat(e.data()).contains(bob));
      assertThat(bobResumed.drain(QUIET)).isEmpty();
    }
  }

  @Test
  void aLastEventIdThatIsNoNumberIsABadRequest() throws Exception {
    try (SseClient stream = SseClient.open(tenantEvents(), Tokens.user(alice), "yesterday")) {
      assertThat(stream.status()).isEqualTo(400);
    }
  }

  private static JobQueued queued(String tenant, String jobId) {
    return new JobQueued(JobEvents.id(), JobEvents.T0, tenant, jobId, 0, "for " + tenant);
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }

  private URI jobEvents(String id) {
    return URI.create(base.toString()).resolve(JobResource.PATH + "/" + id + "/events");
  }

  private URI tenantEvents() {
    return URI.create(base.toString()).resolve(EventResource.PATH);
  }

  private static void awaitStored(String jobId, int n) {
    DATABASE.awaitCount(n, WAIT, "select count(*) from job_event where job_id = ?", jobId);
  }
}
