package id.camelpayouts.console;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

import id.camelpayouts.gateway.GatewayTestSupport;

/**
 * A browser test class of the console: the whole gateway and its twin (one for the class, see
 * GatewayTestSupport) and one headless Chromium for its tests. Each test saves what the browser
 * showed at its end as target/console-screenshots/{test}.png, pass or fail, for a person to look
 * at. Skipped where Chromium and its driver are not installed.
 */
abstract class ConsoleBrowserSupport extends GatewayTestSupport {

    protected ConsoleBrowser browser;

    /** The browser starts with the first test (the gateway's port is known once it runs) and serves them all. */
    @BeforeEach
    void startBrowser() {
        assumeTrue(ConsoleBrowser.installed(), "chromium and chromium-driver are not installed (.ci/run installs them)");
        if (browser == null) {
            browser = new ConsoleBrowser(uri("").toString());
        }
    }

    @AfterEach
    void screenshot(TestInfo test) {
        if (browser != null) {
            browser.screenshot(test.getTestMethod().orElseThrow().getName());
        }
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }
}
