package id.camelpayouts.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

/** The embedded ledger's schema brought up to date at start (PostgreSQL: PostgresLedgerSchemaTest). */
class LedgerSchemaTest {

    @Test
    void aLedgerMadeWhenStatusesWereSixteenCharactersIsWidenedAndThenLeftAlone() throws Exception {
        try (HikariDataSource h2 = new HikariDataSource()) {
            h2.setJdbcUrl("jdbc:h2:mem:schema" + PayoutLedgerTest.DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
            LedgerSchema.apply(h2);
            try (Connection db = h2.getConnection(); Statement sql = db.createStatement()) {
                sql.execute("ALTER TABLE payouts ALTER COLUMN status SET DATA TYPE VARCHAR(16)");
            }
            assertThat(statusSize(h2)).isEqualTo(16);

            LedgerSchema.apply(h2);
            assertThat(statusSize(h2)).as("AWAITING_APPROVAL fits").isEqualTo(24);
            LedgerSchema.apply(h2);
            assertThat(statusSize(h2)).isEqualTo(24);
        }
    }

    private static int statusSize(HikariDataSource h2) throws Exception {
        try (Connection db = h2.getConnection();
                ResultSet status = db.getMetaData().getColumns(null, db.getSchema(), "PAYOUTS", "STATUS")) {
            assertThat(status.next()).isTrue();
            return status.getInt("COLUMN_SIZE");
        }
    }
}
