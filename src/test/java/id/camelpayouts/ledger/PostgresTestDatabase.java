package id.camelpayouts.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The PostgreSQL test database of PAYOUTS_TEST_PG_URL, emptied for a test that starts from nothing.
 * With the system property {@code payouts.test.pg-schema} (the build gives each test JVM its own,
 * so that test classes running side by side in two JVMs never empty each other's tables) every
 * connection works in that schema, created when missing.
 */
public final class PostgresTestDatabase {

    private static volatile boolean schemaCreated;

    private PostgresTestDatabase() {
    }

    public static String url() {
        String url = System.getenv("PAYOUTS_TEST_PG_URL");
        String schema = System.getProperty("payouts.test.pg-schema", "");
        if (url == null || url.isBlank() || schema.isBlank()) {
            return url;
        }
        if (!schema.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("payouts.test.pg-schema must be a plain lower-case name: " + schema);
        }
        createSchema(url, schema);
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static synchronized void createSchema(String url, String schema) {
        if (schemaCreated) {
            return;
        }
        try (Connection db = java.sql.DriverManager.getConnection(url, user(), password());
                Statement create = db.createStatement()) {
            create.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the schema " + schema + " in the PostgreSQL test database", e);
        }
        schemaCreated = true;
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
