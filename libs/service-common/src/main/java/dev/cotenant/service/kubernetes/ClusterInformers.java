package dev.cotenant.service.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The node and pod informers a Cotenant service keeps, wrapped as the Java controller frameworks
 * do: started with a cache-sync timeout, and a watch error logged and retried (the informer lists
 * and watches again). What a change means is the service's: it adds its handlers (and, for pods, a
 * store of its own) before {@link #start}.
 */
public final class ClusterInformers implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ClusterInformers.class);

  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<Pod> pods;

  public ClusterInformers(KubernetesClient client) {
    this.nodes = client.nodes().runnableInformer(0);
    this.pods = client.pods().inAnyNamespace().runnableInformer(0);
    for (SharedIndexInformer<?> informer : List.of(nodes, pods)) {
      informer.exceptionHandler(
          (started, error) -> {
            LOG.warnf("informer: %s; listing and watching again", error.toString());
            return true;
          });
    }
  }

  public SharedIndexInformer<Node> nodes() {
    return nodes;
  }

  public SharedIndexInformer<Pod> pods() {
    return pods;
  }

  public void onNodes(ResourceEventHandler<Node> handler) {
    nodes.addEventHandler(handler);
  }

  public void onPods(ResourceEventHandler<Pod> handler) {
    pods.addEventHandler(handler);
  }

  /**
   * Starts both informers and waits until each has listed the cluster.
   *
   * @throws IllegalStateException when they did not within {@code timeout}, or failed
   */
  public void start(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      var nodesSynced = nodes.start().toCompletableFuture();
      var podsSynced = pods.start().toCompletableFuture();
      nodesSynced.get(remaining(deadline), TimeUnit.NANOSECONDS);
      podsSynced.get(remaining(deadline), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the informers did not sync within " + timeout, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the informers failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the informers synced", e);
    }
  }

  public boolean synced() {
    return nodes.hasSynced() && pods.hasSynced();
  }

  private static long remaining(long deadline) {
    return Math.max(1, deadline - System.nanoTime());
  }

  @Override
  public void close() {
    nodes.close();
    pods.close();
  }
}
