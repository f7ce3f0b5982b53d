package id.camelpayouts.health;

import java.time.Duration;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;

/**
 * Readiness of the gateway's broker (embedded or PAYOUTS_JMS_URL): a new connection is opened and
 * closed within three seconds. The requests queue and the outcomes queue are on it.
 */
public class BrokerHealthCheck extends BoundedReadinessCheck {

    private final ConnectionFactory broker;

    /** {@code broker}: the factory that connects anew each time (not a caching one, which would reuse a stale connection). */
    public BrokerHealthCheck(ConnectionFactory broker) {
        super("payouts-broker", "broker", Duration.ofSeconds(3));
        this.broker = broker;
    }

    @Override
    protected void probe() throws Exception {
        try (Connection connection = broker.createConnection()) {
            connection.start();
        }
    }
}
