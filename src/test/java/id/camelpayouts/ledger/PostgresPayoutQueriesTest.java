package id.camelpayouts.ledger;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import com.zaxxer.hikari.HikariDataSource;

/** PayoutQueriesTest on PostgreSQL (.ci/run starts one and sets PAYOUTS_TEST_PG_URL). */
@EnabledIfEnvironmentVariable(named = "PAYOUTS_TEST_PG_URL", matches = ".+")
class PostgresPayoutQueriesTest extends PayoutQueriesTest {

    @Override
    protected HikariDataSource newDataSource() {
        return PostgresTestDatabase.emptied();
    }
}
