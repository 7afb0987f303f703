package dev.cotenant.localstack.kubelet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One node's GPU device plugin: which cards a pod gets. A pod pinned to cards by UUID (Cotenant's
 * or HAMi's annotation) or index gets exactly those, shared or not, whoever bound it; the simulator
 * then decides whether their memory holds. An unpinned pod gets free cards for {@code
 * nvidia.com/gpu}, or the card with the most memory left for a share, as HAMi would choose.
 */
final class DevicePlugin {

  /** What a pod gets: its cards and the memory it reserves on each, or why it is refused. */
  sealed interface Allocation {}

  record Granted(List<Integer> cards, long memoryPerCardMiB) implements Allocation {}

  /** The kubelet's admission failure: the pod fails with this reason and message. */
  record Refused(String reason, String message) implements Allocation {}

  private final List<String> uuids;
  private final long cardMemoryMiB;
  private final List<Map<String, Long>> holders = new ArrayList<>();
  private final Map<String, List<Integer>> cardsOf = new HashMap<>();

  DevicePlugin(List<String> uuids, long cardMemoryMiB) {
    this.uuids = List.copyOf(uuids);
    this.cardMemoryMiB = cardMemoryMiB;
    for (int i = 0; i < uuids.size(); i++) {
      holders.add(new HashMap<>());
    }
  }

  List<String> uuids() {
    return uuids;
  }

  Allocation allocate(BoundPod pod) {
    if (!pod.usesGpu()) {
      return grant(pod, List.of(), 0);
    }
    long memory = pod.share() ? pod.shareMemoryMiB() : cardMemoryMiB;
    if (!pod.pinnedUuids().isEmpty()) {
      List<Integer> cards = new ArrayList<>();
      for (String uuid : pod.pinnedUuids()) {
        int index = uuids.indexOf(uuid);
        if (index < 0) {
          return unknownDevice(uuid);
        }
        cards.add(index);
      }
      return grant(pod, distinct(cards), memory);
    }
    if (!pod.pinnedIndexes().isEmpty()) {
      for (int index : pod.pinnedIndexes()) {
        if (index >= uuids.size()) {
          return unknownDevice("index " + index);
        }
      }
      return grant(pod, distinct(pod.pinnedIndexes()), memory);
    }
    if (pod.share()) {
      int best = -1;
      long bestFree = Long.MIN_VALUE;
      for (int i = 0; i < holders.size(); i++) {
        long free = cardMemoryMiB - reserved(i);
        if (free > bestFree) {
          best = i;
          bestFree = free;
        }
      }
      return best < 0 ? outOfGpus(1) : grant(pod, List.of(best), memory);
    }
    List<Integer> free = new ArrayList<>();
    for (int i = 0; i < holders.size() && free.size() < pod.wholeGpus(); i++) {
      if (holders.get(i).isEmpty()) {
        free.add(i);
      }
    }
    return free.size() < pod.wholeGpus() ? outOfGpus(pod.wholeGpus()) : grant(pod, free, memory);
  }

  /** The pod's cards are free again (it ended or went). */
  void release(String uid) {
    List<Integer> cards = cardsOf.remove(uid);
    if (cards != null) {
      cards.forEach(card -> holders.get(card).remove(uid));
    }
  }

  /** Pods (uids) on a card. */
  Set<String> holdersOf(int card) {
    return holders.get(card).keySet();
  }

  private long reserved(int card) {
    return holders.get(card).values().stream().mapToLong(Long::longValue).sum();
  }

  private Granted grant(BoundPod pod, List<Integer> cards, long memory) {
    release(pod.uid());
    cardsOf.put(pod.uid(), cards);
    cards.forEach(card -> holders.get(card).put(pod.uid(), memory));
    return new Granted(cards, memory);
  }

  private Refused unknownDevice(String device) {
    return new Refused(
        "UnexpectedAdmissionError",
        "Allocate failed due to requested device "
            + device
            + " is not among the node's "
            + uuids.size()
            + " GPUs, which is unexpected");
  }

  private Refused outOfGpus(int requested) {
    long used = holders.stream().filter(h -> !h.isEmpty()).count();
    return new Refused(
        "OutOfnvidia.com/gpu",
        "Pod was rejected: Node didn't have enough resource: nvidia.com/gpu, requested: "
            + requested
            + ", used: "
            + used
            + ", capacity: "
            + uuids.size());
  }

  private static List<Integer> distinct(List<Integer> cards) {
    return List.copyOf(new LinkedHashSet<>(cards));
  }
}
