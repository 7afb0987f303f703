package dev.cotenant.profiler;

import static dev.cotenant.profiler.support.ProfilerTestResource.DATABASE;
import static dev.cotenant.profiler.support.ProfilerTestResource.TENANT;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.cotenant.interference.InterferenceFile;
import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.profiler.support.ProfilerTestResource;
import dev.cotenant.profiler.support.Svg;
import dev.cotenant.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.StringReader;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Import of a known matrix (admin only, all or nothing), the file and the heatmap. */
@QuarkusTest
@WithTestResource(ProfilerTestResource.class)
class InterferenceApiTest {
  private static final String IMPORTED = "select body from imported_matrix";

  private static String file(String a, String b, String pairs) {
    return "{\n  \"format\": \"cotenant.interference/v1\",\n  \"device\": \"p100\",\n"
        + "  \"apps\": [ {\"name\": \""
        + a
        + "\", \"gpuMemoryMiB\": 7000}, {\"name\": \""
        + b
        + "\"} ],\n  \"pairs\": [\n"
        + pairs
        + "\n  ]\n}\n";
  }

  @Test
  void anAdminImportsAMatrixThatTheFileAndTheHeatmapThenShow() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String a = "imp-a-" + suffix;
    String b = "imp-b-" + suffix;
    String body =
        file(
            a,
            b,
            "    {\"app\": \""
                + a
                + "\", \"with\": \""
                + b
                + "\", \"normalizedThroughput\": 0.6},\n"
                + "    {\"app\": \""
                + b
                + "\", \"with\": \""
                + a
                + "\", \"incompatible\": true}");

    given()
        .auth()
        .oauth2(Tokens.admin(TENANT))
        .contentType("application/json")
        .body(body)
        .put("/api/v1/interference")
        .then()
        .statusCode(200)
        .body("apps", equalTo(2))
        .body("pairs", equalTo(2));
    assertThat(DATABASE.rows(IMPORTED)).extracting(r -> r.get("body")).containsExactly(body);

    String json =
        given()
            .auth()
            .oauth2(Tokens.user(TENANT))
            .get("/api/v1/interference")
            .then()
            .statusCode(200)
            .contentType("application/json")
            .extract()
            .asString();
    InterferenceMatrix matrix = InterferenceFile.read(new StringReader(json), "response");
    assertThat(matrix.device()).isEqualTo("gpu");
    assertThat(matrix.pair(a, b).orElseThrow().normalizedThroughput().getAsDouble())
        .isCloseTo(0.6, within(0.05));
    assertThat(matrix.pair(b, a).orElseThrow().incompatible()).isTrue();

    String svg =
        given()
            .auth()
            .oauth2(Tokens.user(TENANT))
            .get("/api/v1/interference.svg")
            .then()
            .statusCode(200)
            .contentType("image/svg+xml")
            .extract()
            .asString();
    List<String> titles = Svg.cellTitles(svg);
    assertThat(titles).hasSize(matrix.pairs().size());
    assertThat(titles).contains(b + " with " + a + ": incompatible");
    assertThat(titles).anyMatch(t -> t.startsWith(a + " with " + b + ": 0.6"));
  }

  @Test
  void aBadFileIsA400NamingLineAndColumnAndStoresNothing() {
    List<Object> before = DATABASE.rows(IMPORTED).stream().map(r -> r.get("body")).toList();
    String unlisted =
        file("x", "y", "    {\"app\": \"x\", \"with\": \"zzz\", \"normalizedThroughput\": 0.5}");
    given()
        .auth()
        .oauth2(Tokens.admin(TENANT))
        .contentType("application/json")
        .body(unlisted)
        .put("/api/v1/interference")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("line", equalTo(6))
        .body("column", equalTo(5))
        .body("detail", containsString("line 6, column 5"))
        .body("detail", containsString("zzz"));
    given()
        .auth()
        .oauth2(Tokens.admin(TENANT))
        .contentType("application/json")
        .body("{\n  \"format\": \"cotenant.interference/v1\",\n  \"apps\": [ }")
        .put("/api/v1/interference")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("line", equalTo(3));
    assertThat(DATABASE.rows(IMPORTED).stream().map(r -> r.get("body")).toList()).isEqualTo(before);
  }

  @Test
  void importIsForAdminsWithAJsonBody() {
    String body = file("p", "q", "");
    given()
        .auth()
        .oauth2(Tokens.user(TENANT))
        .contentType("application/json")
        .body(body)
        .put("/api/v1/interference")
        .then()
        .statusCode(403)
        .contentType("application/problem+json");
    given()
        .contentType("application/json")
        .body(body)
        .put("/api/v1/interference")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    given()
        .auth()
        .oauth2(Tokens.admin(TENANT))
        .contentType("text/plain")
        .body(body)
        .put("/api/v1/interference")
        .then()
        .statusCode(415)
        .contentType("application/problem+json");
    given().get("/api/v1/interference.svg").then().statusCode(401);
  }
}
