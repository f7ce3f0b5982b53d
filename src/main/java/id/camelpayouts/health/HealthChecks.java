package id.camelpayouts.health;

import java.util.function.Supplier;

import javax.sql.DataSource;

import jakarta.jms.ConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * Adds the engine's readiness checks to the application's health registry (with Camel Main:
 * /observe/health and /observe/health/ready), once the context starts and only if the
 * application has health checks on. Call only when camel-health is on the classpath
 * ({@link #available()}): a host without it has no health registry to add to.
 */
public final class HealthChecks {

    private HealthChecks() {
    }

    public static boolean available() {
        try {
            Class.forName("org.apache.camel.impl.health.AbstractHealthCheck", false, HealthChecks.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException absent) {
            return false;
        }
    }

    /** The ledger's database answers (readiness check {@code payouts-ledger}). */
    public static void ledger(CamelContext context, DataSource dataSource) throws Exception {
        register(context, () -> new LedgerHealthCheck(dataSource));
    }

    /** The broker accepts a connection (readiness check {@code payouts-broker}). */
    public static void broker(CamelContext context, ConnectionFactory broker) throws Exception {
        register(context, () -> new BrokerHealthCheck(broker));
    }

    private static void register(CamelContext context, Supplier<HealthCheck> check) throws Exception {
        context.addStartupListener((started, alreadyStarted) -> {
            HealthCheckRegistry registry = HealthCheckRegistry.get(started);
            if (registry != null && !alreadyStarted) {
                HealthCheck created = check.get();
                if (created instanceof org.apache.camel.CamelContextAware aware) {
                    aware.setCamelContext(started);
                }
                registry.register(created);
            }
        });
    }
}
