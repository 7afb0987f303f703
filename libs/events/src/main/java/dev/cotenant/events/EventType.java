package dev.cotenant.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Each event contract with its CloudEvents {@code type} and the topic it travels on. */
public enum EventType {
  JOB_SUBMITTED("dev.cotenant.job.submitted", JobSubmitted.class, Topics.JOB_SUBMISSIONS),
  JOB_QUEUED("dev.cotenant.job.queued", JobQueued.class, Topics.JOB_EVENTS),
  JOB_PLACED("dev.cotenant.job.placed", JobPlaced.class, Topics.JOB_EVENTS),
  POD_BOUND("dev.cotenant.pod.bound", PodBound.class, Topics.JOB_EVENTS),
  POD_STARTED("dev.cotenant.pod.started", PodStarted.class, Topics.JOB_EVENTS),
  POD_FINISHED("dev.cotenant.pod.finished", PodFinished.class, Topics.JOB_EVENTS),
  JOB_SUCCEEDED("dev.cotenant.job.succeeded", JobSucceeded.class, Topics.JOB_EVENTS),
  JOB_FAILED("dev.cotenant.job.failed", JobFailed.class, Topics.JOB_EVENTS),
  JOB_CANCEL_REQUESTED(
      "dev.cotenant.job.cancel-requested", JobCancelRequested.class, Topics.JOB_EVENTS),
  JOB_CANCELLED("dev.cotenant.job.cancelled", JobCancelled.class, Topics.JOB_EVENTS),
  JOB_UNSCHEDULABLE("dev.cotenant.job.unschedulable", JobUnschedulable.class, Topics.JOB_EVENTS),
  GPU_SAMPLE("dev.cotenant.gpu.sample", GpuSample.class, Topics.GPU_TELEMETRY),
  APP_PROFILE("dev.cotenant.app.profile", AppProfile.class, Topics.PROFILES);

  private static final Map<String, EventType> BY_CE_TYPE =
      Arrays.stream(values()).collect(Collectors.toMap(EventType::ceType, Function.identity()));
  private static final Map<Class<?>, EventType> BY_CLASS =
      Arrays.stream(values()).collect(Collectors.toMap(t -> t.recordClass, Function.identity()));

  private final String ceType;
  private final Class<? extends CotenantEvent> recordClass;
  private final String topic;

  EventType(String ceType, Class<? extends CotenantEvent> recordClass, String topic) {
    this.ceType = ceType;
    this.recordClass = recordClass;
    this.topic = topic;
  }

  /** The CloudEvents {@code type} attribute, e.g. {@code dev.cotenant.job.placed}. */
  public String ceType() {
    return ceType;
  }

  public Class<? extends CotenantEvent> recordClass() {
    return recordClass;
  }

  public String topic() {
    return topic;
  }

  public static Optional<EventType> fromCeType(String ceType) {
    return Optional.ofNullable(BY_CE_TYPE.get(ceType));
  }

  static EventType of(Class<?> recordClass) {
    EventType type = BY_CLASS.get(recordClass);
    if (type == null) {
      throw new IllegalArgumentException("not an event contract: " + recordClass.getName());
    }
    return type;
  }
}
