package io.strata.audit.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.strata.testsupport.KafkaAndPostgresResource;
import io.strata.testsupport.TestAccess;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The dashboard's sign-in and the limits of its cookie, over plain HTTP. */
@QuarkusTest
@QuarkusTestResource(
    value = KafkaAndPostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "audit_it"))
class DashboardIT {

  @Test
  @DisplayName("pages without a session go to the sign-in page")
  void anonymousGoesToLogin() {
    for (String page :
        new String[] {"/", "/feed", "/compliance", "/clusters/c-x", "/profiles/p-x"}) {
      given()
          .redirects()
          .follow(false)
          .get(page)
          .then()
          .statusCode(303)
          .header("Location", containsString("/login"));
    }
    given()
        .get("/login")
        .then()
        .statusCode(200)
        .contentType(containsString("text/html"))
        .header("Content-Security-Policy", containsString("script-src 'self'"));
  }

  @Test
  @DisplayName(
      "a bad key is refused without echoing it; a good one sets an HttpOnly, SameSite=Strict cookie")
  void signIn() {
    String bad = "stk_abc_" + "x".repeat(43);
    given()
        .formParam("key", bad)
        .post("/login")
        .then()
        .statusCode(401)
        .body(not(containsString(bad)));
    Response ok =
        given().redirects().follow(false).formParam("key", TestAccess.adminToken()).post("/login");
    ok.then().statusCode(303).body(not(containsString(TestAccess.adminToken())));
    String setCookie = ok.getHeader("Set-Cookie");
    assertThat(setCookie)
        .contains(Session.COOKIE + "=")
        .containsIgnoringCase("HttpOnly")
        .containsIgnoringCase("SameSite=Strict");
    given()
        .cookie(Session.COOKIE, TestAccess.adminToken())
        .get("/")
        .then()
        .statusCode(200)
        .body(containsString("Fleet at a glance"));
    given()
        .redirects()
        .follow(false)
        .post("/logout")
        .then()
        .statusCode(303)
        .header("Set-Cookie", containsString("Max-Age=0"));
  }

  @Test
  @DisplayName(
      "the cookie is a credential for GETs of the dashboard and the stream only, not for the API")
  void cookieOnlyWhereNeeded() {
    String key = TestAccess.adminToken();
    given().cookie(Session.COOKIE, key).get("/api/v1/audit/events").then().statusCode(401);
    given().cookie(Session.COOKIE, key).get("/api/v1/audit/compliance").then().statusCode(401);
    given()
        .cookie(Session.COOKIE, key)
        .post("/api/v1/audit/projections/rebuild")
        .then()
        .statusCode(401);
    given()
        .cookie(Session.COOKIE, "stk_abc_" + "y".repeat(43))
        .get("/api/v1/audit/stream")
        .then()
        .statusCode(401);
    given()
        .cookie(Session.COOKIE, "stk_abc_" + "y".repeat(43))
        .redirects()
        .follow(false)
        .get("/")
        .then()
        .statusCode(303);
  }
}
