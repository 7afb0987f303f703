package dev.cotenant.profiler;

import static dev.cotenant.profiler.support.Events.sample;
import static dev.cotenant.profiler.support.Events.started;
import static dev.cotenant.profiler.support.ProfilerTestResource.DATABASE;
import static dev.cotenant.profiler.support.ProfilerTestResource.GROUP;
import static dev.cotenant.profiler.support.ProfilerTestResource.TENANT;
import static dev.cotenant.profiler.support.ProfilerTestResource.kafka;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;

import dev.cotenant.events.AppProfile;
import dev.cotenant.events.GpuSample;
import dev.cotenant.events.Topics;
import dev.cotenant.profiler.support.ProfilerTestResource;
import dev.cotenant.testsupport.EventTopics;
import dev.cotenant.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** GPU samples in, solo features out: stored as aggregates, served, published; replays ignored. */
@QuarkusTest
@WithTestResource(ProfilerTestResource.class)
class TelemetryTest {

  @Test
  void soloSamplesBecomeFeaturesAndReplaysChangeNothing() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String app = "bert-" + suffix;
    String pod = app + "-0";
    String node = "node-" + suffix;
    EventTopics.send(kafka(), List.of(started(app, pod, node)));
    EventTopics.awaitConsumed(
        kafka(), GROUP, Topics.JOB_EVENTS); // the pod's app is known before its samples come

    List<GpuSample> samples =
        List.of(
            sample(node, 0, 1, 0.4, 5000, pod),
            sample(node, 0, 2, 0.6, 7000, pod),
            sample(node, 0, 3, 0.9, 15000, pod, "other-pod"),
            sample(node, 0, 4, 0.8, 9000, pod));
    EventTopics.send(kafka(), samples);
    EventTopics.awaitConsumed(kafka(), GROUP, Topics.GPU_TELEMETRY);

    String solo = "select samples, sum_sm, max_memory_mib from solo_profile where app = ?";
    List<Map<String, Object>> stored = DATABASE.rows(solo, app);
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0).get("samples")).isEqualTo(3L);
    assertThat((Double) stored.get(0).get("sum_sm")).isCloseTo(1.8, within(1e-9));
    assertThat(stored.get(0).get("max_memory_mib")).isEqualTo(9000L);
    List<Map<String, Object>> watermark =
        DATABASE.rows("select sample_time from gpu_watermark where node = ?", node);
    assertThat(((Timestamp) watermark.get(0).get("sample_time")).toInstant())
        .isEqualTo(samples.get(3).time());

    JsonPath view =
        given()
            .auth()
            .oauth2(Tokens.user(TENANT))
            .get("/api/v1/profiles/" + app)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(view.getLong("telemetry.samples")).isEqualTo(3);
    assertThat(view.getDouble("telemetry.smActivity")).isCloseTo(0.6, within(1e-6));
    assertThat(view.getDouble("telemetry.dramActivity")).isCloseTo(0.3, within(1e-6));
    assertThat(view.getDouble("telemetry.gpuUtilPercent")).isCloseTo(60, within(1e-4));
    assertThat(view.getDouble("telemetry.gpuMemoryMiB")).isEqualTo(9000);

    var published = LearningTest.awaitSettledProfiles(app);
    AppProfile profile = (AppProfile) published.get(published.size() - 1).value();
    assertThat(profile.smActivity()).isCloseTo(0.6, within(1e-4));
    assertThat(profile.gpuMemoryMiB()).isEqualTo(9000);

    // The same samples again (a replay after a crash, or a duplicate): all stale.
    EventTopics.send(kafka(), samples);
    EventTopics.awaitConsumed(kafka(), GROUP, Topics.GPU_TELEMETRY);
    assertThat(DATABASE.rows(solo, app)).isEqualTo(stored);
    given()
        .auth()
        .oauth2(Tokens.user(TENANT))
        .get("/api/v1/profiles/" + app)
        .then()
        .body("telemetry.samples", equalTo(3));
  }
}
