package id.camelpayouts.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Selenium, for the console's browser tests: one browser for
 * a test class, a laptop's screen (1366x768), the driver and the browser named by their paths
 * (no Selenium Manager, no download: the tests run without internet).
 */
final class ConsoleBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("console.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("console.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Selenium looks for DevTools classes matching the browser's version and warns when none do: not used here. */
    private static final Logger DEVTOOLS_LOG = Logger.getLogger("org.openqa.selenium.devtools");

    private final ChromeDriver driver;
    private final String base;

    /** Whether Chromium and its driver are installed (.ci/run installs them). */
    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    ConsoleBrowser(String base) {
        DEVTOOLS_LOG.setLevel(Level.SEVERE);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-extensions", "--no-first-run", "--lang=en-US", "--window-size=1366,768");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        this.driver.manage().window().setSize(new Dimension(1366, 768));
        this.base = base;
    }

    /** Opens a console address, e.g. "#/batches" (the console's page, then the fragment). */
    void open(String fragment) {
        driver.get(base + "/console/" + fragment);
    }

    /** A fresh browser tab's state (no key in its session), then the sign-in page, then signed in with this key. */
    void signIn(String apiKey) {
        signOut();
        type(By.id("api-key"), apiKey);
        driver.findElement(By.id("sign-in")).click();
        waitFor(d -> !d.findElements(By.id("who-name")).isEmpty());
    }

    void signOut() {
        open("");
        ((JavascriptExecutor) driver).executeScript("sessionStorage.clear(); localStorage.clear();");
        driver.navigate().refresh();
        waitFor(d -> !d.findElements(By.id("api-key")).isEmpty());
    }

    void type(By field, String text) {
        WebElement element = waitFor(d -> d.findElement(field));
        element.clear();
        element.sendKeys(text);
    }

    void click(By button) {
        waitFor(d -> {
            WebElement element = d.findElement(button);
            return element.isDisplayed() && element.isEnabled() ? element : null;
        }).click();
    }

    /** The element's text once it is there (and not empty). */
    String text(By element) {
        return waitFor(d -> {
            List<WebElement> found = d.findElements(element);
            return found.isEmpty() || found.get(0).getText().isBlank() ? null : found.get(0).getText();
        });
    }

    /** The element's text once it satisfies the condition (e.g. a status that changes by itself). */
    String textOnce(By element, Predicate<String> condition) {
        return waitFor(d -> {
            List<WebElement> found = d.findElements(element);
            return found.isEmpty() || !condition.test(found.get(0).getText()) ? null : found.get(0).getText();
        });
    }

    /**
     * Clicks an action's button and answers the notice it leads to (the result of every action,
     * good or bad, under the header); the notice before it is cleared first, so it is never read.
     */
    String act(By button) {
        script("const n = document.getElementById('notice'); n.hidden = true; n.replaceChildren();");
        click(button);
        return text(By.id("notice-text"));
    }

    Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    <T> T waitFor(Function<WebDriver, T> condition) {
        // the console re-renders as it refreshes: an element found a moment ago may be gone, so look again
        return new WebDriverWait(driver, WAIT, Duration.ofMillis(100)).ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    WebDriver driver() {
        return driver;
    }

    /** Saves what the browser shows as target/console-screenshots/{name}.png; answers the file. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot save the screenshot " + name, e);
        }
    }

    /** Saves the whole page, however long, at the window's width (for the README's pictures). */
    Path fullPage(Path file) {
        Number height = (Number) script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)");
        Dimension before = driver.manage().window().getSize();
        try {
            driver.manage().window().setSize(new Dimension(before.width, Math.min(2400, height.intValue() + 150)));
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot save " + file, e);
        } finally {
            driver.manage().window().setSize(before);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
