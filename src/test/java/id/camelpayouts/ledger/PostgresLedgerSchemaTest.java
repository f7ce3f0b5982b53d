package id.camelpayouts.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import com.zaxxer.hikari.HikariDataSource;

/** The schema applied in one transaction on PostgreSQL, by instances starting at the same moment. */
@EnabledIfEnvironmentVariable(named = "PAYOUTS_TEST_PG_URL", matches = ".+")
class PostgresLedgerSchemaTest {

    @Test
    void twoInstancesCreatingTheSchemaAtOnceBothStartOnOneSchema() throws Exception {
        try (HikariDataSource postgres = PostgresTestDatabase.emptied()) {
            CyclicBarrier together = new CyclicBarrier(2);
            Callable<Void> instance = () -> {
                together.await();
                LedgerSchema.apply(postgres);
                return null;
            };
            ExecutorService two = Executors.newFixedThreadPool(2);
            try {
                for (Future<Void> started : two.invokeAll(List.of(instance, instance))) {
                    started.get();
                }
            } finally {
                two.shutdownNow();
            }
            LedgerSchema.apply(postgres);
            try (Connection db = postgres.getConnection();
                    ResultSet claims = db.getMetaData().getColumns(null, db.getSchema(), "payouts", "failure_claims")) {
                assertThat(claims.next()).as("the last column the script adds").isTrue();
            }
        }
    }

    /**
     * A ledger made when statuses were 16 characters is widened even when the database holds
     * another, already wide ledger in a schema listed before its own: only its own schema's
     * column is looked at.
     */
    @Test
    void anOldLedgersStatusIsWidenedWhateverAnotherSchemaHolds() throws Exception {
        try (HikariDataSource postgres = PostgresTestDatabase.emptied()) {
            LedgerSchema.apply(postgres);
            try (Connection db = postgres.getConnection(); Statement sql = db.createStatement()) {
                sql.execute("CREATE SCHEMA IF NOT EXISTS a_wide_ledger");
                sql.execute("CREATE TABLE IF NOT EXISTS a_wide_ledger.payouts (status VARCHAR(24))");
                sql.execute("ALTER TABLE payouts ALTER COLUMN status SET DATA TYPE VARCHAR(16)");
            }
            try {
                LedgerSchema.apply(postgres);
                try (Connection db = postgres.getConnection();
                        ResultSet status = db.getMetaData().getColumns(null, db.getSchema(), "payouts", "status")) {
                    assertThat(status.next()).isTrue();
                    assertThat(status.getInt("COLUMN_SIZE")).as("AWAITING_APPROVAL fits").isGreaterThanOrEqualTo(24);
                }
            } finally {
                try (Connection db = postgres.getConnection(); Statement sql = db.createStatement()) {
                    sql.execute("DROP SCHEMA a_wide_ledger CASCADE");
                }
            }
        }
    }
}
