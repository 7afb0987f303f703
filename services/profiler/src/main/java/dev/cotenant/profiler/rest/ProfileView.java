package dev.cotenant.profiler.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cotenant.events.AppProfile;
import java.util.List;

/**
 * One app as the API shows it.
 *
 * @param observations finished runs learned from
 * @param soloSeconds solo run time per run, once runs were seen
 * @param telemetry solo telemetry features, when known (from samples or an import)
 * @param pairs its row of the matrix (only on {@code GET /profiles/{app}})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProfileView(
    String app,
    long observations,
    Double soloSeconds,
    Telemetry telemetry,
    List<AppProfile.PairEstimate> pairs) {

  /**
   * @param samples solo telemetry samples behind the means (0 when the values were imported)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Telemetry(
      long samples,
      Double smActivity,
      Double dramActivity,
      Double gpuUtilPercent,
      Double gpuMemoryMiB) {}
}
