package com.example.esb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

/**
 * A host with the twin on whose start fails: the Vert.x the twin was started on (event loops and
 * acceptor, not daemon threads) is closed all the same, so that the host's JVM can end. The host
 * does not stop its context, as one whose start threw would not (main() ends with the exception).
 */
class EsbHostStartFailureTest {

    @Test
    void aHostRefusedForAMisMountedBlockLeavesNoVertxThreadsThatWouldKeepItsJvmRunning() {
        Properties settings = variant("esb-refused-at-start");
        settings.put("payouts.outcomes.channels", "erp"); // its outcomes block delivers 'esb'

        assertThat(vertxThreadsLeftAfterAFailedStart(EsbHostApplication.create(EsbHostApplication.SETTINGS,
                settings))).isEmpty();
    }

    /** Refused while camel-payouts is configured, after the twin was started (its routes are not found). */
    @Test
    void aHostRefusedWhileConfiguredLeavesNoVertxThreadsThatWouldKeepItsJvmRunning() {
        Properties settings = variant("esb-refused-configuring");
        settings.put("payouts.routes", "classpath:nowhere/none.yaml");

        assertThat(vertxThreadsLeftAfterAFailedStart(EsbHostApplication.create(EsbHostApplication.SETTINGS,
                settings))).isEmpty();
    }

    @Test
    void aHostWhoseRoutesCannotStartLeavesNoVertxThreadsThatWouldKeepItsJvmRunning() {
        Main host = EsbHostApplication.create(EsbHostApplication.SETTINGS, variant("esb-routes-fail"));
        host.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                // a direct: endpoint takes one consumer: the second route cannot start
                from("direct:esb-taken-twice").routeId("esb-first").log("first");
                from("direct:esb-taken-twice").routeId("esb-second").log("second");
            }
        });

        assertThat(vertxThreadsLeftAfterAFailedStart(host)).isEmpty();
    }

    /** The non-daemon Vert.x threads the host started and left alive after its start failed. */
    private static List<String> vertxThreadsLeftAfterAFailedStart(Main host) {
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        try {
            assertThat(catchThrowable(host::start)).as("the start fails").isNotNull();
            return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> vertxThreadsSince(before), List::isEmpty);
        } catch (org.awaitility.core.ConditionTimeoutException stillRunning) {
            return vertxThreadsSince(before);
        } finally {
            host.stop();
        }
    }

    private static List<String> vertxThreadsSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.isAlive() && !thread.isDaemon()
                        && thread.getName().startsWith("vert.x-"))
                .map(Thread::getName).toList();
    }

    private static Properties variant(String name) {
        Properties settings = new Properties();
        settings.put("camel.main.name", name);
        settings.put("payouts.db.url", "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        return settings;
    }
}
