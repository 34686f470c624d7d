package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium and chromedriver for the console's browser tests, found at /usr/bin or where CHROME_BIN and CHROMEDRIVER
 * (environment or system properties) say. Nothing is downloaded: Selenium is handed both paths. Missing, the tests fail
 * with how to install them; they never skip.
 */
final class Browser {
    static final String INSTALL =
            "install them with `sudo apt-get update && sudo apt-get install -y chromium chromium-driver` (Debian/Ubuntu; "
                    + ".ci/run does it as root), or point CHROME_BIN and CHROMEDRIVER at a Chromium and its chromedriver of the same major version";

    private Browser() {}

    static String setting(String name, String fallback) {
        return Optional.ofNullable(System.getProperty(name))
                .or(() -> Optional.ofNullable(System.getenv(name)))
                .orElse(fallback);
    }

    /** A headless Chromium at a fixed window size, with its own profile directory. */
    static WebDriver chromium() throws IOException {
        String bin = setting("CHROME_BIN", "/usr/bin/chromium");
        String driver = setting("CHROMEDRIVER", "/usr/bin/chromedriver");
        for (String exe : new String[] {bin, driver}) {
            if (!Files.isExecutable(Path.of(exe))) {
                fail("the console's browser tests need Chromium and chromedriver, and " + exe + " is not there: "
                        + INSTALL);
            }
        }
        assertEquals(
                major(bin),
                major(driver),
                "Chromium (" + bin + ") and chromedriver (" + driver + ") differ in major version: " + INSTALL);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(driver))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(bin);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1280,1000",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        ChromeDriver chrome = new ChromeDriver(service, options);
        chrome.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return chrome;
    }

    /** The major version a binary prints for --version ("Chromium 156.0...", "ChromeDriver 156.0..."). */
    static int major(String exe) throws IOException {
        Process p =
                new ProcessBuilder(exe, "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            p.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Matcher m =
                Pattern.compile("(?:Chromium|Chrome|ChromeDriver)\\D*(\\d+)\\.").matcher(out);
        if (!m.find()) {
            fail(exe + " --version printed no version (" + out.trim() + "): " + INSTALL);
        }
        return Integer.parseInt(m.group(1));
    }

    /** Saves what the browser shows to target/console/NAME.png. */
    static Path screenshot(WebDriver driver, String name) throws IOException {
        Path dir = Path.of("target", "console");
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".png");
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        return file;
    }

    /** Polls until the condition gives a non-null, non-false value; fails with what the page showed. */
    static <T> T await(WebDriver driver, String what, Duration timeout, Supplier<T> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                T v = condition.get();
                if (v != null && !Boolean.FALSE.equals(v)) {
                    return v;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        String text = driver.findElement(By.tagName("body")).getText();
        Object events = ((JavascriptExecutor) driver)
                .executeScript(
                        "return [window.consoleEvents, location.href, " + "document.getElementById('live').className]");
        throw new AssertionError("timed out waiting for " + what + (last == null ? "" : " (" + last + ")")
                + "; events, page, live: " + events
                + "; the page showed:\n"
                + text.substring(0, Math.min(3000, text.length())));
    }
}
