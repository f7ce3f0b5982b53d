package id.camelpayouts.ledger;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import com.zaxxer.hikari.HikariDataSource;

/** The ledger's tests on PostgreSQL (.ci/run starts one and sets PAYOUTS_TEST_PG_URL). */
@EnabledIfEnvironmentVariable(named = "PAYOUTS_TEST_PG_URL", matches = ".+")
class PostgresPayoutLedgerTest extends PayoutLedgerTest {

    @Override
    protected HikariDataSource newDataSource() {
        HikariDataSource postgres = PostgresTestDatabase.emptied();
        return postgres;
    }
}
