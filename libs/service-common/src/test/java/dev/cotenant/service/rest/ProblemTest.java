package dev.cotenant.service.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Not a @QuarkusTest: the body is plain Jackson, as Quarkus REST writes it. */
class ProblemTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void extensionsAreTopLevelMembersInTheOrderAdded() throws Exception {
    Problem problem =
        Problem.typed("invalid-file", "Invalid file", 400, "line 6, column 5: no")
            .with("line", 6)
            .with("column", 5);

    assertThat(json.writeValueAsString(problem))
        .isEqualTo(
            "{\"type\":\"https://cotenant.dev/problems/invalid-file\",\"title\":\"Invalid file\","
                + "\"status\":400,\"detail\":\"line 6, column 5: no\",\"line\":6,\"column\":5}");
  }

  @Test
  void aStatusProblemLeavesOutWhatItDoesNotHave() throws Exception {
    Problem problem = Problem.of(Response.Status.FORBIDDEN, null);

    assertThat(json.writeValueAsString(problem))
        .isEqualTo("{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403}");
  }

  @Test
  void aListExtensionIsWrittenAsAnArray() throws Exception {
    Problem problem =
        Problem.of(Response.Status.BAD_REQUEST, "2 field(s)").with("fields", List.of("a", "b"));

    assertThat(json.readTree(json.writeValueAsString(problem)).get("fields").toString())
        .isEqualTo("[\"a\",\"b\"]");
  }

  @Test
  void theResponseCarriesTheStatusAndTheProblemMediaType() {
    Response response = Problem.of(Response.Status.NOT_FOUND, "no such job").toResponse();

    assertThat(response.getStatus()).isEqualTo(404);
    assertThat(response.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
  }
}
