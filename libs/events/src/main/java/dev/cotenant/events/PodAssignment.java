package dev.cotenant.events;

import java.util.List;

/** Where placement put one replica: a node and, for GPU pods, the pinned cards. */
public record PodAssignment(String pod, int replica, String node, List<GpuRef> gpus) {
  public PodAssignment {
    gpus = List.copyOf(gpus);
  }
}
