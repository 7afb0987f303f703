package dev.cotenant.jobapi;

import static dev.cotenant.jobapi.support.JobApiTestResource.DATABASE;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.events.AppProfile;
import dev.cotenant.events.CandidateScore;
import dev.cotenant.events.GpuRef;
import dev.cotenant.events.GpuSample;
import dev.cotenant.events.JobPlaced;
import dev.cotenant.events.PodAssignment;
import dev.cotenant.events.PodFinished;
import dev.cotenant.events.PodStarted;
import dev.cotenant.jobapi.rest.DashboardResource;
import dev.cotenant.jobapi.support.JobApiTestResource;
import dev.cotenant.jobapi.support.JobEvents;
import dev.cotenant.jobapi.support.Jobs;
import dev.cotenant.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's data from what the services emit: telemetry and profiles followed from Kafka, the
 * timeline and decisions from the read model; tenants see their own pods by name only.
 */
@QuarkusTest
@WithTestResource(JobApiTestResource.class)
class DashboardTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final GpuRef GPU = new GpuRef(0, "GPU-dash-0000");

  private final String tenant = "dash-" + UUID.randomUUID().toString().substring(0, 8);
  private final String other = "dash-" + UUID.randomUUID().toString().substring(0, 8);
  // Its own node per test run, so cards of other tests and runs never match.
  private final String node = "dash-node-" + UUID.randomUUID().toString().substring(0, 8);
  private String mine;
  private String theirs;

  @BeforeEach
  void twoTenantsShareACard() {
    mine = Jobs.submit(tenant, "mine");
    theirs = Jobs.submit(other, "theirs");
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    JobEvents.publish(
        List.of(
            new JobPlaced(
                JobEvents.id(),
                now.minusSeconds(70),
                tenant,
                mine,
                "interference-aware",
                List.of(new PodAssignment(mine + "-0", 0, node, List.of(GPU))),
                List.of(
                    new CandidateScore(
                        node, 0, 180.5, Map.of("InterferenceCost", 95.0, "Fragmentation", 85.5)),
                    new CandidateScore(
                        node, 1, 120.0, Map.of("InterferenceCost", 40.0, "Fragmentation", 80.0)))),
            started(mine + "-0", now.minusSeconds(60)),
            finished(mine + "-0", now.minusSeconds(60), 50),
            // Two hours ago, started and finished: outside the default window of 30 minutes.
            started(mine + "-8", now.minus(Duration.ofHours(2))),
            finished(mine + "-8", now.minus(Duration.ofHours(2)), 100),
            // An hour ago and still running: shown, from before the window.
            started(mine + "-9", now.minus(Duration.ofHours(1))),
            new PodStarted(
                JobEvents.id(),
                now.minusSeconds(30),
                other,
                theirs,
                "bert",
                theirs + "-0",
                node,
                List.of(GPU),
                List.of())));
    DATABASE.awaitCount(
        7, WAIT, "select count(*) from job_event where job_id in (?, ?)", mine, theirs);
  }

  @Test
  void aCardShowsTheCallersPodsByNameAndOthersOnlyAsACount() {
    JsonPath card = awaitCard(Tokens.user(tenant), c -> true, 12_000);
    assertThat(card.getString("pods[0].jobId")).isEqualTo(mine);
    assertThat(card.getString("pods[0].jobName")).isEqualTo("mine");
    assertThat(card.getString("pods[0].pod")).isEqualTo("ns-a/" + mine + "-0");
    assertThat(card.getInt("otherPods")).isEqualTo(2); // the other tenant's and a foreign pod
    assertThat(card.getString("model")).isEqualTo("A100");
    assertThat(card.getLong("memoryUsedMiB")).isEqualTo(12_000);
    assertThat(card.getDouble("smActivity")).isEqualTo(0.7);
    assertThat(card.getBoolean("stale")).isFalse();

    JsonPath admin = awaitCard(Tokens.admin(other), c -> true, 12_000);
    assertThat(admin.getList("pods.pod"))
        .containsExactlyInAnyOrder("ns-a/" + mine + "-0", "ns-b/" + theirs + "-0", "ns-c/notebook");
    assertThat(admin.getInt("otherPods")).isZero();
  }

  @Test
  void anOlderSampleArrivingLateDoesNotReplaceANewerOne() {
    awaitCard(Tokens.user(tenant), c -> c.getLong("memoryUsedMiB") == 12_000, 12_000);
    JobEvents.publish(List.of(sample(Instant.now().minusSeconds(20), 1_000)));
    // A newer sample behind it proves the late one was read, and ignored.
    JobEvents.publish(List.of(sample(Instant.now(), 13_000)));
    JsonPath card = awaitCard(Tokens.user(tenant), c -> c.getLong("memoryUsedMiB") != 12_000, 0);
    assertThat(card.getLong("memoryUsedMiB")).isEqualTo(13_000);
  }

  @Test
  void theTimelineHoldsTheCallersRunsInTheWindowAndWhereToFollowLive() {
    JsonPath timeline = timeline(Tokens.user(tenant), "");
    Map<String, Map<String, Object>> ours = byPod(timeline.getList("bars"), mine);
    // mine-8 ended two hours ago; mine-9 started an hour ago and still runs
    assertThat(ours).containsOnlyKeys(mine + "-0", mine + "-9");
    assertThat(ours.get(mine + "-0"))
        .containsEntry("node", node)
        .containsEntry("gpu", 0)
        .containsEntry("jobName", "mine")
        .containsEntry("app", "resnet50")
        .containsEntry("outcome", "SUCCEEDED");
    assertThat(
            Duration.between(
                instant(ours.get(mine + "-0"), "start"), instant(ours.get(mine + "-0"), "end")))
        .hasSeconds(50);
    assertThat(ours.get(mine + "-9")).containsEntry("end", null).containsEntry("jobName", "mine");
    assertThat(instant(ours.get(mine + "-9"), "start"))
        .isBefore(Instant.now().minus(Duration.ofMinutes(59)));
    assertThat(byPod(timeline.getList("bars"), theirs)).isEmpty();
    assertThat(timeline.getLong("lastSeq")).isPositive();
    assertThat(timeline.getBoolean("truncated")).isFalse();

    assertThat(byPod(timeline(Tokens.user(tenant), "?minutes=180").getList("bars"), mine))
        .containsOnlyKeys(mine + "-0", mine + "-8", mine + "-9");

    assertThat(byPod(timeline(Tokens.user(other), "").getList("bars"), theirs))
        .containsOnlyKeys(theirs + "-0")
        .allSatisfy(
            (pod, bar) -> assertThat(bar).containsEntry("end", null).containsEntry("app", "bert"));
  }

  private static Map<String, Map<String, Object>> byPod(
      List<Map<String, Object>> bars, String job) {
    return bars.stream()
        .filter(b -> job.equals(b.get("jobId")))
        .collect(java.util.stream.Collectors.toMap(b -> (String) b.get("pod"), b -> b));
  }

  @Test
  void aDecisionExplainsThePlacementToItsOwnerOnly() {
    JsonPath d =
        given()
            .auth()
            .oauth2(Tokens.user(tenant))
            .get(DashboardResource.PATH + "/jobs/" + mine + "/decision")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(d.getString("policy")).isEqualTo("interference-aware");
    assertThat(d.getList("pods.node")).containsExactly(node);
    assertThat(d.getList("topCandidates.total", Double.class)).containsExactly(180.5, 120.0);
    assertThat(d.getDouble("topCandidates[0].plugins.InterferenceCost")).isEqualTo(95.0);

    given()
        .auth()
        .oauth2(Tokens.user(other))
        .get(DashboardResource.PATH + "/jobs/" + mine + "/decision")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    JsonPath unplaced =
        given()
            .auth()
            .oauth2(Tokens.user(other))
            .get(DashboardResource.PATH + "/jobs/" + theirs + "/decision")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(unplaced.getString("policy")).isNull();
    assertThat(unplaced.getList("topCandidates")).isEmpty();
  }

  @Test
  void theInterferenceMatrixIsTheProfilersLatest() {
    String app = "app-" + UUID.randomUUID().toString().substring(0, 8);
    JobEvents.publish(List.of(profile(app, Instant.now().minusSeconds(5), 0.5)));
    JobEvents.publish(List.of(profile(app, Instant.now(), 0.8)));
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonPath m;
    do {
      m =
          given()
              .auth()
              .oauth2(Tokens.user(tenant))
              .get(DashboardResource.PATH + "/interference")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
    } while (!m.getList("apps.app").contains(app) && System.nanoTime() < deadline);
    List<Map<String, Object>> pairs =
        m.<Map<String, Object>>getList("pairs").stream()
            .filter(p -> app.equals(p.get("app")))
            .toList();
    // RestAssured reads JSON numbers as floats
    assertThat(pairs)
        .extracting(
            p -> p.get("with"),
            p -> ((Number) p.get("normalizedThroughput")).floatValue(),
            p -> p.get("predicted"))
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("bert", 0.8f, false),
            org.assertj.core.groups.Tuple.tuple("vgg16", 0.4f, true));
  }

  @Test
  void badInputIsAProblemAndNoTokenIsRefused() {
    for (String minutes : List.of("0", "-5", "abc", "1441", "99999999999999999999")) {
      given()
          .auth()
          .oauth2(Tokens.user(tenant))
          .get(DashboardResource.PATH + "/timeline?minutes=" + minutes)
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("violations[0].field", org.hamcrest.Matchers.equalTo("minutes"));
    }
    for (String path : List.of("/cluster", "/timeline", "/interference", "/settings")) {
      given().get(DashboardResource.PATH + path).then().statusCode(401);
    }
    // The page itself is static and public; its data is not.
    given()
        .get("/dashboard/")
        .then()
        .statusCode(200)
        .contentType(org.hamcrest.Matchers.containsString("text/html"));
  }

  private PodStarted started(String pod, Instant at) {
    return new PodStarted(
        JobEvents.id(), at, tenant, mine, "resnet50", pod, node, List.of(GPU), List.of());
  }

  private PodFinished finished(String pod, Instant startedAt, int seconds) {
    return new PodFinished(
        JobEvents.id(),
        startedAt.plusSeconds(seconds),
        tenant,
        mine,
        "resnet50",
        pod,
        node,
        List.of(GPU),
        PodFinished.Outcome.SUCCEEDED,
        OptionalInt.of(0),
        startedAt,
        seconds,
        List.of());
  }

  private GpuSample sample(Instant time, long memoryUsedMiB) {
    return new GpuSample(
        JobEvents.id(),
        time,
        node,
        GPU,
        "A100",
        0.7,
        0.4,
        70,
        memoryUsedMiB,
        40_960,
        List.of("ns-a/" + mine + "-0", "ns-b/" + theirs + "-0", "ns-c/notebook"));
  }

  private static AppProfile profile(String app, Instant time, double withBert) {
    return new AppProfile(
        JobEvents.id(),
        time,
        app,
        3,
        OptionalDouble.of(120),
        8_000,
        0.6,
        0.3,
        List.of(
            new AppProfile.PairEstimate("bert", withBert, 0.05, 3, false, false),
            new AppProfile.PairEstimate("vgg16", 0.4, 0.2, 0, true, false)));
  }

  /**
   * This test's card once it satisfies {@code done}. The dashboard follows telemetry from the end
   * of the topic, as a monitor scraping every few seconds refreshes it, so each round sends a
   * sample showing {@code memoryUsedMiB} (none if 0).
   */
  private JsonPath awaitCard(String bearer, Predicate<JsonPath> done, long memoryUsedMiB) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      if (memoryUsedMiB > 0) {
        JobEvents.publish(List.of(sample(Instant.now(), memoryUsedMiB)));
      }
      JsonPath cluster =
          given()
              .auth()
              .oauth2(bearer)
              .get(DashboardResource.PATH + "/cluster")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      List<Map<String, Object>> cards = cluster.getList("cards");
      for (int i = 0; i < cards.size(); i++) {
        if (node.equals(cards.get(i).get("node"))) {
          JsonPath card = new JsonPath(cluster.prettify()).setRootPath("cards[" + i + "]");
          if (done.test(card)) {
            return card;
          }
        }
      }
      assertThat(System.nanoTime()).as("card of %s as expected in time", node).isLessThan(deadline);
      sleep();
    }
  }

  private static JsonPath timeline(String bearer, String query) {
    return given()
        .auth()
        .oauth2(bearer)
        .get(DashboardResource.PATH + "/timeline" + query)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static Instant instant(Map<String, Object> bar, String key) {
    return Instant.parse((String) bar.get(key));
  }

  private static void sleep() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
