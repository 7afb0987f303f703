package dev.cotenant.events;

import java.util.List;

/** Every Kafka topic Cotenant uses. */
public final class Topics {
  /** Validated jobs from job-api's outbox; placement consumes it. Key: job id. */
  public static final String JOB_SUBMISSIONS = "cotenant.job-submissions";

  /** Every state change of a job or pod; the only topic downstream analytics need. Key: job id. */
  public static final String JOB_EVENTS = "cotenant.job-events";

  /** GPU samples from the monitor. Key: node name. */
  public static final String GPU_TELEMETRY = "cotenant.gpu-telemetry";

  /** Latest profile per application (compacted). Key: app name. */
  public static final String PROFILES = "cotenant.profiles";

  /** The topics above, in the order the data flows. */
  public static final List<String> ALL =
      List.of(JOB_SUBMISSIONS, JOB_EVENTS, GPU_TELEMETRY, PROFILES);

  private Topics() {}

  /** The dead-letter topic of one consumer group on one topic, e.g. for poison records. */
  public static String deadLetter(String topic, String consumerGroup) {
    return topic + ".dlq." + consumerGroup;
  }

  /** Whether a topic keeps only the latest record per key. */
  public static boolean isCompacted(String topic) {
    return PROFILES.equals(topic);
  }
}
