package dev.cotenant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard as a user meets it, in headless Chromium against the packaged stack: sign in with a
 * token, see the cluster's cards live, submit a job from the page, see it reach its card (pod on
 * the card, bar on the timeline, row with its node), read its decision and trace link. The stack
 * runs at speed 10 so a job's 300 simulated seconds last 30 s on its card. With {@code
 * -Dcotenant.dashboard.screenshot=FILE} the page is saved there (README's picture).
 */
class DashboardIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static Path home;
  private static LaunchPorts ports;
  private static StackLauncher launcher;
  private static WebDriver browser;

  @BeforeAll
  static void up() throws Exception {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present && System.getenv("CI") != null) {
      throw new IllegalStateException(
          "CI must install chromium and chromium-driver (.ci/run does): "
              + CHROMIUM
              + ", "
              + CHROMEDRIVER);
    }
    Assumptions.assumeTrue(
        present,
        "no " + CHROMIUM + " / " + CHROMEDRIVER + ": apt-get install chromium chromium-driver");
    home = ItStack.home("cotenant-dash");
    ports = ItStack.freePorts();
    launcher =
        new StackLauncher(
                Path.of(System.getProperty("cotenant.root", "../..")),
                home,
                ports,
                Optional.empty())
            .withZipkin()
            .simulation(Optional.empty(), OptionalDouble.of(10));
    assertThat(launcher.up(Duration.ofSeconds(180))).allMatch(StackLauncher.Status::up);

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toString());
    options.addArguments("--headless=new", "--no-sandbox", "--window-size=1400,1750");
    // Debian's driver, never one Selenium Manager would download.
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void down() {
    if (browser != null) {
      browser.quit();
    }
    if (launcher != null) {
      launcher.down();
    }
  }

  @Test
  void aJobSubmittedOnThePageReachesItsCardLive() throws Exception {
    String url = "http://127.0.0.1:" + ports.get("job-api") + "/dashboard/";
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    browser.get(url);

    // Signed out, the page asks for a token and shows nothing else.
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
    assertThat(browser.findElement(By.id("app")).isDisplayed()).isFalse();
    browser.findElement(By.id("token-input")).sendKeys("not-a-token");
    browser.findElement(By.cssSelector("#token-form button")).click();
    assertThat(browser.findElement(By.id("sign-in-error")).getText())
        .contains("not a Cotenant token");

    String token = new DevTokens(home).token("browser", false, Duration.ofMinutes(30));
    WebElement input = browser.findElement(By.id("token-input"));
    input.clear();
    input.sendKeys(token);
    browser.findElement(By.cssSelector("#token-form button")).click();
    wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
    assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("tenant browser");

    // Every card of the default cluster's GPU node, from the monitor's telemetry.
    wait.until(
        ExpectedConditions.numberOfElementsToBe(
            By.cssSelector(".card[data-node='seed001-gpu']"), 4));

    fill("name", "from-the-page");
    fill("gpuMilli", "400");
    fill("gpuMemoryMiB", "6000");
    new Select(browser.findElement(By.name("policy"))).selectByVisibleText("binpack");
    browser.findElement(By.cssSelector("#submit-form button")).click();
    WebElement accepted =
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("accepted")));
    String job = accepted.getAttribute("data-job");
    assertThat(job).matches("[0-9a-f-]{36}");

    // On its card: the pod chip, named by its job, from the telemetry the monitor published.
    WebElement chip =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(".card[data-node='seed001-gpu'] .pod[data-job='" + job + "']")));
    assertThat(chip.getText()).isEqualTo("from-the-page");
    WebElement card = chip.findElement(By.xpath("ancestor::div[@data-gpu][1]"));
    String gpu = card.getAttribute("data-gpu");
    assertThat(card.getText()).containsPattern("memory [1-9][0-9]* / 12288 MiB");

    // Its row says where it runs, live from the job events; its bar is on that card's row.
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector("tr.job[data-job='" + job + "'] .where"), "seed001-gpu/gpu" + gpu));
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#gantt rect.bar[data-job='" + job + "']")));

    // Its decision: the policy asked for, the card, ranked candidates and a trace link.
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("decision"), "binpack"));
    String decision = browser.findElement(By.id("decision")).getText();
    assertThat(decision).contains("seed001-gpu GPU " + gpu);
    assertThat(browser.findElements(By.cssSelector("#candidates tbody tr"))).isNotEmpty();
    String trace = browser.findElement(By.cssSelector("#decision a")).getAttribute("href");
    assertThat(trace)
        .startsWith("http://127.0.0.1:" + ports.get("zipkin") + "/zipkin/")
        .contains(job);

    // A job submitted elsewhere (the API) appears without a reload, from the event stream.
    String other = submitThroughApi(token, "from-the-api");
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector("tr.job[data-job='" + other + "'] .where"), "seed001-gpu/gpu"));
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector(".pod[data-job='" + other + "']")));
    screenshot();
  }

  private static String submitThroughApi(String token, String name) throws Exception {
    String body =
        "{\"name\":\""
            + name
            + "\",\"image\":\"ghcr.io/acme/bert:1\",\"replicas\":1,\"resources\":"
            + "{\"cpuMilli\":1000,\"memoryMiB\":2048,\"gpu\":{\"milli\":300,\"memoryMiB\":3000}}}";
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://127.0.0.1:" + ports.get("job-api") + "/api/v1/jobs"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", java.util.UUID.randomUUID().toString())
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(response.body())
        .get("id")
        .asText();
  }

  private static void fill(String name, String value) {
    WebElement field = browser.findElement(By.name(name));
    field.clear();
    field.sendKeys(value);
  }

  private static void screenshot() throws Exception {
    Path shot =
        ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Path target = Path.of("target", "dashboard-it.png");
    Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
    String wanted = System.getProperty("cotenant.dashboard.screenshot");
    if (wanted != null && !wanted.isBlank()) {
      Files.copy(shot, Path.of(wanted), StandardCopyOption.REPLACE_EXISTING);
    }
    System.out.println("dashboard screenshot: " + target.toAbsolutePath());
  }
}
