package dev.cotenant.monitor.kubernetes;

import dev.cotenant.monitor.lifecycle.LifecycleTracker;
import dev.cotenant.monitor.lifecycle.NodeInfo;
import dev.cotenant.monitor.lifecycle.PodRun;
import dev.cotenant.monitor.mapping.NodeMapper;
import dev.cotenant.monitor.mapping.PodMapper;
import dev.cotenant.service.kubernetes.ClusterInformers;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Node and pod informers ({@link ClusterInformers}) feeding the {@link LifecycleTracker}; what a
 * relisting informer reports again the tracker already knows. Until both have listed the cluster
 * their callbacks are ignored; then the whole list is replayed at once, so that a restarted monitor
 * re-announces what the pods show, with every co-tenant known.
 */
public final class ClusterWatch implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ClusterWatch.class);

  private final LifecycleTracker tracker;
  private final Set<String> excludedNamespaces;
  private final Map<String, String> exporterLabels;
  private final ClusterInformers informers;
  private boolean replayed;

  /**
   * @param exporterLabels labels of the exporter pods (not workloads either, should they not be a
   *     DaemonSet's, as in the embedded cluster)
   */
  public ClusterWatch(
      KubernetesClient client,
      LifecycleTracker tracker,
      Set<String> excludedNamespaces,
      Map<String, String> exporterLabels) {
    this.tracker = tracker;
    this.excludedNamespaces = Set.copyOf(excludedNamespaces);
    this.exporterLabels = Map.copyOf(exporterLabels);
    this.informers = new ClusterInformers(client);
    informers.onNodes(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Node node) {
            whenReplayed(() -> tracker.nodeChanged(NodeMapper.toInfo(node)));
          }

          @Override
          public void onUpdate(Node before, Node node) {
            onAdd(node);
          }

          @Override
          public void onDelete(Node node, boolean finalStateUnknown) {
            whenReplayed(() -> tracker.nodeDeleted(node.getMetadata().getName()));
          }
        });
    informers.onPods(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            if (workload(pod)) {
              whenReplayed(() -> tracker.podChanged(PodMapper.toRun(pod)));
            }
          }

          @Override
          public void onUpdate(Pod before, Pod pod) {
            onAdd(pod);
          }

          @Override
          public void onDelete(Pod pod, boolean finalStateUnknown) {
            if (workload(pod)) {
              whenReplayed(() -> tracker.podDeleted(PodMapper.toRun(pod)));
            }
          }
        });
  }

  private boolean workload(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    boolean exporter =
        !exporterLabels.isEmpty()
            && labels != null
            && labels.entrySet().containsAll(exporterLabels.entrySet());
    return !exporter
        && !excludedNamespaces.contains(pod.getMetadata().getNamespace())
        && !PodMapper.isDaemon(pod);
  }

  /**
   * Changes before the replay are in the list it replays (the informer's store is updated before
   * its handlers run); changes after it wait for it and reach the tracker, which ignores repeats.
   */
  private void whenReplayed(Runnable change) {
    synchronized (tracker) {
      if (replayed) {
        change.run();
      }
    }
  }

  /**
   * Starts both informers, waits until each has listed the cluster and replays the list.
   *
   * @throws IllegalStateException when they did not sync within {@code timeout}
   */
  public void start(Duration timeout) {
    informers.start(timeout);
    synchronized (tracker) {
      List<NodeInfo> allNodes = new ArrayList<>();
      informers.nodes().getStore().list().forEach(n -> allNodes.add(NodeMapper.toInfo(n)));
      List<PodRun> allPods = new ArrayList<>();
      for (Pod pod : informers.pods().getStore().list()) {
        if (workload(pod)) {
          allPods.add(PodMapper.toRun(pod));
        }
      }
      tracker.replay(allNodes, allPods);
      replayed = true;
      LOG.infof("lifecycle: replayed %d nodes and %d pods", allNodes.size(), allPods.size());
    }
  }

  public boolean synced() {
    return informers.synced();
  }

  @Override
  public void close() {
    informers.close();
  }
}
