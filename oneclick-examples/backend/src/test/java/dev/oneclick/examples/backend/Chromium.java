package dev.oneclick.examples.backend;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium from the Debian packages {@code chromium} and {@code chromium-driver}, driven by Selenium with
 * both binaries named explicitly, so Selenium Manager never looks for (or downloads) a driver or a browser. Missing
 * packages fail the test with the command that installs them.
 */
final class Chromium {
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {
    }

    static ChromeDriver start() {
        if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
            fail("Headless Chromium is needed for the panel tests but " + (Files.isExecutable(BROWSER) ? DRIVER
                    : BROWSER) + " is missing; install it with: apt-get update && apt-get install -y chromium "
                    + "chromium-driver");
        }
        // Selenium Manager would only run if a binary were left unnamed; offline mode makes any attempt fail loudly.
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        System.setProperty("SE_OFFLINE", "true");
        Path profile;
        try {
            profile = Files.createTempDirectory("oneclick-chromium-profile");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile);
        return new ChromeDriver(service, options);
    }

    /** Selenium Manager's cache; it must not appear, since nothing may be downloaded. */
    static Path seleniumManagerCache() {
        return Path.of(System.getProperty("user.home"), ".cache", "selenium");
    }
}
