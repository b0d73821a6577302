package dev.directspec.e2e;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's headless Chromium driven through its chromedriver with Selenium (the W3C WebDriver client
 * every browser vendor tests against), to check pages the way a reader's browser shows them.
 */
final class Chromium implements AutoCloseable {
  static final File BROWSER = new File("/usr/bin/chromium");
  static final File DRIVER = new File("/usr/bin/chromedriver");

  /** What a rendered page showed: its images' natural widths and its console errors. */
  record Page(List<Long> imageWidths, List<String> consoleErrors) {
    List<String> problems() {
      List<String> out = new ArrayList<>(consoleErrors.stream().map(e -> "console error: " + e).toList());
      for (int k = 0; k < imageWidths.size(); k++) {
        if (imageWidths.get(k) <= 0) out.add("image " + k + " did not load (naturalWidth 0)");
      }
      return out;
    }
  }

  private final ChromeDriver driver;

  private Chromium(ChromeDriver driver) {
    this.driver = driver;
  }

  /**
   * Starts the browser, or skips the calling test when Debian's chromium and chromium-driver are not
   * installed (.ci/run installs them and sets DIRECTSPEC_REQUIRE_CHROMIUM=1, which turns the skip into a
   * failure).
   */
  static Chromium start(Path profile) {
    boolean present = BROWSER.canExecute() && DRIVER.canExecute();
    if (!present && "1".equals(System.getenv("DIRECTSPEC_REQUIRE_CHROMIUM"))) {
      throw new IllegalStateException("DIRECTSPEC_REQUIRE_CHROMIUM=1 but " + BROWSER + " or " + DRIVER
          + " is missing: apt-get install chromium chromium-driver");
    }
    assumeTrue(present, "skipped: " + BROWSER + " or " + DRIVER + " missing (apt-get install chromium chromium-driver)");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER);
    // Flags that work as root in a container without a display, a GPU or network access.
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath());
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER)
        .usingAnyFreePort().build();
    return new Chromium(new ChromeDriver(service, options));
  }

  /** Opens a file, waits for it to finish loading, saves a full-page screenshot and reports what it saw. */
  Page open(Path html, Path screenshot) throws Exception {
    driver.get(html.toUri().toString());
    JavascriptExecutor js = driver;
    long deadline = System.currentTimeMillis() + 30_000;
    while (!"complete".equals(js.executeScript("return document.readyState"))) {
      if (System.currentTimeMillis() > deadline) throw new IllegalStateException(html + " did not finish loading");
      Thread.sleep(100);
    }
    @SuppressWarnings("unchecked")
    List<Long> widths = (List<Long>) js.executeScript(
        "return Array.from(document.images).map(i => i.complete ? i.naturalWidth : 0);");
    long height = (Long) js.executeScript("return document.documentElement.scrollHeight;");
    driver.manage().window().setSize(new Dimension(1400, (int) Math.min(height + 40, 16_000)));
    Files.createDirectories(screenshot.getParent());
    Files.write(screenshot, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    List<String> errors = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) errors.add(e.getMessage());
    }
    return new Page(widths, errors);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
