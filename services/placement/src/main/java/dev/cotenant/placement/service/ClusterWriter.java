package dev.cotenant.placement.service;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.Map;

/**
 * The Kubernetes writes placement makes. Each call blocks until the API server answered (after the
 * client's own retries with backoff) and throws {@link WriteException} when it refused.
 */
public interface ClusterWriter {

  /** Creates the namespace unless it exists. */
  void ensureNamespace(String namespace);

  /**
   * Creates the pod. An existing pod of the same name that belongs to the same job is success (a
   * redelivered submission); anything else there is a conflict.
   */
  void createPod(Pod pod);

  /**
   * Binds the pod to the node ({@code pods/{name}/binding}). A 409 is success when the pod is
   * already on that node.
   */
  void bind(String namespace, String pod, String node);

  /** Adds annotations to a pod (foreign pods: the cards placement chose). */
  void annotate(String namespace, String pod, Map<String, String> annotations);

  /** Deletes the pods of a job (and its Service); missing ones are fine. */
  void deleteJob(String namespace, String jobId);

  void createService(Service service);

  /** A Kubernetes Event on a pod, as kube-scheduler records FailedScheduling. */
  void recordEvent(String namespace, String pod, String reason, String message);

  /** A write the API server refused, with its HTTP code (0 when it never answered). */
  final class WriteException extends RuntimeException {
    private final int code;

    public WriteException(String message, int code, Throwable cause) {
      super(message, cause);
      this.code = code;
    }

    public int code() {
      return code;
    }
  }
}
