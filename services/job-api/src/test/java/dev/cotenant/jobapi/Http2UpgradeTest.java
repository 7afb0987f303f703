package dev.cotenant.jobapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.jobapi.rest.JobResource;
import dev.cotenant.jobapi.support.JobApiTestResource;
import dev.cotenant.jobapi.support.Jobs;
import dev.cotenant.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The JDK's HTTP client asks to upgrade a plain-HTTP request to HTTP/2 (h2c) by default, and sends
 * the body with the upgrade request: the HTTP layer's rules must not refuse that request.
 */
@QuarkusTest
@WithTestResource(JobApiTestResource.class)
class Http2UpgradeTest {
  @TestHTTPResource(JobResource.PATH)
  URL jobs;

  @Test
  void aSubmissionSentWithAnH2cUpgradeIsAccepted() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(jobs.toURI())
                .header("Authorization", "Bearer " + Tokens.user("h2c"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Jobs.valid("h2c-job").toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    // A second request on the connection that is now HTTP/2.
    HttpResponse<String> again =
        http.send(
            HttpRequest.newBuilder(jobs.toURI())
                .header("Authorization", "Bearer " + Tokens.user("h2c"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Jobs.valid("h2c-job-2").toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
    assertThat(again.version()).isEqualTo(HttpClient.Version.HTTP_2);
  }
}
