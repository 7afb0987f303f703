package dev.cotenant.eval.fill;

import dev.cotenant.fragmentation.NodeCapacity;
import dev.cotenant.fragmentation.PodRequest;
import dev.cotenant.sim.cluster.ClusterCsv;
import dev.cotenant.sim.workload.Replicas;
import dev.cotenant.sim.workload.WorkloadCsv;
import dev.cotenant.sim.workload.WorkloadJob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The project's own cluster and workload files as fill-run input: each replica of a job is one pod;
 * {@code num_gpu} 0 with {@code gpu_milli} above 0 is a share of one card, {@code num_gpu} above 0
 * whole cards, as the simulator reads them.
 */
public final class ProjectFiles {

  private ProjectFiles() {}

  public static List<NodeCapacity> readCluster(Path file) {
    List<NodeCapacity> nodes = new ArrayList<>();
    for (var node : ClusterCsv.read(file)) {
      nodes.add(
          new NodeCapacity(
              node.name(), node.cpuMilli(), node.memoryMiB(), node.numGpu(), node.gpuModel()));
    }
    return nodes;
  }

  /**
   * @throws IllegalArgumentException for a job of {@code replicas: auto}, whose pod count the fill
   *     run cannot choose
   */
  public static List<PodRequest> readWorkload(Path file) {
    List<PodRequest> pods = new ArrayList<>();
    for (WorkloadJob job : WorkloadCsv.read(file)) {
      if (!(job.replicas() instanceof Replicas.Fixed fixed)) {
        throw new IllegalArgumentException(
            "job "
                + job.name()
                + " has replicas "
                + job.replicas()
                + "; the fill run needs a count");
      }
      for (int i = 0; i < fixed.count(); i++) {
        pods.add(pod(job, fixed.count() == 1 ? job.name() : job.name() + "-" + i));
      }
    }
    return pods;
  }

  private static PodRequest pod(WorkloadJob job, String name) {
    if (job.numGpu() > 0) {
      return PodRequest.of(name, job.cpuMilli(), job.memoryMiB(), job.numGpu(), PodRequest.MILLI);
    }
    if (job.gpuMilli() > 0) {
      return PodRequest.of(name, job.cpuMilli(), job.memoryMiB(), 1, job.gpuMilli());
    }
    return PodRequest.of(name, job.cpuMilli(), job.memoryMiB(), 0, 0);
  }
}
