package id.camelpayouts.gateway;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** BatchCancelWhileArrivingTest with the ledger on PostgreSQL (.ci/run starts one and sets PAYOUTS_TEST_PG_URL). */
@EnabledIfEnvironmentVariable(named = "PAYOUTS_TEST_PG_URL", matches = ".+")
class PostgresBatchCancelWhileArrivingTest extends BatchCancelWhileArrivingTest {

    PostgresBatchCancelWhileArrivingTest() {
        usePostgres();
    }
}
