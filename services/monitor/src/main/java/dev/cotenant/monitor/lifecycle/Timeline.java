package dev.cotenant.monitor.lifecycle;

import dev.cotenant.events.CoTenant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who ran beside whom: every pod's run (a {@link Stint}) filed under each of its cards and under
 * its node, so that when a pod ends the share of its run spent beside each other pod is the overlap
 * of the two runs. A finished run is kept only while a running one may still overlap it. Not
 * thread-safe: the tracker owns it.
 */
final class Timeline {

  /** One pod's run on its devices; {@code end} is null while it runs. */
  static final class Stint {
    final String uid;
    final String pod;
    final String app;
    final String node;
    final List<String> gpuKeys;
    final Instant start;
    Instant end;

    /** Its PodFinished is out (or will never be): it only matters to others now. */
    boolean reported;

    Stint(String uid, String pod, String app, String node, List<String> gpuKeys, Instant start) {
      this.uid = uid;
      this.pod = pod;
      this.app = app;
      this.node = node;
      this.gpuKeys = List.copyOf(gpuKeys);
      this.start = start;
    }
  }

  private final Map<String, Set<Stint>> byGpu = new HashMap<>();
  private final Map<String, Set<Stint>> byNode = new HashMap<>();

  /** The key of one card: by index where known, as every pod on it names the same index. */
  static String gpuKey(String node, int index, String uuid) {
    return index >= 0 ? node + "#" + index : node + "/" + uuid;
  }

  void add(Stint s) {
    for (String key : s.gpuKeys) {
      byGpu.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(s);
    }
    byNode.computeIfAbsent(s.node, k -> new LinkedHashSet<>()).add(s);
  }

  /** The others running when {@code s} started, each with share 1: present at that instant. */
  List<CoTenant> atStart(Stint s) {
    return coTenants(s, s.start);
  }

  /**
   * The others that overlapped {@code s} up to {@code end}, each with the share of {@code s}'s run
   * it overlapped (a run still going overlaps up to {@code end}). A run of no length is shared by
   * whoever ran at its instant.
   */
  List<CoTenant> during(Stint s, Instant end) {
    return coTenants(s, end);
  }

  private List<CoTenant> coTenants(Stint s, Instant end) {
    List<CoTenant> out = new ArrayList<>();
    Map<String, Stint> gpu = new LinkedHashMap<>();
    for (String key : s.gpuKeys) {
      for (Stint o : byGpu.getOrDefault(key, Set.of())) {
        gpu.putIfAbsent(o.uid, o);
      }
    }
    add(out, s, end, gpu.values(), CoTenant.Device.GPU);
    add(out, s, end, byNode.getOrDefault(s.node, Set.of()), CoTenant.Device.CPU);
    out.sort(
        Comparator.comparing(CoTenant::device)
            .thenComparing(CoTenant::app)
            .thenComparing(CoTenant::pod));
    return out;
  }

  private static void add(
      List<CoTenant> out, Stint s, Instant end, Iterable<Stint> others, CoTenant.Device device) {
    double run = seconds(s.start, end);
    for (Stint o : others) {
      if (o.uid.equals(s.uid)) {
        continue;
      }
      double share;
      if (run > 0) {
        Instant from = o.start.isAfter(s.start) ? o.start : s.start;
        Instant to = o.end == null || o.end.isAfter(end) ? end : o.end;
        share = Math.min(1, Math.max(0, seconds(from, to) / run));
      } else {
        boolean present = !o.start.isAfter(s.start) && (o.end == null || o.end.isAfter(s.start));
        share = present ? 1 : 0;
      }
      if (share > 0) {
        out.add(new CoTenant(o.app, o.pod, device, share));
      }
    }
  }

  /** Pods running now on a card. */
  List<String> runningOn(String gpuKey) {
    List<String> pods = new ArrayList<>();
    for (Stint o : byGpu.getOrDefault(gpuKey, Set.of())) {
      if (o.end == null) {
        pods.add(o.pod);
      }
    }
    return pods;
  }

  /**
   * Drops the reported runs on {@code s}'s devices that no unreported run can still overlap, and
   * any that ended before {@code horizon} (a pod that runs for days must not keep every pod that
   * ran beside it).
   */
  void prune(Stint s, Instant horizon) {
    for (String key : s.gpuKeys) {
      prune(byGpu, key, horizon);
    }
    prune(byNode, s.node, horizon);
  }

  private static void prune(Map<String, Set<Stint>> index, String key, Instant horizon) {
    Set<Stint> stints = index.get(key);
    if (stints == null) {
      return;
    }
    Instant firstOpen = null;
    for (Stint o : stints) {
      if (!o.reported && (firstOpen == null || o.start.isBefore(firstOpen))) {
        firstOpen = o.start;
      }
    }
    Instant keepFrom = firstOpen;
    stints.removeIf(
        o ->
            o.reported
                && o.end != null
                && (keepFrom == null || !o.end.isAfter(keepFrom) || o.end.isBefore(horizon)));
    if (stints.isEmpty()) {
      index.remove(key);
    }
  }

  /** Stints held, for tests and the metrics. */
  int size() {
    Set<Stint> all = new java.util.HashSet<>();
    byGpu.values().forEach(all::addAll);
    byNode.values().forEach(all::addAll);
    return all.size();
  }

  static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }
}
