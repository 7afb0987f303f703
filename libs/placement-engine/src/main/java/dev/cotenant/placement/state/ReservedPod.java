package dev.cotenant.placement.state;

import dev.cotenant.placement.model.GpuSlot;
import dev.cotenant.placement.model.PodShape;
import java.util.List;

/**
 * A pod that counts as running. Its predicted end moves when co-tenants come and go; only the
 * engine moves it.
 */
public final class ReservedPod {

  private final String podName;
  private final String jobId;
  private final String app;
  private final int appId;
  private final PodShape shape;
  private final Node node;
  private final List<Card> cards;
  private final List<GpuSlot> slots;
  private final double startSeconds;
  private double predictedEndSeconds;
  private double throughput;

  ReservedPod(
      String podName,
      String jobId,
      String app,
      PodShape shape,
      Node node,
      List<Card> cards,
      List<GpuSlot> slots,
      double startSeconds,
      double predictedEndSeconds,
      double throughput) {
    this.podName = podName;
    this.jobId = jobId;
    this.app = app;
    this.appId = AppIds.of(app);
    this.shape = shape;
    this.node = node;
    this.cards = List.copyOf(cards);
    this.slots = List.copyOf(slots);
    this.startSeconds = startSeconds;
    this.predictedEndSeconds = predictedEndSeconds;
    this.throughput = throughput;
  }

  public String podName() {
    return podName;
  }

  public String jobId() {
    return jobId;
  }

  public String app() {
    return app;
  }

  /** {@link AppIds} of {@link #app()}. */
  public int appId() {
    return appId;
  }

  public PodShape shape() {
    return shape;
  }

  public Node node() {
    return node;
  }

  public List<Card> cards() {
    return cards;
  }

  public List<GpuSlot> slots() {
    return slots;
  }

  public double startSeconds() {
    return startSeconds;
  }

  public double predictedEndSeconds() {
    return predictedEndSeconds;
  }

  /** Predicted rate relative to alone, with its current co-tenants. */
  public double throughput() {
    return throughput;
  }

  /** Predicted seconds left at {@code now} (0 once overdue: it may end any moment). */
  public double remainingSeconds(double now) {
    return Math.max(0, predictedEndSeconds - now);
  }

  /** Rescales the rest of the run to a new rate: the remaining work is unchanged. */
  public void rerate(double newThroughput, double now) {
    double rest = remainingSeconds(now);
    if (rest > 0 && throughput > 0 && newThroughput > 0) {
      predictedEndSeconds = now + rest * throughput / newThroughput;
    }
    throughput = newThroughput;
  }

  /** Sets the prediction outright (a rollback restoring it, or a fresh start). */
  public void predict(double predictedEndSeconds, double throughput) {
    this.predictedEndSeconds = predictedEndSeconds;
    this.throughput = throughput;
  }

  @Override
  public String toString() {
    return podName + "@" + node.name() + slots;
  }
}
