package id.camelpayouts.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
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
}
