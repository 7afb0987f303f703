package dev.cotenant.placement.plugins;

import dev.cotenant.placement.framework.CandidateView;
import dev.cotenant.placement.framework.CycleState;
import dev.cotenant.placement.framework.Filter;
import dev.cotenant.placement.framework.PodContext;
import dev.cotenant.placement.framework.Status;

/** The node has the pod's CPU and memory free, and room for one more pod. */
public final class NodeResourcesFit implements Filter {

  public static final String INSUFFICIENT_CPU = "InsufficientCpu";
  public static final String INSUFFICIENT_MEMORY = "InsufficientMemory";
  public static final String TOO_MANY_PODS = "TooManyPods";

  @Override
  public String name() {
    return PluginNames.NODE_RESOURCES_FIT;
  }

  @Override
  public Scope scope() {
    return Scope.NODE;
  }

  @Override
  public Status filter(CycleState cycle, PodContext pod, CandidateView candidate) {
    var node = candidate.node();
    if (pod.shape().cpuMilli() > node.freeCpuMilli()) {
      return Status.unschedulable(
          INSUFFICIENT_CPU, "cpuMilli " + pod.shape().cpuMilli() + " exceeds the node's free cpu");
    }
    if (pod.shape().memoryMiB() > node.freeMemoryMiB()) {
      return Status.unschedulable(
          INSUFFICIENT_MEMORY,
          "memoryMiB " + pod.shape().memoryMiB() + " exceeds the node's free memory");
    }
    if (node.podCount() >= node.info().maxPods()) {
      return Status.unschedulable(
          TOO_MANY_PODS, "the node runs its allowed " + node.info().maxPods() + " pods");
    }
    return Status.SUCCESS;
  }
}
