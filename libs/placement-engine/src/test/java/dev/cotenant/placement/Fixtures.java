package dev.cotenant.placement;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.interference.MatrixModel;
import dev.cotenant.interference.PairEntry;
import dev.cotenant.placement.model.GpuInfo;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.model.NodeInfo;
import dev.cotenant.placement.model.PodShape;
import dev.cotenant.placement.model.Replicas;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/** Small builders shared by the tests. */
public final class Fixtures {

  private Fixtures() {}

  public static NodeInfo gpuNode(String name, int gpus, long cardMemoryMiB, long cpu, long mem) {
    List<GpuInfo> cards = new ArrayList<>();
    for (int i = 0; i < gpus; i++) {
      cards.add(new GpuInfo(i, name + "-uuid-" + i, "p100", cardMemoryMiB));
    }
    return new NodeInfo(name, cpu, mem, cards);
  }

  public static AppInfo app(String name, double memoryMiB, double utilPercent) {
    return new AppInfo(
        name,
        OptionalDouble.empty(),
        OptionalDouble.of(memoryMiB),
        OptionalDouble.of(utilPercent),
        OptionalDouble.empty());
  }

  public static MatrixModel model(List<AppInfo> apps, List<PairEntry> pairs) {
    return new MatrixModel(new InterferenceMatrix("p100", apps, pairs));
  }

  public static JobRequest job(
      String id,
      String app,
      int priority,
      long seq,
      Replicas replicas,
      PodShape shape,
      double solo) {
    return new JobRequest(id, app, priority, seq, replicas, shape, solo, Optional.empty());
  }

  public static JobRequest share(String id, String app, long seq, int milli, long gpuMemoryMiB) {
    return job(
        id, app, 0, seq, new Replicas.Fixed(1), PodShape.share(100, 100, milli, gpuMemoryMiB), 100);
  }

  public static JobRequest withPolicy(JobRequest job, String policy) {
    return new JobRequest(
        job.jobId(),
        job.app(),
        job.priority(),
        job.sequence(),
        job.replicas(),
        job.shape(),
        job.soloSeconds(),
        Optional.of(policy));
  }

  public static EngineConfig config(String policy) {
    return EngineConfig.defaults().withDefaultPolicy(policy);
  }
}
