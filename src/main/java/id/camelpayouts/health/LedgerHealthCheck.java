package id.camelpayouts.health;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

/**
 * Readiness of the ledger: a query on the payouts table answers within two seconds. Every
 * instruction is written to the ledger before it is acknowledged, so without it nothing may be
 * taken in.
 */
public class LedgerHealthCheck extends BoundedReadinessCheck {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final DataSource dataSource;

    public LedgerHealthCheck(DataSource dataSource) {
        super("payouts-ledger", "ledger database", TIMEOUT);
        this.dataSource = dataSource;
    }

    @Override
    protected void probe() throws Exception {
        try (Connection db = dataSource.getConnection(); Statement query = db.createStatement()) {
            query.setQueryTimeout((int) TIMEOUT.toSeconds());
            try {
                query.executeQuery("SELECT COUNT(*) FROM payouts WHERE 1 = 0").close();
            } finally {
                // H2 keeps a statement's timeout on the connection's session: the pool's next
                // borrower would have its statements cancelled after two seconds
                query.setQueryTimeout(0);
            }
        }
    }
}
