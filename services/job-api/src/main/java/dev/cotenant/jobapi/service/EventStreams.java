package dev.cotenant.jobapi.service;

import dev.cotenant.jobapi.config.ReadModelConfig;
import dev.cotenant.jobapi.repository.JobEventRepository;
import dev.cotenant.jobapi.repository.StoredEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * The stored job events of one job or one tenant as endless streams: first what is stored after the
 * resume point, then each new event as the read model stores it. Every stream reads the database
 * from its own last seq, so a slow client misses nothing and holds no buffer here.
 */
@ApplicationScoped
public class EventStreams {
  private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10);

  private final JobEventRepository events;
  private final EventFeed feed;
  private final ReadModelConfig config;

  public EventStreams(JobEventRepository events, EventFeed feed, ReadModelConfig config) {
    this.events = events;
    this.feed = feed;
    this.config = config;
  }

  /**
   * One job's events after {@code afterSeq}. Blocks while it checks that the caller may see the job
   * (call it from a worker thread) and throws {@link JobNotFoundException} if not.
   */
  public Multi<StoredEvent> ofJob(Caller caller, String jobId, long afterSeq) {
    UUID id;
    try {
      id = UUID.fromString(jobId);
    } catch (IllegalArgumentException e) {
      throw new JobNotFoundException(jobId);
    }
    Optional<String> owner = events.tenantOf(id).await().atMost(LOOKUP_TIMEOUT);
    if (owner.isEmpty() || !caller.visibleTenant().map(owner.get()::equals).orElse(true)) {
      throw new JobNotFoundException(jobId);
    }
    String key = id.toString();
    return follow(last -> events.ofJob(key, last, config.ssePage()), afterSeq);
  }

  /** The caller's tenant's events (every tenant's for an admin) after {@code afterSeq}. */
  public Multi<StoredEvent> ofTenant(Caller caller, long afterSeq) {
    return follow(
        last -> events.ofTenant(caller.visibleTenant(), last, config.ssePage()), afterSeq);
  }

  private Multi<StoredEvent> follow(LongFunction<Uni<List<StoredEvent>>> read, long afterSeq) {
    AtomicLong last = new AtomicLong(afterSeq);
    // A full page means more is stored already: read on without waiting.
    AtomicBoolean more = new AtomicBoolean(true);
    return Multi.createBy()
        .repeating()
        .uni(
            () ->
                (more.get()
                        ? Uni.createFrom().voidItem()
                        : feed.after(last.get(), config.ssePoll()))
                    .chain(() -> read.apply(last.get())))
        .indefinitely()
        .onItem()
        .invoke(
            page -> {
              if (!page.isEmpty()) {
                last.set(page.get(page.size() - 1).seq());
              }
              more.set(page.size() == config.ssePage());
            })
        .onItem()
        .disjoint();
  }
}
