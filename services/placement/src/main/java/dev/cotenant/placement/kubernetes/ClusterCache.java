package dev.cotenant.placement.kubernetes;

import dev.cotenant.placement.service.Scheduler;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Lister;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Node and pod informers, wrapped as the Java controller frameworks do: started with a cache-sync
 * timeout, watch errors logged and retried (the informer relists and re-watches), and a lister for
 * nodes. Pods are kept in a reduced store: the scheduler keeps its own view of them. Every change
 * goes to the scheduler, which keeps the engine's state equal to the cache.
 */
public final class ClusterCache implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ClusterCache.class);

  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<Pod> pods;

  public ClusterCache(KubernetesClient client, Scheduler scheduler) {
    this.nodes = client.nodes().runnableInformer(0);
    this.pods = client.pods().inAnyNamespace().runnableInformer(0);
    // The handlers get whole pods; the store keeps only what a resync and a delete need. A
    // whole fabric8 Pod is ~10 KB: at 50,000 pods the cache alone outgrew a 1 GiB heap.
    pods.itemStore(
        new ReducedStateItemStore<>(
            ReducedStateItemStore.NAME_KEY_STATE,
            Pod.class,
            client.getKubernetesSerialization(),
            "metadata.labels",
            "metadata.uid",
            "spec.nodeName",
            "spec.schedulerName",
            "status.phase"));
    nodes.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Node node) {
            scheduler.nodeChanged(node);
          }

          @Override
          public void onUpdate(Node before, Node node) {
            scheduler.nodeChanged(node);
          }

          @Override
          public void onDelete(Node node, boolean finalStateUnknown) {
            scheduler.nodeDeleted(node.getMetadata().getName());
          }
        });
    pods.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            scheduler.podChanged(pod);
          }

          @Override
          public void onUpdate(Pod before, Pod pod) {
            scheduler.podChanged(pod);
          }

          @Override
          public void onDelete(Pod pod, boolean finalStateUnknown) {
            scheduler.podDeleted(pod);
          }
        });
    for (SharedIndexInformer<?> informer : java.util.List.of(nodes, pods)) {
      informer.exceptionHandler(
          (started, error) -> {
            LOG.warnf("informer: %s; listing and watching again", error.toString());
            return true;
          });
    }
  }

  /**
   * Starts both informers and waits until each has listed the cluster.
   *
   * @throws IllegalStateException when they did not within {@code timeout}
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

  private static long remaining(long deadline) {
    return Math.max(1, deadline - System.nanoTime());
  }

  public boolean synced() {
    return nodes.hasSynced() && pods.hasSynced();
  }

  public Lister<Node> nodeLister() {
    return new Lister<>(nodes.getIndexer());
  }

  @Override
  public void close() {
    nodes.close();
    pods.close();
  }
}
