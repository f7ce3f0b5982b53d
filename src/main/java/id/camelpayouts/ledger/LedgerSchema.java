package id.camelpayouts.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/** Applies {@code db/ledger.sql} (idempotent statements, portable to H2 and PostgreSQL). */
public final class LedgerSchema {

    private LedgerSchema() {
    }

    public static void apply(DataSource dataSource) {
        String script;
        try (InputStream in = LedgerSchema.class.getResourceAsStream("/db/ledger.sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("db/ledger.sql is missing from the classpath", e);
        }
        try (Connection db = dataSource.getConnection(); Statement statement = db.createStatement()) {
            for (String sql : script.replaceAll("(?m)--.*$", "").split(";")) {
                if (!sql.isBlank()) {
                    statement.execute(sql);
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("could not create the ledger schema", e);
        }
    }
}
