package id.camelpayouts.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * Applies {@code db/ledger.sql} (idempotent statements, portable to H2 and PostgreSQL), then on
 * PostgreSQL {@code db/ledger-postgresql.sql} (what only PostgreSQL needs, e.g. an operator class).
 */
public final class LedgerSchema {

    private LedgerSchema() {
    }

    /**
     * In one transaction: on PostgreSQL each of the script's statements committed on its own waited
     * for its own flush of the write-ahead log (an {@code ALTER TABLE} takes a transaction id even when
     * the column is there), a tenth of a second or more of every start (issue 17). Another instance
     * creating the same schema at the same moment can make that transaction fail: then it is applied
     * again a statement at a time, as before.
     */
    public static void apply(DataSource dataSource) {
        try (Connection db = dataSource.getConnection()) {
            boolean autoCommit = db.getAutoCommit();
            try {
                db.setAutoCommit(false);
                applyTo(db);
                db.commit();
            } catch (SQLException concurrentStart) {
                db.rollback();
                db.setAutoCommit(true);
                applyTo(db);
            } finally {
                db.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new LedgerException("could not create the ledger schema", e);
        }
    }

    private static void applyTo(Connection db) throws SQLException {
        try (Statement statement = db.createStatement()) {
            run(statement, "/db/ledger.sql");
            if ("PostgreSQL".equals(db.getMetaData().getDatabaseProductName())) {
                run(statement, "/db/ledger-postgresql.sql");
            }
            // AWAITING_APPROVAL is 17 characters: a ledger made before it had statuses of 16
            widen(db, statement, "payouts", "status", 24);
            widen(db, statement, "payout_events", "status", 24);
        }
    }

    /**
     * Makes a text column at least {@code size} long, only when it is shorter: a change of type may
     * copy the table (H2), which must not happen at every start. Only the connection's own schema is
     * looked at: another ledger in the same database (another schema) says nothing about this one.
     */
    private static void widen(Connection db, Statement statement, String table, String column, int size)
            throws SQLException {
        for (String[] names : new String[][] {{table.toUpperCase(), column.toUpperCase()}, {table, column}}) {
            try (ResultSet columns = db.getMetaData().getColumns(null, db.getSchema(), names[0], names[1])) {
                if (columns.next()) {
                    if (columns.getInt("COLUMN_SIZE") < size) {
                        statement.execute("ALTER TABLE " + table + " ALTER COLUMN " + column + " SET DATA TYPE VARCHAR("
                                + size + ")");
                    }
                    return;
                }
            }
        }
    }

    private static void run(Statement statement, String resource) throws SQLException {
        String script;
        try (InputStream in = LedgerSchema.class.getResourceAsStream(resource)) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException(resource.substring(1) + " is missing from the classpath", e);
        }
        for (String sql : script.replaceAll("(?m)--.*$", "").split(";")) {
            if (!sql.isBlank()) {
                statement.execute(sql);
            }
        }
    }
}
