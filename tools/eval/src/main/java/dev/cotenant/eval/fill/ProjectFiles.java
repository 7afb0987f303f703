package dev.cotenant.eval.fill;

import dev.cotenant.fragmentation.NodeCapacity;
import dev.cotenant.fragmentation.PodRequest;
import dev.cotenant.sim.cluster.ClusterCsv;
import dev.cotenant.sim.csv.CsvTable;
import dev.cotenant.sim.workload.Replicas;
import dev.cotenant.sim.workload.WorkloadCsv;
import dev.cotenant.sim.workload.WorkloadJob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The project's own cluster and workload files as fill-run input: each replica of a job is one pod;
 * {@code num_gpu} 0 with {@code gpu_milli} above 0 is a share of one card, {@code num_gpu} above 0
 * whole cards, as the simulator reads them. The workload may add a {@code gpu_spec} column: the GPU
 * models each job accepts, {@code |}-separated as in the openb trace, empty for any.
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
    for (JobWithTypes entry : WorkloadCsv.read(file, ProjectFiles::withTypes)) {
      WorkloadJob job = entry.job();
      if (!(job.replicas() instanceof Replicas.Fixed fixed)) {
        throw new IllegalArgumentException(
            "job "
                + job.name()
                + " has replicas "
                + job.replicas()
                + "; the fill run needs a count");
      }
      for (int i = 0; i < fixed.count(); i++) {
        String name = fixed.count() == 1 ? job.name() : job.name() + "-" + i;
        pods.add(pod(job, name, entry.gpuTypes()));
      }
    }
    return pods;
  }

  private record JobWithTypes(WorkloadJob job, List<String> gpuTypes) {}

  private static JobWithTypes withTypes(WorkloadJob job, CsvTable.Row row) {
    List<String> types = PodRequest.parseGpuSpec(row.get("gpu_spec"));
    if (!types.isEmpty() && !job.usesGpu()) {
      throw row.error("gpu_spec", "gpu_spec must be empty for a job without GPUs");
    }
    return new JobWithTypes(job, types);
  }

  private static PodRequest pod(WorkloadJob job, String name, List<String> types) {
    int numGpu = job.numGpu() > 0 ? job.numGpu() : job.gpuMilli() > 0 ? 1 : 0;
    int milli = job.numGpu() > 0 ? PodRequest.MILLI : job.gpuMilli();
    return new PodRequest(name, job.cpuMilli(), job.memoryMiB(), numGpu, milli, types);
  }
}
