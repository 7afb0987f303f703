package dev.cotenant.placement.state;

import dev.cotenant.placement.model.PodShape;
import java.util.List;

/**
 * A request to count a pod as running on a node and cards.
 *
 * @param podName unique pod name
 * @param jobId the job it belongs to
 * @param app its application
 * @param shape its resources (share pods get {@code gpuMilli}/{@code gpuMemoryMiB} on the one card;
 *     whole-GPU pods get each card whole)
 * @param node node name
 * @param gpuIndexes the cards: one for a share pod, {@code wholeGpus} for a whole-GPU pod
 * @param startSeconds when it starts
 * @param predictedEndSeconds when it is predicted to end
 * @param throughput its predicted rate relative to alone
 */
public record PodReservation(
    String podName,
    String jobId,
    String app,
    PodShape shape,
    String node,
    List<Integer> gpuIndexes,
    double startSeconds,
    double predictedEndSeconds,
    double throughput) {

  public PodReservation {
    gpuIndexes = List.copyOf(gpuIndexes);
  }
}
