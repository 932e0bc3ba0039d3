package io.hypersdk.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard in real Chromium (Debian's chromium + chromium-driver), driven by Selenium. */
@Timeout(300)
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir static Path tmp;
    static JobServer server;
    static ChromeDriver browser;
    static Api api;

    @BeforeAll
    static void start() {
        assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "needs Debian's chromium and chromium-driver (scripts/install-test-deps.sh)");
        // one worker: a test can hold it, so that a job's page opens before the job runs
        server = Fixtures.server(tmp.resolve("state")).maxConcurrent(1).build().start();
        api = new Api(server);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1000,1400");
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(DRIVER.toFile())
                        .usingAnyFreePort()
                        .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void openForm() {
        browser.get(server.url() + "/#/new");
        browser.navigate().refresh();
        await().until(
                        d ->
                                d.findElement(By.id("form-view")).isDisplayed()
                                        && d.findElements(By.cssSelector("#provider option")).size()
                                                > 0);
    }

    @Test
    void theDaemonFieldsAreHiddenUntilTheCheckboxIsTickedFromTheKeyboard() throws Exception {
        WebElement daemon = browser.findElement(By.id("hyper2kvm_daemon"));
        assertThat(browser.findElement(By.id("daemon-fields")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("hyper2kvm_poll_interval")).isDisplayed()).isFalse();

        daemon.sendKeys(Keys.SPACE);

        assertThat(daemon.isSelected()).isTrue();
        assertThat(daemon.getAttribute("aria-expanded")).isEqualTo("true");
        for (String f :
                List.of(
                        "hyper2kvm_instance",
                        "hyper2kvm_watch_dir",
                        "hyper2kvm_output_dir",
                        "hyper2kvm_poll_interval",
                        "hyper2kvm_daemon_timeout")) {
            assertThat(browser.findElement(By.id(f)).isDisplayed()).as(f).isTrue();
        }
        assertThat(browser.findElement(By.id("hyper2kvm_instance-hint")).getText())
                .isEqualTo("empty = hyper2kvm.service; a name selects hyper2kvm@NAME.service");
        screenshot("dashboard-form-daemon-open.png");

        daemon.sendKeys(Keys.SPACE);
        assertThat(browser.findElement(By.id("daemon-fields")).isDisplayed()).isFalse();
    }

    @Test
    void outOfRangePollIntervalAndTimeoutAreRefusedWithTheRangeShown() {
        int before = api.get("/jobs/query").json().path("total").asInt();
        browser.findElement(By.id("vm_path")).sendKeys("sample-appliance.ova");
        browser.findElement(By.id("hyper2kvm_daemon")).click();

        assertThat(submitWith("hyper2kvm_poll_interval", "0"))
                .isEqualTo("Poll interval (seconds): must be between 1 and 60 seconds (got: 0)");
        assertThat(submitWith("hyper2kvm_poll_interval", "61"))
                .isEqualTo("Poll interval (seconds): must be between 1 and 60 seconds (got: 61)");
        browser.findElement(By.id("hyper2kvm_poll_interval")).clear();
        assertThat(submitWith("hyper2kvm_daemon_timeout", "241"))
                .isEqualTo("Timeout (minutes): must be between 1 and 240 minutes (got: 241)");
        assertThat(browser.switchTo().activeElement().getAttribute("id"))
                .isEqualTo("hyper2kvm_daemon_timeout");
        assertThat(api.get("/jobs/query").json().path("total").asInt()).isEqualTo(before);
    }

    @Test
    void aValidSubmissionOpensItsJobPageWhichFollowsTheJobToConverted() throws Exception {
        // the sample converts in about a second: hold the worker until the page follows the job
        Path slow = Fixtures.slowConverter(tmp);
        String blocker =
                api.post("/jobs/submit", Fixtures.slowJob(tmp.resolve("blocker"), slow))
                        .json()
                        .path("job_ids")
                        .get(0)
                        .asText();
        browser.findElement(By.id("vm_path")).sendKeys("sample-appliance.ova");
        browser.findElement(By.id("output_dir")).sendKeys(tmp.resolve("browser-export").toString());
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("converter")))
                .selectByValue("qemu-img");
        browser.findElement(By.id("submit")).click();

        await().until(d -> d.getCurrentUrl().contains("#/jobs/"));
        await().until(d -> d.findElement(By.id("job-status")).getText().equals("pending"));
        api.post("/jobs/cancel", "{\"job_ids\": [\"" + blocker + "\"]}");
        List<String> seen = new ArrayList<>();
        seen.add("pending " + browser.findElement(By.id("job-progress")).getAttribute("value"));
        new WebDriverWait(browser, Duration.ofSeconds(120))
                .until(
                        d -> {
                            String status = d.findElement(By.id("job-status")).getText();
                            String progress =
                                    d.findElement(By.id("job-progress")).getAttribute("value");
                            if (seen.isEmpty()
                                    || !seen.get(seen.size() - 1).equals(status + " " + progress)) {
                                seen.add(status + " " + progress);
                            }
                            return !status.equals("pending")
                                    && !status.equals("running")
                                    && !status.isEmpty();
                        });

        assertThat(browser.findElement(By.id("job-status")).getText()).isEqualTo("completed");
        assertThat(browser.findElement(By.id("job-progress")).getAttribute("value"))
                .isEqualTo("100");
        assertThat(seen.size()).as("states seen: %s", seen).isGreaterThanOrEqualTo(2);
        assertThat(browser.findElement(By.id("job-mode")).getText()).isEqualTo("qemu-img");
        assertThat(browser.findElement(By.id("job-reason")).getText()).contains("qemu-img");
        assertThat(browser.findElement(By.id("job-images")).getText()).contains(".qcow2");
        assertThat(browser.findElement(By.id("job-events")).getText()).contains("stage: ");
        screenshot("dashboard-job-finished.png");
    }

    @Test
    void aPostFromThePageWithoutTheCsrfTokenIsRefused() {
        Object status =
                ((JavascriptExecutor) browser)
                        .executeAsyncScript(
                                "const done = arguments[arguments.length - 1];"
                                        + "fetch('/jobs/submit', {method: 'POST', headers: {'Content-Type': 'application/json'},"
                                        + " body: JSON.stringify({vm_path: 'x'})}).then(r => done(r.status), e => done(String(e)));");
        assertThat(status).isEqualTo(403L);
    }

    @Test
    void withABearerTokenTheJobListIsRefusedUntilTheSignInFormIsGivenTheToken() throws Exception {
        String token = "0123456789abcdef0123456789abcdef";
        Path tokenFile = Files.writeString(tmp.resolve("token"), token + "\n");
        try (JobServer guarded =
                Fixtures.server(tmp.resolve("guarded-state"))
                        .bearerTokenFile(tokenFile)
                        .build()
                        .start()) {
            String id =
                    new Api(guarded)
                            .post(
                                    "/jobs/submit",
                                    "{\"vm_path\": \"sample-appliance.ova\", \"output_dir\": \""
                                            + tmp.resolve("guarded-export")
                                            + "\"}",
                                    java.util.Map.of(
                                            "Content-Type",
                                            "application/json",
                                            "Authorization",
                                            "Bearer " + token))
                            .json()
                            .path("job_ids")
                            .get(0)
                            .asText();
            browser.get(guarded.url() + "/#/");
            await().until(d -> d.findElement(By.id("login-view")).isDisplayed());
            assertThat(browser.findElement(By.id("jobs-view")).isDisplayed()).isFalse();
            assertThat(fetchStatus("/jobs/query")).isEqualTo(401L);

            WebElement field = browser.findElement(By.id("token"));
            field.sendKeys("not-the-token-at-all", Keys.ENTER);
            await().until(d -> d.findElement(By.id("token-error")).isDisplayed());
            assertThat(browser.findElement(By.id("token-error")).getText())
                    .contains("wrong token")
                    .doesNotContain(token);
            field.sendKeys(token, Keys.ENTER);

            By row = By.cssSelector("tr[data-job-id='" + id + "']");
            await().until(d -> !d.findElements(row).isEmpty());
            assertThat(browser.findElement(By.id("jobs-view")).isDisplayed()).isTrue();
            assertThat(fetchStatus("/jobs/query")).isEqualTo(200L);
            org.openqa.selenium.Cookie session =
                    browser.manage().getCookieNamed(RequestGuard.SESSION_COOKIE);
            assertThat(session.isHttpOnly()).isTrue();
            assertThat(session.getValue()).isNotEqualTo(token);
        }
    }

    @Test
    void theDirectoryPlaceholdersFollowTheInstanceTyped() {
        browser.findElement(By.id("hyper2kvm_daemon")).click();
        WebElement watch = browser.findElement(By.id("hyper2kvm_watch_dir"));
        WebElement output = browser.findElement(By.id("hyper2kvm_output_dir"));
        WebElement instance = browser.findElement(By.id("hyper2kvm_instance"));
        assertThat(watch.getAttribute("placeholder")).isEqualTo("/var/lib/hyper2kvm/queue");

        instance.sendKeys("lab-7");

        await().until(
                        d ->
                                watch.getAttribute("placeholder")
                                        .equals("/var/lib/hyper2kvm/lab-7/queue"));
        assertThat(output.getAttribute("placeholder")).isEqualTo("/var/lib/hyper2kvm/lab-7/output");
        for (int i = 0; i < "lab-7".length(); i++) {
            instance.sendKeys(Keys.BACK_SPACE);
        }
        await().until(d -> watch.getAttribute("placeholder").equals("/var/lib/hyper2kvm/queue"));
        assertThat(output.getAttribute("placeholder")).isEqualTo("/var/lib/hyper2kvm/output");
    }

    private static Object fetchStatus(String path) {
        return ((JavascriptExecutor) browser)
                .executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "fetch(arguments[0]).then(r => done(r.status), e => done(String(e)));",
                        path);
    }

    private String submitWith(String field, String value) {
        WebElement input = browser.findElement(By.id(field));
        input.clear();
        input.sendKeys(value);
        browser.findElement(By.id("submit")).click();
        WebElement error = browser.findElement(By.id(field + "-error"));
        await().until(d -> error.isDisplayed());
        return error.getText();
    }

    private static WebDriverWait await() {
        return new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    private static void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
