package id.camelpayouts.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
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

    public static void apply(DataSource dataSource) {
        try (Connection db = dataSource.getConnection(); Statement statement = db.createStatement()) {
            run(statement, "/db/ledger.sql");
            if ("PostgreSQL".equals(db.getMetaData().getDatabaseProductName())) {
                run(statement, "/db/ledger-postgresql.sql");
            }
        } catch (SQLException e) {
            throw new LedgerException("could not create the ledger schema", e);
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
