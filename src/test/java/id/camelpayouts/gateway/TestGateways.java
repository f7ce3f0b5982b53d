package id.camelpayouts.gateway;

import id.camelpayouts.GatewayConfiguration;

import java.util.Properties;

import org.apache.camel.main.Main;

import id.camelpayouts.twin.DuitkuTwin;

/**
 * Starts and stops whole gateways inside the test JVM, for tests that restart one: configured as
 * the jar is (application.properties, routes/), pointed at a twin the test runs itself.
 */
final class TestGateways {

    static final String SECRET = "restart-test-secret-9f3";
    static final String API_KEY = "restart-key";

    private TestGateways() {
    }

    /** Credentials and addresses for a gateway using {@code twin}, its ledger and data under {@code dataDir}. */
    static Properties settings(DuitkuTwin twin, String ledgerUrl, String dataDir) {
        Properties overrides = new Properties();
        overrides.put("camel.server.port", "0");
        overrides.put("camel.management.enabled", "false");
        overrides.put("payouts.twin", "false");
        overrides.put("duitku.base-url", twin.baseUrl());
        overrides.put("duitku.user-id", "4242");
        overrides.put("duitku.email", "ops@example.com");
        overrides.put("duitku.secret-key", SECRET);
        overrides.put("payouts.db.url", ledgerUrl);
        overrides.put("payouts.data-dir", dataDir);
        overrides.put("payouts.instance-id", "restart-test");
        overrides.put("payouts.api-key", API_KEY);
        overrides.put("payouts.reconcile.interval", "200ms");
        overrides.put("payouts.work.resume-after", "1s");
        return overrides;
    }

    static DuitkuTwin.Settings twinSettings(long latencyMillis, long slowMillis) {
        return new DuitkuTwin.Settings("127.0.0.1", 0, 4242, "ops@example.com", SECRET, 1_000_000_000_000L,
                latencyMillis, slowMillis);
    }

    static Main start(Properties overrides) {
        Main main = new Main();
        main.configure().addConfiguration(GatewayConfiguration.class);
        main.setDefaultPropertyPlaceholderLocation("file:application.properties");
        main.setOverrideProperties(overrides);
        main.start();
        return main;
    }

    /** Stops the gateway without waiting for work in flight, as a crash would. */
    static void crash(Main gateway) {
        gateway.getCamelContext().getShutdownStrategy().setTimeout(1);
        gateway.stop();
    }
}
