package io.rowstream.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium driven by Selenium through chromedriver, for the web console's tests:
 * Debian's {@code chromium} and {@code chromium-driver} (which {@code .ci/run} installs), never a
 * browser Selenium would download. One per test class. A test that finds no browser is skipped,
 * saying so. Screenshots go to {@code target/ui-screenshots/}.
 */
public final class Browser implements AutoCloseable {
  public static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final List<String> BROWSERS =
      List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
  private static final List<String> DRIVERS =
      List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

  private final ChromeDriver driver;

  private Browser(ChromeDriver driver) {
    this.driver = driver;
  }

  /** A headless browser with a laptop's window; skips the test class when none is installed. */
  public static Browser start() {
    Optional<String> browser = firstExisting(BROWSERS);
    Optional<String> driverBinary = firstExisting(DRIVERS);
    assumeTrue(
        browser.isPresent() && driverBinary.isPresent(),
        "no chromium and chromedriver here (looked for " + BROWSERS + " and " + DRIVERS
            + "): install Debian's chromium and chromium-driver, as .ci/run does");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(browser.get());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--lang=en-US");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(driverBinary.get()))
        .usingAnyFreePort()
        .build();
    return new Browser(new ChromeDriver(service, options));
  }

  private static Optional<String> firstExisting(List<String> paths) {
    return paths.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst();
  }

  public WebDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  public void size(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
  }

  /**
   * Waits (up to 20 s, polling the page) until {@code condition} answers non-null and not false;
   * when it times out, what the page showed is kept as {@code timeout-….png} beside the screenshots.
   */
  public <T> T until(String what, Function<WebDriver, T> condition) {
    try {
      return new WebDriverWait(driver, WAIT)
          .withMessage(what)
          .ignoring(StaleElementReferenceException.class)
          .until(condition);
    } catch (TimeoutException e) {
      screenshot("timeout-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
      throw e;
    }
  }

  /** The element, once it is there and shown. */
  public WebElement shown(By by) {
    return until("shown: " + by, d -> {
      List<WebElement> found = d.findElements(by);
      return found.isEmpty() || !found.getFirst().isDisplayed() ? null : found.getFirst();
    });
  }

  /** Waits until the element's text contains {@code text}; returns the whole text. */
  public String text(By by, String text) {
    return until("text '" + text + "' in " + by, d -> {
      List<WebElement> found = d.findElements(by);
      if (found.isEmpty()) {
        return null;
      }
      String shown = found.getFirst().getText();
      return shown.contains(text) ? shown : null;
    });
  }

  /** The cell texts of a console table's row (its {@code data-key}), once the row is there. */
  public List<String> row(String table, String key) {
    By by = By.cssSelector("table[data-table='" + table + "'] tr[data-key='" + key + "'] td");
    return until("row " + key + " of table " + table, d -> {
      List<String> cells = d.findElements(by).stream().map(WebElement::getText).toList();
      return cells.isEmpty() ? null : cells;
    });
  }

  public void click(By by) {
    shown(by).click();
  }

  /** Sets an input's value as a user typing it would (clears it first). */
  public void type(By by, String text) {
    WebElement input = shown(by);
    input.clear();
    input.sendKeys(text);
  }

  public Object script(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  public Object asyncScript(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
  }

  /** Saves what the window shows as {@code target/ui-screenshots/NAME.png}; returns the file. */
  public Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The page's script errors since the last call: the browser's SEVERE log lines, less the failed
   * requests that the console answers itself (a 401 before signing in, a refused reset).
   */
  public List<String> scriptErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .filter(m -> !m.contains("Failed to load resource"))
        .toList();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
