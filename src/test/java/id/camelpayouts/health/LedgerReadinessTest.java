package id.camelpayouts.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.Main;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;

import id.camelpayouts.PayoutsConfiguration;

/**
 * Readiness includes the ledger: with its database unreachable (the database server stopped) the
 * application is not ready, and says why; once the server is back, it is ready again.
 */
class LedgerReadinessTest {

    @Test
    void readinessIsDownWhileTheLedgersDatabaseIsUnreachableAndUpOnceItIsBack() throws Exception {
        Server database = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        int port = database.getPort();
        Main engine = new Main();
        engine.configure().addConfiguration(PayoutsConfiguration.class);
        engine.setOverrideProperties(settings("jdbc:h2:tcp://127.0.0.1:" + port + "/mem:readiness;DB_CLOSE_DELAY=-1"));
        engine.start();
        try {
            CamelContext context = engine.getCamelContext();
            assertThat(ledger(context).getState()).isEqualTo(HealthCheck.State.UP);
            assertThat(HealthCheckHelper.isResultsUp(HealthCheckHelper.invokeReadiness(context), true)).isTrue();

            database.stop();
            HealthCheck.Result down = ledger(context);
            assertThat(down.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(down.getMessage()).hasValueSatisfying(message -> assertThat(message)
                    .startsWith("ledger database").doesNotContain("jdbc:"));
            assertThat(HealthCheckHelper.isResultsUp(HealthCheckHelper.invokeReadiness(context), true)).isFalse();
            assertThat(HealthCheckHelper.invokeLiveness(context)).as("not a reason to restart the process")
                    .noneMatch(result -> result.getCheck().getId().equals("payouts-ledger"));

            database = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists").start();
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                    .until(() -> ledger(context).getState() == HealthCheck.State.UP);
        } finally {
            engine.stop();
            database.stop();
        }
    }

    private static HealthCheck.Result ledger(CamelContext context) {
        return HealthCheckRegistry.get(context).getCheck("payouts-ledger").orElseThrow().callReadiness();
    }

    private static Properties settings(String ledger) {
        Properties settings = new Properties();
        settings.put("camel.main.name", "ledger-readiness");
        settings.put("payouts.db.url", ledger);
        settings.put("payouts.instance-id", "readiness");
        settings.put("duitku.user-id", "3551");
        settings.put("duitku.email", "ops@example.com");
        settings.put("duitku.secret-key", "readiness-secret");
        return settings;
    }
}
