package dev.cotenant.placement.plugins;

import dev.cotenant.placement.framework.Predictions;
import dev.cotenant.placement.model.PodShape;
import dev.cotenant.placement.state.Card;
import dev.cotenant.placement.state.ReservedPod;

/** Profile numbers with the request as fallback, shared by the seed-001 policies. */
final class Profiles {

  private Profiles() {}

  /** GPU memory the app really uses: its profile, else what it requested. */
  static double memoryMiB(Predictions p, String app, PodShape shape) {
    var profiled = p.profile(app).flatMap(a -> box(a.gpuMemoryMiB()));
    return profiled.orElse((double) shape.gpuMemoryMiB());
  }

  /** Average GPU utilisation alone: its profile, else its compute share in percent. */
  static double utilPercent(Predictions p, String app, PodShape shape) {
    var profiled = p.profile(app).flatMap(a -> box(a.gpuUtilPercent()));
    return profiled.orElse(shape.gpuMilli() / 10.0);
  }

  static double tenantMemoryMiB(Predictions p, Card card) {
    double sum = 0;
    for (ReservedPod t : card.tenants()) {
      sum += memoryMiB(p, t.app(), t.shape());
    }
    return sum;
  }

  static double tenantUtilPercent(Predictions p, Card card) {
    double sum = 0;
    for (ReservedPod t : card.tenants()) {
      sum += utilPercent(p, t.app(), t.shape());
    }
    return sum;
  }

  private static java.util.Optional<Double> box(java.util.OptionalDouble d) {
    return d.isPresent() ? java.util.Optional.of(d.getAsDouble()) : java.util.Optional.empty();
  }
}
