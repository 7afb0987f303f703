package dev.cotenant.jobapi.dashboard;

import dev.cotenant.events.AppProfile;
import dev.cotenant.events.EventJson;
import dev.cotenant.events.EventType;
import dev.cotenant.events.GpuRef;
import dev.cotenant.events.GpuSample;
import dev.cotenant.events.JobPlaced;
import dev.cotenant.events.PodFinished;
import dev.cotenant.events.PodStarted;
import dev.cotenant.jobapi.config.DashboardConfig;
import dev.cotenant.jobapi.dashboard.DashboardViews.Bar;
import dev.cotenant.jobapi.dashboard.DashboardViews.Card;
import dev.cotenant.jobapi.dashboard.DashboardViews.Cluster;
import dev.cotenant.jobapi.dashboard.DashboardViews.Decision;
import dev.cotenant.jobapi.dashboard.DashboardViews.Interference;
import dev.cotenant.jobapi.dashboard.DashboardViews.PodOnCard;
import dev.cotenant.jobapi.dashboard.DashboardViews.Timeline;
import dev.cotenant.jobapi.mapping.JobMapper;
import dev.cotenant.jobapi.repository.DashboardRepository;
import dev.cotenant.jobapi.repository.DashboardRepository.RunningJob;
import dev.cotenant.jobapi.repository.StoredEvent;
import dev.cotenant.jobapi.service.Caller;
import dev.cotenant.jobapi.service.JobService;
import dev.cotenant.jobapi.service.PodState;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The dashboard's views, each from what job-api already holds: the cards from the telemetry it
 * follows, the timeline and decisions from the read model of job events, the interference matrix
 * from the profiles it follows. A tenant sees its own pods by name and other tenants' only as load
 * on a card; an admin sees every pod.
 */
@ApplicationScoped
public class DashboardService {
  private static final List<String> POD_EVENTS =
      List.of(EventType.POD_STARTED.ceType(), EventType.POD_FINISHED.ceType());
  private static final int MAX_RUNNING_JOBS = 2_000;

  private final DashboardFeeds feeds;
  private final DashboardRepository repository;
  private final JobService jobs;
  private final DashboardConfig config;

  public DashboardService(
      DashboardFeeds feeds,
      DashboardRepository repository,
      JobService jobs,
      DashboardConfig config) {
    this.feeds = feeds;
    this.repository = repository;
    this.jobs = jobs;
    this.config = config;
  }

  public Uni<Cluster> cluster(Caller caller) {
    List<ClusterView.Card> cards = feeds.cluster().cards();
    List<UUID> ids =
        cards.stream()
            .flatMap(c -> c.sample().pods().stream())
            .map(DashboardService::jobOf)
            .flatMap(Optional::stream)
            .distinct()
            .toList();
    return repository
        .names(caller.visibleTenant(), ids)
        .map(
            names ->
                new Cluster(
                    Instant.now(), cards.stream().map(c -> card(c, names, caller)).toList()));
  }

  private static Card card(ClusterView.Card card, Map<UUID, String> names, Caller caller) {
    GpuSample s = card.sample();
    List<PodOnCard> pods = new ArrayList<>();
    int others = 0;
    for (String pod : s.pods()) {
      Optional<UUID> job = jobOf(pod).filter(names::containsKey);
      if (job.isPresent()) {
        pods.add(new PodOnCard(pod, job.get().toString(), names.get(job.get())));
      } else if (caller.admin()) {
        pods.add(new PodOnCard(pod, null, null));
      } else {
        others++;
      }
    }
    return new Card(
        s.node(),
        s.gpu().index(),
        s.gpu().uuid(),
        s.model(),
        s.smActivity(),
        s.dramActivity(),
        s.utilizationPercent(),
        s.memoryUsedMiB(),
        s.memoryTotalMiB(),
        s.time(),
        card.stale(),
        pods,
        others);
  }

  /**
   * The job a pod belongs to, from placement's pod names ({@code <job>-<replica>}, optionally
   * {@code namespace/} first); empty for a pod named otherwise (a foreign pod).
   */
  static Optional<UUID> jobOf(String pod) {
    String name = pod.substring(pod.indexOf('/') + 1);
    int dash = name.lastIndexOf('-');
    if (dash <= 0 || dash == name.length() - 1) {
      return Optional.empty();
    }
    for (int i = dash + 1; i < name.length(); i++) {
      if (!Character.isDigit(name.charAt(i))) {
        return Optional.empty();
      }
    }
    return parse(name.substring(0, dash));
  }

  /**
   * The pods that ran in the last {@code window}: bars from the pod events stored in it, plus the
   * pods of jobs that started before it and still run. The stream position is read first, so a
   * client that follows the stream from it misses no event (it may see some twice).
   */
  public Uni<Timeline> timeline(Caller caller, Duration window) {
    Optional<String> tenant = caller.visibleTenant();
    Instant to = Instant.now();
    Instant from = to.minus(window);
    int max = config.timelineMaxEvents();
    return repository
        .lastSeq(tenant)
        .flatMap(
            seq ->
                repository
                    .since(tenant, POD_EVENTS, from, max + 1)
                    .flatMap(
                        events ->
                            repository
                                .runningSince(tenant, from, MAX_RUNNING_JOBS)
                                .map(running -> bars(events, running, max))
                                .flatMap(
                                    bars ->
                                        named(tenant, bars)
                                            .map(
                                                named ->
                                                    new Timeline(
                                                        from,
                                                        to,
                                                        seq,
                                                        events.size() > max,
                                                        named)))));
  }

  private static List<Bar> bars(List<StoredEvent> events, List<RunningJob> running, int max) {
    Map<String, Bar> bars = new LinkedHashMap<>();
    for (StoredEvent stored : events.subList(0, Math.min(events.size(), max))) {
      var event =
          EventJson.fromBytes(stored.payload().getBytes(StandardCharsets.UTF_8), stored.type());
      if (event instanceof PodStarted p) {
        for (int gpu : gpus(p.gpus())) {
          bars.putIfAbsent(
              p.pod() + "@" + gpu,
              new Bar(p.node(), gpu, p.pod(), p.jobId(), null, p.app(), p.time(), null, null));
        }
      } else if (event instanceof PodFinished p) {
        for (int gpu : gpus(p.gpus())) {
          bars.put(
              p.pod() + "@" + gpu,
              new Bar(
                  p.node(),
                  gpu,
                  p.pod(),
                  p.jobId(),
                  null,
                  p.app(),
                  p.startedAt() == null ? p.time() : p.startedAt(),
                  p.time(),
                  p.outcome() == null ? null : p.outcome().name()));
        }
      }
    }
    for (RunningJob job : running) {
      for (PodState pod : JobMapper.pods(job.placement())) {
        if (pod.phase() != PodState.Phase.RUNNING || pod.node() == null) {
          continue;
        }
        for (int gpu : gpus(pod.gpus())) {
          bars.putIfAbsent(
              pod.pod() + "@" + gpu,
              new Bar(
                  pod.node(),
                  gpu,
                  pod.pod(),
                  job.id().toString(),
                  null,
                  null,
                  job.startedAt(),
                  null,
                  null));
        }
      }
    }
    return List.copyOf(bars.values());
  }

  private static List<Integer> gpus(List<GpuRef> gpus) {
    return gpus.isEmpty() ? List.of(-1) : gpus.stream().map(GpuRef::index).toList();
  }

  private Uni<List<Bar>> named(Optional<String> tenant, List<Bar> bars) {
    Set<UUID> ids = new TreeSet<>();
    for (Bar bar : bars) {
      parse(bar.jobId()).ifPresent(ids::add);
    }
    return repository
        .names(tenant, List.copyOf(ids))
        .map(
            names ->
                bars.stream()
                    .map(b -> b.withJobName(parse(b.jobId()).map(names::get).orElse(null)))
                    .toList());
  }

  private static Optional<UUID> parse(String id) {
    try {
      return Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException | NullPointerException e) {
      return Optional.empty();
    }
  }

  /**
   * The job's latest placement decision; 404 (JobNotFoundException) if the caller may not see it.
   */
  public Uni<Decision> decision(Caller caller, String id) {
    return jobs.get(caller, id)
        .flatMap(job -> repository.latestOfJob(job.id.toString(), EventType.JOB_PLACED.ceType()))
        .map(
            stored -> {
              String trace = traceUrl(id);
              if (stored.isEmpty()) {
                return new Decision(id, null, null, List.of(), List.of(), trace);
              }
              JobPlaced placed =
                  (JobPlaced)
                      EventJson.fromBytes(
                          stored.get().payload().getBytes(StandardCharsets.UTF_8),
                          stored.get().type());
              return new Decision(
                  id, placed.policy(), placed.time(), placed.pods(), placed.topCandidates(), trace);
            });
  }

  private String traceUrl(String jobId) {
    return config.traceSearchUrl().map(t -> t.replace("{job}", jobId)).orElse(null);
  }

  public Interference interference() {
    List<AppProfile> profiles = feeds.profiles().profiles();
    return new Interference(
        profiles.stream()
            .map(
                p ->
                    new DashboardViews.App(
                        p.app(),
                        p.observations(),
                        p.soloSeconds(),
                        p.gpuMemoryMiB(),
                        p.smActivity(),
                        p.time()))
            .toList(),
        profiles.stream().flatMap(DashboardService::pairs).toList());
  }

  private static Stream<DashboardViews.Pair> pairs(AppProfile p) {
    return p.pairs().stream()
        .map(
            e ->
                new DashboardViews.Pair(
                    p.app(),
                    e.with(),
                    e.normalizedThroughput(),
                    e.uncertainty(),
                    e.count(),
                    e.predicted(),
                    e.incompatible()));
  }

  public DashboardViews.Settings settings() {
    return new DashboardViews.Settings(config.traceSearchUrl().orElse(null));
  }
}
