package dev.cotenant.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** Submits the demo's jobs to job-api's REST API, as any user would (a dev token, JSON). */
final class DemoJobs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI api;
  private final String token;

  DemoJobs(String apiUrl, String token) {
    this.api = URI.create(apiUrl + "/api/v1/jobs");
    this.token = token;
  }

  /**
   * One job as {@code POST /api/v1/jobs} takes it.
   *
   * @param replicas a count, or 0 for {@code auto} up to {@code maxReplicas}
   * @param gpuCount whole cards; else a share of {@code gpuMilli} and {@code gpuMemoryMiB}
   * @param annotations copied onto its pods (the simulated kubelets read their run time there)
   */
  record Job(
      String name,
      String app,
      int replicas,
      int maxReplicas,
      long cpuMilli,
      long memoryMiB,
      int gpuCount,
      int gpuMilli,
      long gpuMemoryMiB,
      String policy,
      Map<String, String> annotations) {

    String body() {
      ObjectNode job = JSON.createObjectNode();
      job.put("name", name);
      job.put("image", "ghcr.io/cotenant-demo/" + app + ":seed");
      job.put("app", app);
      if (replicas > 0) {
        job.put("replicas", replicas);
      } else {
        job.put("replicas", "auto");
        job.put("maxReplicas", maxReplicas);
      }
      ObjectNode resources = job.putObject("resources");
      resources.put("cpuMilli", cpuMilli);
      resources.put("memoryMiB", memoryMiB);
      if (gpuCount > 0) {
        resources.putObject("gpu").put("count", gpuCount);
      } else if (gpuMilli > 0) {
        resources.putObject("gpu").put("milli", gpuMilli).put("memoryMiB", gpuMemoryMiB);
      }
      job.put("policy", policy);
      ObjectNode a = job.putObject("annotations");
      annotations.forEach(a::put);
      return job.toString();
    }
  }

  /** Submits the job and answers its id; a refusal names job-api's answer. */
  String submit(Job job) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(api)
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(job.body()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 202) {
      throw new IOException(
          "job-api answered "
              + response.statusCode()
              + " to job "
              + job.name()
              + ": "
              + response.body());
    }
    JsonNode id = JSON.readTree(response.body()).get("id");
    if (id == null || !id.isTextual()) {
      throw new IOException("job-api's answer has no id: " + response.body());
    }
    return id.asText();
  }

  /** Asks job-api to cancel the job (one that can never fit, left queued otherwise). */
  void cancel(String jobId) throws IOException, InterruptedException {
    http.send(
        HttpRequest.newBuilder(URI.create(api + "/" + jobId + "/cancel"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.discarding());
  }
}
