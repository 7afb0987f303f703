package dev.cotenant.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Not a framework test: the serde is plain code, so the test calls it directly. */
class EventJsonTest {

  static Stream<CotenantEvent> examples() {
    return EventExamples.oneOfEach().stream();
  }

  @Test
  void examplesCoverEveryEventTypeOnce() {
    List<EventType> covered = EventExamples.oneOfEach().stream().map(CotenantEvent::type).toList();
    assertThat(covered).containsExactly(EventType.values());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void roundTripsThroughJson(CotenantEvent event) {
    byte[] json = EventJson.toBytes(event);
    CotenantEvent back = EventJson.fromBytes(json, event.type().ceType());
    assertThat(back).isEqualTo(event).usingRecursiveComparison().isEqualTo(event);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void roundTripsThroughKafkaSerdeWithCloudEventHeaders(CotenantEvent event) {
    var headers = new RecordHeaders();
    var serializer = new EventSerializer();
    serializer.configure(java.util.Map.of(EventSerializer.SOURCE_CONFIG, "/test"), false);
    byte[] value = serializer.serialize(event.type().topic(), headers, event);

    assertThat(header(headers, CloudEventHeaders.TYPE)).isEqualTo(event.type().ceType());
    assertThat(header(headers, CloudEventHeaders.ID)).isEqualTo(event.eventId());
    assertThat(header(headers, CloudEventHeaders.SOURCE)).isEqualTo("/test");
    assertThat(header(headers, CloudEventHeaders.SPEC_VERSION)).isEqualTo("1.0");
    assertThat(header(headers, CloudEventHeaders.SUBJECT)).isEqualTo(event.key());
    if (event instanceof JobEvent job) {
      assertThat(header(headers, CloudEventHeaders.TENANT)).isEqualTo(job.tenant());
    }
    assertThat(new EventDeserializer().deserialize(event.type().topic(), headers, value))
        .isEqualTo(event);
  }

  @Test
  void timesAreIsoStringsAndOptionalsAreFlat() throws Exception {
    PodFinished finished =
        (PodFinished)
            EventExamples.oneOfEach().stream()
                .filter(e -> e.type() == EventType.POD_FINISHED)
                .findFirst()
                .orElseThrow();
    JsonNode json = EventJson.mapper().readTree(EventJson.toBytes(finished));
    assertThat(json.get("time").asText()).isEqualTo("2026-11-20T10:57:33Z");
    assertThat(json.get("exitCode").asInt()).isZero();
    assertThat(json.get("outcome").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  void toleratesFieldsAddedByNewerProducers() {
    String json =
        "{\"eventId\":\"e1\",\"time\":\"2026-11-20T10:00:00Z\",\"tenant\":\"t\",\"jobId\":\"j\","
            + "\"requestedBy\":\"kim\",\"comment\":\"added in v2\"}";
    CotenantEvent event =
        EventJson.fromBytes(
            json.getBytes(StandardCharsets.UTF_8), EventType.JOB_CANCEL_REQUESTED.ceType());
    assertThat(event).isInstanceOf(JobCancelRequested.class);
    assertThat(((JobCancelRequested) event).requestedBy()).isEqualTo("kim");
  }

  @Test
  void readsRecordsWrittenBeforePortsAndEndpointsExisted() {
    String placed =
        "{\"eventId\":\"e1\",\"time\":\"2026-11-20T10:00:00Z\",\"tenant\":\"t\","
            + "\"jobId\":\"j\",\"policy\":\"spread\",\"pods\":[],\"topCandidates\":[]}";
    JobPlaced event =
        (JobPlaced)
            EventJson.fromBytes(
                placed.getBytes(StandardCharsets.UTF_8), EventType.JOB_PLACED.ceType());
    assertThat(event.endpoints()).isEmpty();
    JobSubmitted submitted = (JobSubmitted) EventExamples.oneOfEach().get(0);
    String json = new String(EventJson.toBytes(submitted), StandardCharsets.UTF_8);
    String old = json.replace(",\"ports\":[]", "").replace(",\"work\":null", "");
    assertThat(old).doesNotContain("ports").doesNotContain("work");
    JobSubmitted read =
        (JobSubmitted)
            EventJson.fromBytes(
                old.getBytes(StandardCharsets.UTF_8), EventType.JOB_SUBMITTED.ceType());
    assertThat(read.spec().ports()).isEmpty();
    assertThat(read.spec().servicePorts()).isEmpty();
    assertThat(read.spec().work()).isEmpty();
  }

  @Test
  void aJobsDeclaredWorkRoundTripsAndMustBePositive() {
    JobSubmitted submitted = (JobSubmitted) EventExamples.oneOfEach().get(0);
    JobSpec s = submitted.spec();
    JobSpec withWork = s.withWork(50000);
    JobSubmitted event =
        new JobSubmitted(
            submitted.eventId(), submitted.time(), submitted.tenant(), submitted.jobId(), withWork);
    JobSubmitted read =
        (JobSubmitted)
            EventJson.fromBytes(EventJson.toBytes(event), EventType.JOB_SUBMITTED.ceType());
    assertThat(read.spec().work()).hasValue(50000.0);
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.withWork(bad))
          .as("work " + bad)
          .hasMessageContaining("work must be finite and > 0");
    }
  }

  @Test
  void rejectsUnknownTypesAndMissingHeaders() {
    byte[] data = "{}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> EventJson.fromBytes(data, "dev.cotenant.nope"))
        .isInstanceOf(EventJson.EventFormatException.class)
        .hasMessageContaining("unknown event type");
    assertThatThrownBy(() -> new EventDeserializer().deserialize("t", new RecordHeaders(), data))
        .isInstanceOf(EventJson.EventFormatException.class)
        .hasMessageContaining("ce_type");
    assertThatThrownBy(
            () -> EventJson.fromBytes("{not json".getBytes(), EventType.JOB_QUEUED.ceType()))
        .isInstanceOf(EventJson.EventFormatException.class);
  }

  @Test
  void everyTypeHasADistinctCloudEventsTypeAndAKnownTopic() {
    assertThat(Stream.of(EventType.values()).map(EventType::ceType).distinct().count())
        .isEqualTo(EventType.values().length);
    assertThat(Stream.of(EventType.values()).map(EventType::topic)).allMatch(Topics.ALL::contains);
    assertThat(Topics.deadLetter(Topics.JOB_SUBMISSIONS, "placement"))
        .isEqualTo("cotenant.job-submissions.dlq.placement");
  }

  private static String header(RecordHeaders headers, String name) {
    return CloudEventHeaders.read(headers, name).orElse(null);
  }
}
