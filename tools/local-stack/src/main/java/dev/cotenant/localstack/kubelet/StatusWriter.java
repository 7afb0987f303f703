package dev.cotenant.localstack.kubelet;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;

/**
 * Writes pod statuses to {@code pods/{name}/status} from a few threads. Per pod the latest state
 * wins and writes never overlap, so a pod's statuses reach the API in order; when the API falls
 * behind, the states a pod passed through meanwhile are skipped, as a busy kubelet skips them.
 *
 * <p>A JSON Patch that sets the whole {@code status}: a merge patch would have to replace the
 * conditions and container statuses arrays, which the embedded API's merge appends to instead.
 */
final class StatusWriter implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(StatusWriter.class.getName());
  private static final int ATTEMPTS = 3;

  private final KubernetesClient client;
  private final Map<String, PodState> latest = new ConcurrentHashMap<>();
  private final Set<String> scheduled = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private final List<Thread> workers;
  private final LagHistogram lag = new LagHistogram();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean running = true;

  StatusWriter(KubernetesClient client, int threads) {
    this.client = client;
    this.workers =
        IntStream.range(0, threads)
            .mapToObj(i -> new Thread(this::work, "kubelet-status-" + i))
            .toList();
    workers.forEach(
        t -> {
          t.setDaemon(true);
          t.start();
        });
  }

  void submit(List<PodState> states) {
    for (PodState state : states) {
      String uid = state.pod().uid();
      latest.put(uid, state);
      if (scheduled.add(uid)) {
        queue.add(uid);
      }
    }
  }

  /** From the moment a state became true to its write's answer, in ms. */
  LagHistogram lag() {
    return lag;
  }

  long written() {
    return written.get();
  }

  long failed() {
    return failed.get();
  }

  int backlog() {
    return queue.size();
  }

  private void work() {
    while (running) {
      String uid;
      try {
        uid = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      PodState state = latest.remove(uid);
      try {
        if (state != null) {
          write(state);
        }
      } finally {
        scheduled.remove(uid);
        if (latest.containsKey(uid) && scheduled.add(uid)) {
          queue.add(uid);
        }
      }
    }
  }

  private void write(PodState state) {
    String uid = state.pod().uid();
    try {
      client
          .pods()
          .inNamespace(state.pod().namespace())
          .withName(state.pod().name())
          .subresource("status")
          .patch(PatchContext.of(PatchType.JSON), PodStatuses.statusPatch(state, client));
      written.incrementAndGet();
      failures.remove(uid);
      lag.record((System.nanoTime() - state.atNanos()) / 1e6);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return; // deleted meanwhile: nobody will read its status
      }
      int attempts = failures.merge(uid, 1, Integer::sum);
      if (attempts < ATTEMPTS) {
        latest.putIfAbsent(uid, state); // unless a newer state is waiting
      } else {
        failures.remove(uid);
        failed.incrementAndGet();
        LOG.log(
            Level.WARNING,
            "status of pod " + state.pod().key() + " not written: " + e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    running = false;
    workers.forEach(Thread::interrupt);
  }
}
