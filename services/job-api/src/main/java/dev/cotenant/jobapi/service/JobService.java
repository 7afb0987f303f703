package dev.cotenant.jobapi.service;

import dev.cotenant.events.JobCancelRequested;
import dev.cotenant.events.JobSpec;
import dev.cotenant.events.JobSubmitted;
import dev.cotenant.jobapi.mapping.JobMapper;
import dev.cotenant.jobapi.repository.JobEntity;
import dev.cotenant.jobapi.repository.JobRepository;
import dev.cotenant.jobapi.repository.OutboxRepository;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Jobs and their events: each change writes the job row and its outbox row in one transaction; the
 * outbox relay publishes after commit. Nothing here talks to Kafka.
 */
@ApplicationScoped
public class JobService {
  private final JobRepository jobs;
  private final OutboxRepository outbox;

  public JobService(JobRepository jobs, OutboxRepository outbox) {
    this.jobs = jobs;
    this.outbox = outbox;
  }

  /** A stored job, and whether it was stored by an earlier request with the same key. */
  public record Submission(JobEntity job, boolean replayed) {}

  @WithSpan("JobService.submit")
  @WithTransaction
  public Uni<Submission> submit(
      Caller caller, JobSpec spec, Optional<String> idempotencyKey, TraceContext trace) {
    String specJson = JobMapper.specJson(spec);
    String hash = sha256(specJson);
    if (idempotencyKey.isEmpty()) {
      return insert(caller, spec, specJson, Optional.empty(), hash, trace);
    }
    String key = idempotencyKey.get();
    return jobs.findByIdempotencyKey(caller.tenant(), key)
        .flatMap(
            existing -> {
              if (existing == null) {
                return insert(caller, spec, specJson, idempotencyKey, hash, trace);
              }
              if (!hash.equals(existing.requestHash)) {
                return Uni.createFrom().failure(new IdempotencyConflictException(key));
              }
              return Uni.createFrom().item(new Submission(existing, true));
            });
  }

  /**
   * The first request with a key that races a concurrent twin loses on the unique index; the
   * resource retries it once, and the retry finds the winner's job.
   */
  private Uni<Submission> insert(
      Caller caller,
      JobSpec spec,
      String specJson,
      Optional<String> key,
      String hash,
      TraceContext trace) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS); // PostgreSQL keeps microseconds
    JobEntity job = new JobEntity();
    job.id = UUID.randomUUID();
    job.tenant = caller.tenant();
    job.name = spec.name();
    job.status = JobStatus.SUBMITTED.name();
    job.spec = specJson;
    job.submittedBy = caller.subject();
    job.idempotencyKey = key.orElse(null);
    job.requestHash = hash;
    job.createdAt = now;
    job.updatedAt = now;
    var event =
        new JobSubmitted(
            UUID.randomUUID().toString(), now, caller.tenant(), job.id.toString(), spec);
    return jobs.insertWithOutbox(job, JobMapper.outbox(event, trace))
        .map(ignored -> new Submission(job, false));
  }

  @WithSession
  public Uni<JobEntity> get(Caller caller, String id) {
    return visible(caller, id, false);
  }

  @WithSession
  public Uni<List<JobEntity>> page(
      Caller caller, Optional<JobStatus> status, Optional<JobRepository.Cursor> after, int limit) {
    return jobs.page(caller.visibleTenant(), status.map(Enum::name), after, limit);
  }

  /**
   * Records the request and publishes {@link JobCancelRequested} once; asking again changes
   * nothing. Placement stops the pods and answers on the job events topic.
   */
  @WithSpan("JobService.cancel")
  @WithTransaction
  public Uni<JobEntity> cancel(Caller caller, String id, TraceContext trace) {
    // Locked: the job-events consumer may be moving the same row on (say, to SUCCEEDED).
    return visible(caller, id, true)
        .flatMap(
            job -> {
              // Asked before, or the job got past it (cancelled, finished): nothing to ask.
              if (JobStatus.valueOf(job.status).rank() >= JobStatus.CANCEL_REQUESTED.rank()) {
                return Uni.createFrom().item(job);
              }
              Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
              job.status = JobStatus.CANCEL_REQUESTED.name();
              job.statusAt = now;
              job.reason = "requested by " + caller.subject();
              job.updatedAt = now;
              var event =
                  new JobCancelRequested(
                      UUID.randomUUID().toString(),
                      now,
                      job.tenant,
                      job.id.toString(),
                      caller.subject());
              return outbox.persist(JobMapper.outbox(event, trace)).replaceWith(job);
            });
  }

  private Uni<JobEntity> visible(Caller caller, String id, boolean forUpdate) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return Uni.createFrom().failure(new JobNotFoundException(id));
    }
    return jobs.findVisible(uuid, caller.visibleTenant(), forUpdate)
        .onItem()
        .ifNull()
        .failWith(() -> new JobNotFoundException(id));
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
