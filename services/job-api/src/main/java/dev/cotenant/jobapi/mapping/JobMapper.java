package dev.cotenant.jobapi.mapping;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cotenant.events.EventJson;
import dev.cotenant.events.JobEvent;
import dev.cotenant.events.JobSpec;
import dev.cotenant.jobapi.repository.JobEntity;
import dev.cotenant.jobapi.repository.OutboxEntity;
import dev.cotenant.jobapi.rest.JobRequest;
import dev.cotenant.jobapi.rest.JobView;
import dev.cotenant.jobapi.service.PodState;
import dev.cotenant.jobapi.service.TraceContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Between the API records, the rows, and the event contracts of libs/events. */
public final class JobMapper {
  private static final ObjectMapper JSON = EventJson.mapper();

  /**
   * Sorted map keys: the same spec always writes the same JSON, so its hash is stable. Empty {@code
   * ports} and an absent {@code work} are left out, so a spec without them writes (and hashes)
   * exactly as before they existed: a retry of a submission made before them is still a replay, not
   * a conflict.
   */
  private static final ObjectMapper CANONICAL =
      EventJson.mapper()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .addMixIn(JobSpec.class, NoEmptyPorts.class);

  private abstract static class NoEmptyPorts {
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    abstract List<Integer> ports();

    // Likewise an undeclared work: specs without it hash as before work existed.
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    abstract java.util.Optional<Double> work();
  }

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JobMapper() {}

  public static String specJson(JobSpec spec) {
    try {
      return CANONICAL.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a job spec", e);
    }
  }

  public static JobSpec spec(JobEntity job) {
    try {
      return JSON.readValue(job.spec, JobSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored spec of job " + job.id + " is unreadable", e);
    }
  }

  public static JobView view(JobEntity job) {
    return new JobView(
        job.id.toString(),
        job.tenant,
        job.status,
        job.createdAt,
        job.updatedAt,
        job.submittedBy,
        request(spec(job)),
        job.reason,
        job.queuedAt,
        job.placedAt,
        job.startedAt,
        job.finishedAt,
        pods(job.placement),
        endpoints(job.endpoints));
  }

  /** The API shape of a spec, with every default filled in. */
  public static JobRequest request(JobSpec spec) {
    JobSpec.GpuRequest gpu = spec.resources().gpu();
    JobRequest.Gpu gpuView =
        gpu.count() > 0
            ? new JobRequest.Gpu(gpu.count(), null, null)
            : gpu.isShare() ? new JobRequest.Gpu(null, gpu.milli(), gpu.memoryMiB()) : null;
    boolean auto = spec.replicas().auto();
    return new JobRequest(
        spec.name(),
        spec.app(),
        spec.image(),
        spec.command(),
        spec.args(),
        spec.env(),
        spec.kind().name().toLowerCase(Locale.ROOT),
        auto ? NODES.textNode("auto") : NODES.numberNode(spec.replicas().count()),
        auto ? spec.replicas().max() : null,
        new JobRequest.Resources(
            spec.resources().cpuMilli(), spec.resources().memoryMiB(), gpuView),
        spec.priority(),
        spec.policy().orElse(null),
        spec.labels(),
        spec.annotations(),
        // What the Service exposes: also 8888 for an interactive job stored before ports existed.
        spec.servicePorts(),
        spec.work().orElse(null));
  }

  private static final TypeReference<List<PodState>> PODS = new TypeReference<>() {};

  /** The pods of a job as stored in its {@code placement} column; none while null. */
  public static List<PodState> pods(String json) {
    if (json == null) {
      return List.of();
    }
    try {
      return JSON.readValue(json, PODS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored placement is unreadable", e);
    }
  }

  /** Null for no pods, so a job never placed keeps a null column. */
  public static String podsJson(List<PodState> pods) {
    if (pods.isEmpty()) {
      return null;
    }
    try {
      return JSON.writeValueAsString(pods);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a placement", e);
    }
  }

  private static final TypeReference<List<String>> ADDRESSES = new TypeReference<>() {};

  /** A job's endpoints as stored in its {@code endpoints} column; none while null. */
  public static List<String> endpoints(String json) {
    if (json == null) {
      return List.of();
    }
    try {
      return JSON.readValue(json, ADDRESSES);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored endpoints are unreadable", e);
    }
  }

  /** Null for no endpoints, so a batch job keeps a null column. */
  public static String endpointsJson(List<String> endpoints) {
    if (endpoints.isEmpty()) {
      return null;
    }
    try {
      return JSON.writeValueAsString(endpoints);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write endpoints", e);
    }
  }

  /** An outbox row for {@code event}, to be written in the transaction of the change. */
  public static OutboxEntity outbox(JobEvent event, TraceContext trace) {
    OutboxEntity row = new OutboxEntity();
    row.eventId = UUID.fromString(event.eventId());
    row.topic = event.type().topic();
    row.messageKey = event.key();
    row.eventType = event.type().ceType();
    row.payload = new String(EventJson.toBytes(event), StandardCharsets.UTF_8);
    row.traceparent = trace.traceparent().orElse(null);
    row.tracestate = trace.tracestate().orElse(null);
    return row;
  }
}
