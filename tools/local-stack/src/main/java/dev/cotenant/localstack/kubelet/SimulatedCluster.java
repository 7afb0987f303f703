package dev.cotenant.localstack.kubelet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Every node's kubelet and one ticker that wakes each node when its next pod start or end is due.
 * What changes goes to a sink (the status writer). Wake-ups sit in a delay queue; a node whose next
 * event moves earlier (a pod bound) gets a new wake-up and the old one is skipped when it comes.
 *
 * <p>Plain Java: no Kubernetes client.
 */
public final class SimulatedCluster implements AutoCloseable {

  private final Map<String, Slot> nodes = new LinkedHashMap<>();
  private final Consumer<List<PodState>> sink;
  private final DelayQueue<Wakeup> wakeups = new DelayQueue<>();
  private final Thread ticker;
  private final LagHistogram tickLag = new LagHistogram();
  private volatile boolean running = true;

  /** A node and the wall time of its pending wake-up (guarded by the node's lock). */
  private static final class Slot {
    final NodeKubelet node;
    long due = Long.MAX_VALUE;

    Slot(NodeKubelet node) {
      this.node = node;
    }
  }

  private record Wakeup(Slot slot, long due) implements Delayed {
    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(due - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(due, ((Wakeup) other).due);
    }
  }

  public SimulatedCluster(List<NodeKubelet> kubelets, Consumer<List<PodState>> sink) {
    kubelets.forEach(k -> nodes.put(k.spec().name(), new Slot(k)));
    this.sink = sink;
    this.ticker = new Thread(this::tick, "kubelet-ticker");
    ticker.setDaemon(true);
    ticker.start();
  }

  public List<NodeKubelet> kubelets() {
    return nodes.values().stream().map(s -> s.node).toList();
  }

  public Optional<NodeKubelet> node(String name) {
    Slot slot = nodes.get(name);
    return slot == null ? Optional.empty() : Optional.of(slot.node);
  }

  /** Whether a node of that name is simulated here (pods bound elsewhere are not ours). */
  public boolean manages(String nodeName) {
    return nodes.containsKey(nodeName);
  }

  public void admit(BoundPod pod) {
    Slot slot = nodes.get(pod.node());
    if (slot != null) {
      publish(slot.node.admit(pod));
      reschedule(slot);
    }
  }

  public void remove(String nodeName, String uid) {
    Slot slot = nodes.get(nodeName);
    if (slot != null) {
      publish(slot.node.remove(uid));
      reschedule(slot);
    }
  }

  /** Takes a node down; false when there is no such node. */
  public boolean down(String nodeName) {
    Slot slot = nodes.get(nodeName);
    if (slot == null) {
      return false;
    }
    publish(slot.node.down());
    return true;
  }

  public boolean up(String nodeName) {
    Slot slot = nodes.get(nodeName);
    if (slot == null) {
      return false;
    }
    publish(slot.node.up());
    reschedule(slot);
    return true;
  }

  /** How late the ticker woke nodes, in ms (a lagging ticker means the cluster cannot keep up). */
  public LagHistogram tickLag() {
    return tickLag;
  }

  private void publish(List<PodState> changed) {
    if (!changed.isEmpty()) {
      sink.accept(changed);
    }
  }

  private void reschedule(Slot slot) {
    synchronized (slot.node) {
      OptionalLong wait = slot.node.nanosUntilNextEvent();
      if (wait.isEmpty()) {
        return;
      }
      long due = System.nanoTime() + wait.getAsLong();
      if (due < slot.due) {
        slot.due = due;
        wakeups.add(new Wakeup(slot, due));
      }
    }
  }

  private void tick() {
    while (running) {
      Wakeup wakeup;
      try {
        wakeup = wakeups.take();
      } catch (InterruptedException e) {
        return;
      }
      List<PodState> changed;
      synchronized (wakeup.slot.node) {
        if (wakeup.due != wakeup.slot.due) {
          continue; // superseded by an earlier wake-up, already served
        }
        wakeup.slot.due = Long.MAX_VALUE;
        tickLag.record((System.nanoTime() - wakeup.due) / 1_000_000.0);
        changed = new ArrayList<>(wakeup.slot.node.advance());
      }
      try {
        publish(changed);
      } finally {
        reschedule(wakeup.slot);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    ticker.interrupt();
  }
}
