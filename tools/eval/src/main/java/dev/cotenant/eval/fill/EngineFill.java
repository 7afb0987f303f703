package dev.cotenant.eval.fill;

import dev.cotenant.fragmentation.FillRun;
import dev.cotenant.fragmentation.NodeCapacity;
import dev.cotenant.fragmentation.PodRequest;
import dev.cotenant.interference.MatrixModel;
import dev.cotenant.placement.EngineConfig;
import dev.cotenant.placement.PlacementEngine;
import dev.cotenant.placement.model.GpuInfo;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.model.NodeInfo;
import dev.cotenant.placement.model.PodShape;
import dev.cotenant.placement.model.Replicas;
import dev.cotenant.placement.model.RunTimeEstimate;
import dev.cotenant.placement.plugins.Policies;
import dev.cotenant.placement.state.ClusterState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The fill protocol through the placement engine itself ({@link PlacementEngine} on a {@link
 * ClusterState}), for the engine's policies ({@code interference-aware} above all) next to the fill
 * baselines: every arrival is a one-pod job, told to the engine's demand as it arrives, then placed
 * with {@code place} or dropped.
 *
 * <p>The trace knows nothing of interference and pods never finish, so the engine runs with a model
 * that knows no pair, no run time (a pod's work is 0 seconds) and no uncertainty penalty: nothing
 * can be lost to a slowdown that has no time to act, every interference cost is 0, and the
 * fragmentation score decides. A pod's {@code gpu_spec} is the job's GPU models (the engine's
 * {@code GpuModelFit} filter). Cards get the memory of their model where the name says it (16 or 32
 * GiB) and 16 GiB otherwise; openb pods ask for no GPU memory, so it never filters.
 */
public final class EngineFill implements FillRun.Placer {

  /** The app every trace pod runs as: the trace names none. */
  static final String APP = "openb";

  private final PlacementEngine engine;
  private long sequence;

  public EngineFill(List<NodeCapacity> nodes, String policy) {
    List<NodeInfo> infos = new ArrayList<>(nodes.size());
    for (NodeCapacity n : nodes) {
      List<GpuInfo> gpus = new ArrayList<>(n.numGpu());
      for (int i = 0; i < n.numGpu(); i++) {
        gpus.add(new GpuInfo(i, n.name() + "-gpu" + i, n.gpuType(), cardMemoryMiB(n.gpuType())));
      }
      infos.add(new NodeInfo(n.name(), n.cpuMilli(), n.memoryMiB(), gpus));
    }
    this.engine =
        new PlacementEngine(
            new ClusterState(infos), MatrixModel.empty(), new EngineConfig(policy, 0, 0, 0));
  }

  /** The engine's policies, by name. */
  public static Set<String> policies() {
    return Policies.builtIn(Policies.defaultRegistry()).keySet();
  }

  @Override
  public boolean place(PodRequest pod) {
    long seq = sequence++;
    JobRequest job =
        new JobRequest(
            pod.name() + "#" + seq,
            APP,
            0,
            seq,
            new Replicas.Fixed(1),
            shape(pod),
            RunTimeEstimate.given(0),
            Optional.empty(),
            pod.gpuTypes());
    engine.demand().arrived(job);
    return engine.place(job, 0).placed();
  }

  static PodShape shape(PodRequest pod) {
    if (pod.isCpuOnly()) {
      return PodShape.cpu(pod.cpuMilli(), pod.memoryMiB());
    }
    if (pod.isShare()) {
      return PodShape.share(pod.cpuMilli(), pod.memoryMiB(), pod.gpuMilli(), 0);
    }
    return PodShape.whole(pod.cpuMilli(), pod.memoryMiB(), pod.numGpu());
  }

  private static long cardMemoryMiB(String model) {
    return model.contains("M32") ? 32_768 : 16_384;
  }
}
