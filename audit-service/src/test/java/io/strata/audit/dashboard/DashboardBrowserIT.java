package io.strata.audit.dashboard;

import static io.strata.audit.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.strata.audit.Publisher;
import io.strata.events.access.Role;
import io.strata.testsupport.KafkaAndPostgresResource;
import io.strata.testsupport.TestAccess;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's headless Chromium through its chromedriver (.ci/run
 * installs both). Signs in with a viewer key of one project, loads every page, follows links, sees
 * a live event arrive without a reload, and keeps a screenshot of each page under
 * target/screenshots.
 */
@QuarkusTest
@QuarkusTestResource(
    value = KafkaAndPostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "audit_it"))
class DashboardBrowserIT {
  static final Path SHOTS = Path.of("target", "screenshots");
  final String project = "team-" + UUID.randomUUID().toString().substring(0, 8);
  final String profile = "p-" + UUID.randomUUID();
  final String cluster = "c-" + UUID.randomUUID();
  final String hidden = "c-" + UUID.randomUUID();
  WebDriver browser;
  String base;

  @BeforeEach
  void start() throws Exception {
    Files.createDirectories(SHOTS);
    base = RestAssured.baseURI + ":" + RestAssured.port;
    ChromeOptions options = new ChromeOptions();
    options.setBinary(new File("/usr/bin/chromium"));
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1400,1100",
        "--disable-gpu");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
  }

  Map<String, Object> gen(long g, int revision) {
    return spec(g, List.of(attached(profile, "web-stack", "1.0.0", revision)), Map.of(), List.of());
  }

  Instant overrideAt;

  void history() {
    Instant t = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    overrideAt = t.plusSeconds(300);
    Publisher.publish(profileCreated(profile, "web-stack", project), "alice", project, t);
    Publisher.publish(
        versionCreated(
            profile, "1.0.0", List.of(helm("ingress", "controller:\n  replicaCount: 2\n"))),
        "alice",
        project,
        t.plusSeconds(60));
    Publisher.publish(
        versionUpdated(
            profile, "1.0.0", 2, List.of(helm("ingress", "controller:\n  replicaCount: 3\n"))),
        "alice",
        project,
        t.plusSeconds(120));
    Publisher.publish(
        registered(cluster, "shop-prod", project, gen(1, 1)), "bob", project, t.plusSeconds(180));
    Publisher.publish(succeeded(cluster, 1), "reconciler", project, t.plusSeconds(240));
    Map<String, Object> ov = override(profile, "ingress", "controller:\n  replicaCount: 5\n");
    Publisher.publish(
        overrideSet(
            cluster,
            ov,
            spec(2, List.of(attached(profile, "web-stack", "1.0.0", 1)), Map.of(), List.of(ov))),
        "carol",
        project,
        t.plusSeconds(300));
    Publisher.publish(failed(cluster, 2, "not ready"), "reconciler", project, t.plusSeconds(360));
    Publisher.publish(
        registered(hidden, "other-team-cluster", "elsewhere", gen(1, 1)),
        "zed",
        "elsewhere",
        t.plusSeconds(360));
  }

  void shot(String name) throws Exception {
    File f = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  /** A wait that outlasts a page being replaced while it looks (a form submit reloads it). */
  WebDriverWait waitUpTo(int seconds) {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(seconds));
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    return wait;
  }

  @Test
  @DisplayName("sign in, every page, follow links, a live event within 2 s, screenshots")
  void dashboard() throws Exception {
    String key = TestAccess.publishApiKey("dash-" + project, Role.VIEWER, project);
    history();

    browser.get(base + "/");
    assertThat(browser.getCurrentUrl()).endsWith("/login");
    browser.findElement(By.id("key")).sendKeys("stk_nope_" + "z".repeat(43));
    browser.findElement(By.id("sign-in")).click();
    waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("login-error")));
    assertThat(browser.findElement(By.id("login-error")).getText()).contains("Not signed in");
    assertThat(browser.getPageSource()).doesNotContain("z".repeat(43));
    shot("01-login");

    // the key reaches this service through the access topic; wait until it is known here
    waitUpTo(20)
        .until(
            d -> {
              d.get(base + "/login");
              d.findElement(By.id("key")).sendKeys(key);
              d.findElement(By.id("sign-in")).click();
              return d.getCurrentUrl().equals(base + "/")
                  && d.getPageSource().contains("shop-prod");
            });
    assertThat(((JavascriptExecutor) browser).executeScript("return document.cookie"))
        .asString()
        .doesNotContain(Session.COOKIE);
    assertThat(browser.getPageSource()).doesNotContain("other-team-cluster");
    waitUpTo(10).until(d -> !d.findElements(By.cssSelector("#phase-chart svg")).isEmpty());
    shot("02-fleet");

    browser.findElement(By.linkText("shop-prod")).click();
    waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("timeline")));
    assertThat(browser.getCurrentUrl()).endsWith("/clusters/" + cluster);
    List<String> kinds =
        browser.findElements(By.cssSelector("#timeline tbody tr td:nth-child(3)")).stream()
            .map(org.openqa.selenium.WebElement::getText)
            .toList();
    assertThat(kinds)
        .containsExactly("registered", "reconcile-succeeded", "spec-changed", "reconcile-failed");
    assertThat(browser.findElement(By.id("spec-diff")).getText()).contains("overridden here");
    shot("03-cluster");

    // the state right after the first reconcile, through the timeline's link
    browser.findElements(By.cssSelector("#timeline a.state-then")).get(1).click();
    waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("state-at")));
    assertThat(browser.findElement(By.id("state-at")).getText())
        .contains("generation 1")
        .contains("Converged");
    // and through the picker: a local date-time, read as UTC, just after the override
    assertThat(browser.findElement(By.id("at")).getDomProperty("value")).isNotBlank();
    ((JavascriptExecutor) browser)
        .executeScript(
            "document.getElementById('at').value = arguments[0];",
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
                .withZone(java.time.ZoneOffset.UTC)
                .format(overrideAt.plusSeconds(5)));
    browser.findElement(By.cssSelector("#time-travel button")).click();
    waitUpTo(10).until(d -> d.findElement(By.id("state-at")).getText().contains("generation 2"));
    assertThat(browser.findElement(By.id("state-at")).getText())
        .contains("carol")
        .contains("ingress");
    shot("04-cluster-time-travel");

    browser.get(base + "/");
    browser.findElement(By.cssSelector("a.profile-link")).click();
    waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("diff")));
    assertThat(browser.findElement(By.id("diff")).getText()).contains("controller.replicaCount");
    assertThat(browser.findElement(By.id("profile-history")).getText())
        .contains("ProfileCreated")
        .contains("ProfileVersionUpdated")
        .contains("alice");
    shot("05-profile");

    browser.findElement(By.id("nav-compliance")).click();
    waitUpTo(10).until(d -> !d.findElements(By.cssSelector("#actor-chart svg")).isEmpty());
    assertThat(browser.findElement(By.id("compliance-clusters")).getText()).contains("shop-prod");
    shot("06-compliance");

    browser.findElement(By.id("nav-feed")).click();
    waitUpTo(10).until(ExpectedConditions.textToBe(By.id("live-state"), "live"));
    String fresh = "c-" + UUID.randomUUID();
    long sent = System.nanoTime();
    Publisher.publish(
        registered(fresh, "brand-new", project, gen(1, 1)), "dora", project, Instant.now());
    waitUpTo(5)
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#feed a[href='/clusters/" + fresh + "']")));
    long millis = (System.nanoTime() - sent) / 1_000_000;
    shot("07-feed-live");
    System.out.printf("dashboard: published -> on screen without reload in %d ms%n", millis);
    assertThat(millis).as("publish → on screen, ms").isLessThanOrEqualTo(2000);

    browser.findElement(By.cssSelector("#feed a[href='/clusters/" + fresh + "']")).click();
    waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("timeline")));
    assertThat(browser.findElement(By.tagName("h1")).getText()).contains("brand-new");

    browser.get(base + "/clusters/" + hidden);
    assertThat(browser.findElement(By.id("missing")).getText()).contains("No cluster");
    browser.findElement(By.cssSelector("form.who button")).click();
    waitUpTo(10).until(ExpectedConditions.urlToBe(base + "/login"));
    browser.get(base + "/");
    assertThat(browser.getCurrentUrl()).endsWith("/login");
  }
}
