package io.strata.testsupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What every service promises operators, inherited by each service's {@code @QuarkusTest}: ready
 * only with Kafka, PostgreSQL and the outbox relay up; liveness, Prometheus metrics and OpenAPI
 * served; unknown paths answered with a problem document.
 */
public abstract class OperationalContract {
  /** The service's name as its OpenAPI title shows it. */
  protected abstract String serviceName();

  @Test
  @DisplayName(
      "ready only with Kafka, PostgreSQL and the outbox relay up; metrics and OpenAPI served")
  void operationalEndpoints() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.name", hasItem("outbox-relay"))
        .body("checks.name", hasItem("Database connections health check"))
        .body("checks.name", hasItem("Kafka connection health check"));
    given().get("/q/health/live").then().statusCode(200);
    given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    given().get("/q/openapi").then().statusCode(200).body(containsString(serviceName()));
  }

  @Test
  void unknownPathsAreProblems() {
    given()
        .get("/api/v1/nothing-here")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
  }
}
