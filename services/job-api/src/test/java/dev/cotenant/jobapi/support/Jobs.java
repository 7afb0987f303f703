package dev.cotenant.jobapi.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cotenant.jobapi.rest.JobResource;
import dev.cotenant.testsupport.Tokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/** Request bodies: a valid job to start from, which each test changes as it needs. */
public final class Jobs {
  public static final ObjectMapper JSON = new ObjectMapper();

  private Jobs() {}

  public static ObjectNode valid(String name) {
    try {
      return (ObjectNode)
          JSON.readTree(
              """
              {"name": "%s",
               "image": "ghcr.io/acme/resnet50:1.2",
               "command": ["python", "train.py"],
               "args": ["--epochs", "3"],
               "env": {"BATCH_SIZE": "64"},
               "kind": "batch",
               "replicas": 2,
               "resources": {"cpuMilli": 2000, "memoryMiB": 4096,
                             "gpu": {"milli": 500, "memoryMiB": 8000}},
               "priority": 5,
               "policy": "interference-aware",
               "labels": {"team": "vision"},
               "annotations": {"example.com/owner": "alice"}}
              """
                  .formatted(name));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Submits a valid job named {@code name} as a user of {@code tenant}; its id. */
  public static String submit(String tenant, String name) {
    return RestAssured.given()
        .auth()
        .oauth2(Tokens.user(tenant))
        .contentType(ContentType.JSON)
        .body(valid(name).toString())
        .post(JobResource.PATH)
        .then()
        .statusCode(202)
        .extract()
        .jsonPath()
        .getString("id");
  }
}
