package id.camelpayouts.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import com.zaxxer.hikari.HikariDataSource;

/** The PostgreSQL test database of PAYOUTS_TEST_PG_URL, emptied for a test that starts from nothing. */
public final class PostgresTestDatabase {

    private PostgresTestDatabase() {
    }

    public static String url() {
        return System.getenv("PAYOUTS_TEST_PG_URL");
    }

    public static String user() {
        return System.getenv().getOrDefault("PAYOUTS_TEST_PG_USER", "payouts");
    }

    public static String password() {
        return System.getenv().getOrDefault("PAYOUTS_TEST_PG_PASSWORD", "payouts");
    }

    /** A pool on the test database, with the gateway's tables dropped (they are created again on use). */
    public static HikariDataSource emptied() {
        HikariDataSource postgres = new HikariDataSource();
        postgres.setJdbcUrl(url());
        postgres.setUsername(user());
        postgres.setPassword(password());
        dropTables(postgres);
        return postgres;
    }

    public static void dropTables(javax.sql.DataSource database) {
        try (Connection db = database.getConnection(); Statement drop = db.createStatement()) {
            drop.execute("DROP TABLE IF EXISTS payouts, payout_events, outbox, batches, batch_rows, payout_batches");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the PostgreSQL test database", e);
        }
    }
}
