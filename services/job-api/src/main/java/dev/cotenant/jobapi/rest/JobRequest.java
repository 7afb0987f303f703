package dev.cotenant.jobapi.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A job as users write it: the body of {@code POST /jobs}, and the {@code spec} of every job the
 * API returns (then with defaults filled in). Every field is nullable here; {@code
 * service.JobValidator} decides what is required.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRequest(
    @Schema(description = "DNS-1123 label", example = "resnet-train") String name,
    @Schema(description = "Profile key; defaults to the image's repository name") String app,
    @Schema(example = "ghcr.io/acme/resnet50:1.2") String image,
    List<String> command,
    List<String> args,
    Map<String, String> env,
    @Schema(enumeration = {"batch", "interactive"}) String kind,
    @Schema(description = "1..max, or \"auto\" with maxReplicas", example = "2") JsonNode replicas,
    Integer maxReplicas,
    Resources resources,
    Integer priority,
    String policy,
    Map<String, String> labels,
    Map<String, String> annotations,
    @Schema(
            description =
                "Container ports the job serves (1..65535, distinct, at most 16); placement"
                    + " exposes an interactive job's on a ClusterIP Service. Default: [8888] for"
                    + " an interactive job, none for a batch job",
            uniqueItems = true)
        List<Integer> ports,
    @Schema(
            description =
                "The work each replica does in its app's own unit (training steps, epochs): a"
                    + " number > 0. With the app's learned solo rate placement estimates the run"
                    + " time from it; absent, placement uses the app's finished runs",
            example = "50000")
        Double work) {

  /** Per-replica resources. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Resources(Long cpuMilli, Long memoryMiB, Gpu gpu) {}

  /** Either {@code count} whole GPUs, or a share: {@code milli} (1-1000) plus {@code memoryMiB}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Gpu(Integer count, Integer milli, Long memoryMiB) {}
}
