package dev.cotenant.cli;

import dev.cotenant.events.AppProfile;
import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.EventDeserializer;
import dev.cotenant.events.EventJson;
import dev.cotenant.events.JobCancelled;
import dev.cotenant.events.JobEvent;
import dev.cotenant.events.JobFailed;
import dev.cotenant.events.JobSucceeded;
import dev.cotenant.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * What the demo knows of its runs: every job event the services publish on {@code
 * cotenant.job-events} from the moment it starts, and the profiler's latest profile per app on the
 * compacted {@code cotenant.profiles}. Two consumers without a group (nothing committed), one
 * thread each; readers wait on this object's monitor.
 */
final class DemoEvents implements AutoCloseable {
  private final Map<String, List<JobEvent>> byJob = new ConcurrentHashMap<>();
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final Map<String, AppProfile> profiles = new ConcurrentHashMap<>();
  private final EventDeserializer serde = new EventDeserializer();
  private final List<Thread> threads = new ArrayList<>();
  private final List<KafkaConsumer<String, byte[]>> consumers = new ArrayList<>();
  private volatile boolean running = true;

  DemoEvents(String bootstrap) {
    follow(TopicTail.fromEnd(bootstrap, Topics.JOB_EVENTS, "cotenant-demo-events"), "demo-events");
    follow(
        TopicTail.fromStart(bootstrap, Topics.PROFILES, "cotenant-demo-profiles"), "demo-profiles");
  }

  private void follow(KafkaConsumer<String, byte[]> consumer, String name) {
    consumers.add(consumer);
    Thread t = new Thread(() -> poll(consumer), name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private void poll(KafkaConsumer<String, byte[]> consumer) {
    try {
      while (running) {
        boolean any = false;
        for (var record : consumer.poll(Duration.ofMillis(100))) {
          try {
            any |= accept(serde.deserialize(record.topic(), record.headers(), record.value()));
          } catch (EventJson.EventFormatException e) {
            // Not an event (another tool's record): nothing the demo could count.
          }
        }
        if (any) {
          synchronized (this) {
            notifyAll();
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private boolean accept(CotenantEvent event) {
    if (event instanceof AppProfile p) {
      profiles.put(p.app(), p);
      return true;
    }
    if (event instanceof JobEvent e && seen.add(e.eventId())) {
      // At-least-once delivery: a repeated event id is the same fact.
      byJob
          .computeIfAbsent(
              e.jobId(), k -> java.util.Collections.synchronizedList(new ArrayList<>()))
          .add(e);
      return true;
    }
    return false;
  }

  /** The events of these jobs, in arrival order per job. */
  List<JobEvent> of(Collection<String> jobIds) {
    List<JobEvent> all = new ArrayList<>();
    for (String id : jobIds) {
      List<JobEvent> events = byJob.getOrDefault(id, List.of());
      synchronized (events) {
        all.addAll(events);
      }
    }
    return all;
  }

  List<JobEvent> of(String jobId) {
    return of(List.of(jobId));
  }

  Map<String, AppProfile> profiles() {
    return Map.copyOf(profiles);
  }

  Optional<AppProfile> profile(String app) {
    return Optional.ofNullable(profiles.get(app));
  }

  /** Whether the job has ended: succeeded, failed or cancelled. */
  boolean ended(String jobId) {
    return of(jobId).stream()
        .anyMatch(
            e -> e instanceof JobSucceeded || e instanceof JobFailed || e instanceof JobCancelled);
  }

  /**
   * Whether the monitor has reported the end of every pod placement gave the job. Placement says a
   * job ended from the pods it watches, the monitor from its own informer: either may speak first,
   * and the demo's figures are the monitor's.
   */
  boolean podsReported(String jobId) {
    List<JobEvent> events = of(jobId);
    Set<String> finished = new HashSet<>();
    events.stream()
        .filter(dev.cotenant.events.PodFinished.class::isInstance)
        .forEach(e -> finished.add(((dev.cotenant.events.PodFinished) e).pod()));
    return events.stream()
        .filter(dev.cotenant.events.JobPlaced.class::isInstance)
        .flatMap(e -> ((dev.cotenant.events.JobPlaced) e).pods().stream())
        .allMatch(p -> finished.contains(p.pod()));
  }

  /** How many of these jobs have ended. */
  int endedCount(Collection<String> jobIds) {
    int n = 0;
    for (String id : new HashSet<>(jobIds)) {
      n += ended(id) ? 1 : 0;
    }
    return n;
  }

  /** Waits up to {@code millis} for the next event (or until one already arrived meanwhile). */
  synchronized void awaitChange(long millis) throws InterruptedException {
    wait(Math.max(1, millis));
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumers.forEach(KafkaConsumer::wakeup);
    for (Thread t : threads) {
      t.join(5_000);
    }
  }
}
