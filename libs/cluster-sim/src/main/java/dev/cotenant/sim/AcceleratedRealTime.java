package dev.cotenant.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Drives a {@link ClusterSimulator} from a wall clock, {@code speedup} times faster than real time:
 * the simulated kubelets of the embedded cluster run pods this way, so a one-hour job ends in 36 s
 * at speedup 100. The same simulator and ground truth as {@code cotenant eval}; only the clock
 * differs.
 *
 * <p>Thread-safe: the embedded API server binds pods from its threads while a ticker calls {@link
 * #catchUp}.
 */
public final class AcceleratedRealTime {

  private final ClusterSimulator sim;
  private final double speedup;
  private final LongSupplier nanoClock;
  private final long startNanos;
  private final double startVirtual;

  /**
   * @param speedup virtual seconds per wall second, > 0
   * @param nanoClock the wall clock ({@code System::nanoTime} outside tests)
   */
  public AcceleratedRealTime(ClusterSimulator sim, double speedup, LongSupplier nanoClock) {
    if (!(speedup > 0) || Double.isInfinite(speedup)) {
      throw new IllegalArgumentException("speedup must be a positive number, got " + speedup);
    }
    this.sim = sim;
    this.speedup = speedup;
    this.nanoClock = nanoClock;
    this.startNanos = nanoClock.getAsLong();
    this.startVirtual = sim.now();
  }

  /** The virtual time the wall clock stands for now. */
  public double virtualNow() {
    return startVirtual + (nanoClock.getAsLong() - startNanos) / 1e9 * speedup;
  }

  /** The wall clock's reading (in its own nanoseconds) at which {@code virtualTime} is due. */
  public long wallNanosAt(double virtualTime) {
    return startNanos + (long) Math.ceil((virtualTime - startVirtual) / speedup * 1e9);
  }

  /** Virtual seconds per wall second. */
  public double speedup() {
    return speedup;
  }

  /** Runs the simulation up to the wall clock's virtual time; returns what happened meanwhile. */
  public synchronized List<SimEvent> catchUp() {
    return sim.advanceTo(Math.max(sim.now(), virtualNow()));
  }

  /** Binds a pod at the current virtual time (after catching up, so nothing runs backwards). */
  public synchronized List<SimEvent> bind(SimPod pod) {
    List<SimEvent> happened = catchUp();
    sim.bind(pod);
    return happened;
  }

  /** As {@link #bind(SimPod)}, its start {@code extraStartSeconds} later (an image pull). */
  public synchronized List<SimEvent> bind(SimPod pod, double extraStartSeconds) {
    List<SimEvent> happened = catchUp();
    sim.bind(pod, extraStartSeconds);
    return happened;
  }

  /**
   * Takes a pod out at the current virtual time ({@link ClusterSimulator#remove}): what happened
   * until now, then its {@code STOPPED} finish if it was running.
   */
  public synchronized List<SimEvent> remove(String podName) {
    List<SimEvent> happened = new ArrayList<>(catchUp());
    sim.remove(podName).ifPresent(happened::add);
    return happened;
  }

  /** A running pod's current rate ({@link ClusterSimulator#rate}). */
  public synchronized OptionalDouble rate(String podName) {
    return sim.rate(podName);
  }

  /**
   * Wall nanoseconds until the next start or finish is due, for a ticker to sleep; empty if idle.
   */
  public synchronized OptionalLong nanosUntilNextEvent() {
    var next = sim.nextEventTime();
    if (next.isEmpty()) {
      return OptionalLong.empty();
    }
    double virtualWait = Math.max(0, next.getAsDouble() - virtualNow());
    return OptionalLong.of((long) Math.ceil(virtualWait / speedup * 1e9));
  }
}
