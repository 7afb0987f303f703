package dev.cotenant.jobapi;

import static dev.cotenant.jobapi.support.JobApiTestResource.DATABASE;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.jobapi.rest.JobResource;
import dev.cotenant.jobapi.support.JobApiTestResource;
import dev.cotenant.jobapi.support.Jobs;
import dev.cotenant.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A tenant sees and cancels only its own jobs; requests without a valid token get 401. */
@QuarkusTest
@WithTestResource(JobApiTestResource.class)
class TenancyTest {
  private final String alice = "alice-" + UUID.randomUUID().toString().substring(0, 6);
  private final String bob = "bob-" + UUID.randomUUID().toString().substring(0, 6);

  @Test
  void anotherTenantsJobIsNotFoundForGetCancelAndList() {
    String id = submit(alice, "private");

    Response get = as(bob).get(JobResource.PATH + "/" + id);
    assertThat(get.statusCode()).isEqualTo(404);
    assertThat(get.contentType()).startsWith("application/problem+json");
    assertThat(as(bob).post(JobResource.PATH + "/" + id + "/cancel").statusCode()).isEqualTo(404);
    assertThat(as(bob).get(JobResource.PATH).jsonPath().getList("items.id")).doesNotContain(id);

    assertThat(as(alice).get(JobResource.PATH + "/" + id).statusCode()).isEqualTo(200);
    assertThat(as(alice).get(JobResource.PATH).jsonPath().getList("items.id")).containsExactly(id);
    assertThat(DATABASE.count("select count(*) from outbox where message_key = ?", id))
        .as("bob's cancel wrote no event")
        .isEqualTo(1);
  }

  @Test
  void anAdminSeesEveryTenant() {
    String id = submit(alice, "visible-to-admin");
    var admin = given().auth().oauth2(Tokens.admin("ops"));
    assertThat(admin.get(JobResource.PATH + "/" + id).statusCode()).isEqualTo(200);
  }

  @Test
  void listIsNewestFirstWithCursorPaginationAndStatusFilter() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(submit(alice, "page-" + i));
    }
    as(alice).post(JobResource.PATH + "/" + ids.get(0) + "/cancel");

    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      var request = as(alice).queryParam("limit", 2);
      if (cursor != null) {
        request.queryParam("cursor", cursor);
      }
      var page = request.get(JobResource.PATH).jsonPath();
      List<String> items = page.getList("items.id");
      assertThat(items).hasSizeLessThanOrEqualTo(2);
      seen.addAll(items);
      cursor = page.getString("next");
    } while (cursor != null);
    java.util.Collections.reverse(ids);
    assertThat(seen).containsExactlyElementsOf(ids);
    java.util.Collections.reverse(ids);

    var cancelled =
        as(alice).queryParam("status", "CANCEL_REQUESTED").get(JobResource.PATH).jsonPath();
    assertThat(cancelled.getList("items.id")).containsExactly(ids.get(0));
  }

  @Test
  void badListParametersAre400() {
    assertThat(as(alice).queryParam("limit", 0).get(JobResource.PATH).statusCode()).isEqualTo(400);
    assertThat(as(alice).queryParam("status", "DONE").get(JobResource.PATH).statusCode())
        .isEqualTo(400);
    assertThat(as(alice).queryParam("cursor", "nonsense").get(JobResource.PATH).statusCode())
        .isEqualTo(400);
    assertThat(as(alice).get(JobResource.PATH + "/not-a-uuid").statusCode()).isEqualTo(404);
  }

  static Stream<Function<RequestSpecification, RequestSpecification>> badTokens() {
    return Stream.of(
        r -> r,
        r -> r.auth().oauth2(Tokens.badSignature("alice")),
        r -> r.auth().oauth2(Tokens.expired("alice")),
        r -> r.auth().oauth2(Tokens.otherIssuer("alice")),
        r -> r.auth().oauth2("not.a.jwt"),
        r -> r.header("Authorization", "Basic YWxpY2U6c2VjcmV0"));
  }

  @ParameterizedTest
  @MethodSource("badTokens")
  void withoutAValidTokenEveryEndpointAnswers401(
      Function<RequestSpecification, RequestSpecification> auth) {
    long jobs = DATABASE.count("select count(*) from job");
    List<Response> responses =
        List.of(
            auth.apply(given())
                .contentType(ContentType.JSON)
                .body(Jobs.valid("x").toString())
                .post(JobResource.PATH),
            auth.apply(given()).get(JobResource.PATH),
            auth.apply(given()).get(JobResource.PATH + "/" + UUID.randomUUID()),
            auth.apply(given()).post(JobResource.PATH + "/" + UUID.randomUUID() + "/cancel"));
    for (Response response : responses) {
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.contentType()).startsWith("application/problem+json");
      assertThat(response.jsonPath().getInt("status")).isEqualTo(401);
    }
    assertThat(DATABASE.count("select count(*) from job")).isEqualTo(jobs);
  }

  @Test
  void aTokenWithoutRoleOrTenantIsForbidden() {
    assertThat(
            given().auth().oauth2(Tokens.withoutRole("alice")).get(JobResource.PATH).statusCode())
        .isEqualTo(403);
    assertThat(given().auth().oauth2(Tokens.withoutTenant()).get(JobResource.PATH).statusCode())
        .isEqualTo(403);
  }

  private static RequestSpecification as(String tenant) {
    return given().auth().oauth2(Tokens.user(tenant));
  }

  private static String submit(String tenant, String name) {
    Response response =
        as(tenant)
            .contentType(ContentType.JSON)
            .body(Jobs.valid(name).toString())
            .post(JobResource.PATH);
    assertThat(response.statusCode()).isEqualTo(202);
    return response.jsonPath().getString("id");
  }
}
