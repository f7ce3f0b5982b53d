package id.camelpayouts.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;

import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;

/**
 * The probe borrows a connection of the ledger's pool and gives it back as it found it. H2 keeps a
 * statement's query timeout on its connection's session: left there, the probe's two seconds
 * cancelled the next user's longer statements (an outbox read under load, a big file's results).
 */
class LedgerHealthCheckTest {

    @Test
    void theProbeLeavesNoQueryTimeoutOnTheConnectionItBorrowed() throws Exception {
        JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:mem:probe-timeout;DB_CLOSE_DELAY=-1", "sa", "");
        pool.setMaxConnections(1); // the probe's connection is the next borrower's
        try {
            try (Connection db = pool.getConnection(); Statement create = db.createStatement()) {
                create.execute("CREATE TABLE payouts (reference VARCHAR(64))");
            }
            new LedgerHealthCheck(pool).probe();

            try (Connection db = pool.getConnection(); Statement next = db.createStatement()) {
                assertThat(next.getQueryTimeout()).as("seconds before H2 cancels the next user's statement")
                        .isZero();
            }
        } finally {
            pool.dispose();
        }
    }
}
