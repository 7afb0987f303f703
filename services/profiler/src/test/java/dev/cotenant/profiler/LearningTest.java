package dev.cotenant.profiler;

import static dev.cotenant.profiler.support.Events.finished;
import static dev.cotenant.profiler.support.Events.gpu;
import static dev.cotenant.profiler.support.Events.started;
import static dev.cotenant.profiler.support.ProfilerTestResource.DATABASE;
import static dev.cotenant.profiler.support.ProfilerTestResource.GROUP;
import static dev.cotenant.profiler.support.ProfilerTestResource.TENANT;
import static dev.cotenant.profiler.support.ProfilerTestResource.kafka;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.cotenant.events.AppProfile;
import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.JobQueued;
import dev.cotenant.events.PodFinished.Outcome;
import dev.cotenant.events.Topics;
import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.interference.learn.LearnedModel;
import dev.cotenant.profiler.service.ProfileService;
import dev.cotenant.profiler.support.ProfilerTestResource;
import dev.cotenant.testsupport.EventTopics;
import dev.cotenant.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Pod lifecycles in, observations stored, the model learns, a profile goes out and is served. */
@QuarkusTest
@WithTestResource(ProfilerTestResource.class)
class LearningTest {
  private static final String OBSERVATIONS =
      "select event_id, app, pod, run_seconds, oom_killed, gpu_shares::text as shares"
          + " from observation where app in (?, ?) order by seq";

  @Inject ProfileService service;

  @Test
  void finishedPodsAreLearnedOncePublishedAndServedAndARestartChangesNothing() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String a = "resnet-" + suffix;
    String b = "vgg-" + suffix;
    List<CotenantEvent> events =
        List.of(
            started(a, a + "-0", "node-1"),
            started(b, b + "-0", "node-1"),
            new JobQueued(UUID.randomUUID().toString(), Instant.now(), "demo", "j", 1, "full"),
            finished(a, a + "-0", Outcome.SUCCEEDED, 600, gpu(b, b + "-0", 1.0)),
            finished(a, a + "-1", Outcome.SUCCEEDED, 400),
            finished(b, b + "-0", Outcome.SUCCEEDED, 900, gpu(a, a + "-0", 0.5)),
            finished(b, b + "-2", Outcome.FAILED, 10));

    EventTopics.send(kafka(), events);
    EventTopics.awaitConsumed(kafka(), GROUP, Topics.JOB_EVENTS);

    List<Map<String, Object>> rows = DATABASE.rows(OBSERVATIONS, a, b);
    // Keys are job ids, so the events reach the profiler in no particular order across partitions.
    assertThat(rows)
        .extracting(r -> r.get("pod") + " " + r.get("shares"))
        .containsExactlyInAnyOrder(
            a + "-0 {\"" + b + "\": 1.0}", a + "-1 {}", b + "-0 {\"" + a + "\": 0.5}");
    assertThat(service.model().observations(a)).isEqualTo(2);
    assertThat(service.model().observations(b)).isEqualTo(1);

    List<ConsumerRecord<String, CotenantEvent>> published = awaitSettledProfiles(a);
    AppProfile profile = (AppProfile) published.get(published.size() - 1).value();
    assertThat(profile.observations()).isEqualTo(2);
    assertThat(profile.pairs()).extracting(AppProfile.PairEstimate::with).contains(b);
    assertThat(published.get(0).headers().lastHeader("ce_type")).isNotNull();

    given()
        .auth()
        .oauth2(Tokens.user(TENANT))
        .get("/api/v1/profiles/" + a)
        .then()
        .statusCode(200)
        .body("app", equalTo(a))
        .body("observations", equalTo(2))
        .body("pairs.with", hasItems(b));
    given()
        .auth()
        .oauth2(Tokens.user(TENANT))
        .get("/api/v1/profiles")
        .then()
        .statusCode(200)
        .body("app", hasItems(a, b));
    given()
        .auth()
        .oauth2(Tokens.user(TENANT))
        .get("/api/v1/profiles/nobody-" + suffix)
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    given().get("/api/v1/profiles").then().statusCode(401).contentType("application/problem+json");

    // The same events again (same ids): nothing is stored, learned or published twice.
    long observationsBefore = service.model().observations(a);
    EventTopics.send(kafka(), events);
    EventTopics.awaitConsumed(kafka(), GROUP, Topics.JOB_EVENTS);
    Thread.sleep(1_500); // several publish intervals
    assertThat(DATABASE.rows(OBSERVATIONS, a, b)).isEqualTo(rows);
    assertThat(service.model().observations(a)).isEqualTo(observationsBefore);
    assertThat(profiles(a)).hasSameSizeAs(published);

    // A restart replays the database into a new model: it must believe what the live one does.
    LearnedModel rebuilt = service.rebuildFromDatabase().await().atMost(Duration.ofSeconds(30));
    assertSameBeliefs(rebuilt, service.model());
  }

  /**
   * The same apps, runs, solo times and pairs, exactly: the model is a function of its data, so the
   * order a replay feeds it in (imports, then runs, then profiles) must not matter.
   */
  static void assertSameBeliefs(LearnedModel rebuilt, LearnedModel live) {
    assertThat(rebuilt.apps()).isEqualTo(live.apps());
    for (String app : live.apps()) {
      assertThat(rebuilt.observations(app)).as(app).isEqualTo(live.observations(app));
      assertThat(rebuilt.soloSeconds(app)).as(app).isEqualTo(live.soloSeconds(app));
    }
    InterferenceMatrix r = rebuilt.toMatrix("gpu");
    InterferenceMatrix l = live.toMatrix("gpu");
    assertThat(r.apps()).isEqualTo(l.apps());
    assertThat(r.pairs()).isEqualTo(l.pairs());
  }

  /** Every profile of {@code app} on the topic so far. */
  static List<ConsumerRecord<String, CotenantEvent>> profiles(String app) {
    return EventTopics.readToEnd(kafka(), Topics.PROFILES, r -> app.equals(r.key()));
  }

  /** The profiles published for {@code app}, once no new one came for a few publish intervals. */
  static List<ConsumerRecord<String, CotenantEvent>> awaitSettledProfiles(String app)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<ConsumerRecord<String, CotenantEvent>> seen = List.of();
    while (System.nanoTime() < deadline) {
      List<ConsumerRecord<String, CotenantEvent>> now = profiles(app);
      if (!now.isEmpty() && now.size() == seen.size()) {
        return now;
      }
      seen = now;
      Thread.sleep(1_200);
    }
    throw new AssertionError("no settled profile of " + app + " on " + Topics.PROFILES);
  }
}
