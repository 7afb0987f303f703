package dev.cotenant.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a MicroProfile Health endpoint ({@code /q/health/ready}) into the overall status and each
 * named check's status, for tests and for the launcher's wait-until-healthy.
 */
public final class HealthProbe {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private HealthProbe() {}

  /**
   * Overall status plus each check's status by name; a refused connection is DOWN with no checks.
   */
  public record Health(String status, Map<String, String> checks) {
    public boolean isUp() {
      return "UP".equals(status);
    }
  }

  public static Health read(URI endpoint) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(5)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(response.body());
      Map<String, String> checks = new LinkedHashMap<>();
      body.path("checks")
          .forEach(check -> checks.put(check.path("name").asText(), check.path("status").asText()));
      return new Health(body.path("status").asText("DOWN"), checks);
    } catch (IOException e) {
      return new Health("DOWN", Map.of());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Health("DOWN", Map.of());
    }
  }
}
