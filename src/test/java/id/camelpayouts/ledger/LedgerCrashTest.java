package id.camelpayouts.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import id.camelpayouts.ledger.Payout.Stage;

/**
 * What a crash of the embedded H2 ledger takes back, step by step of a payout: only what can be
 * asked again. H2's background writer is slowed to a minute, so that only what the ledger flushed
 * is on disk; the crash is H2's SHUTDOWN IMMEDIATELY (the database file closed without writing
 * what is only in memory, as when the gateway's process is killed), then the ledger is reopened
 * as a restarted gateway would.
 */
class LedgerCrashTest {

    @TempDir
    Path dir;
    private final PayoutLedgerTest.MutableClock clock = new PayoutLedgerTest.MutableClock(
            Instant.parse("2026-11-21T03:00:00Z"));
    private HikariDataSource database;
    private PayoutLedger ledger;

    private PayoutLedger open() {
        database = new HikariDataSource();
        database.setJdbcUrl("jdbc:h2:file:" + dir.resolve("ledger") + ";WRITE_DELAY=60000");
        LedgerSchema.apply(database);
        ledger = new PayoutLedger(database, clock, new LedgerPolicy(Duration.ofMinutes(2), Duration.ofMinutes(2),
                List.of(Duration.ofSeconds(2)), Duration.ofSeconds(5), Duration.ofMinutes(15), Duration.ofHours(24)),
                "crash-test", List.of("jms"));
        return ledger;
    }

    private PayoutLedger crashAndRestart() {
        try (Connection db = database.getConnection(); Statement shutdown = db.createStatement()) {
            shutdown.execute("SHUTDOWN IMMEDIATELY");
        } catch (SQLException closedByTheShutdown) {
            // expected: the connection goes with the database
        }
        database.close();
        clock.advance(Duration.ofMinutes(3)); // past any lease
        open().releaseOwnLeases();
        return ledger;
    }

    /** A payout taken in by a freshly opened ledger, leased and routed to Duitku's {@code method}. */
    private Payout routed(String reference, String method) {
        open().submit(PayoutLedgerTest.instruction(reference, 50_000));
        Payout payout = ledger.claim(reference);
        ledger.route(payout, "duitku", method);
        return payout;
    }

    /** As {@link #routed}, ONLINE, with its inquiry answered (disburseId d-{reference}). */
    private Payout inquired(String reference) {
        Payout payout = routed(reference, "ONLINE");
        ledger.recordInquiry(payout, Map.of("disburseId", "d-" + reference, "accountName", "TEST"));
        return payout;
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void anIntakeIsKept() {
        open().submit(PayoutLedgerTest.instruction("crash-1", 50_000));

        assertThat(crashAndRestart().find("crash-1").stage).isEqualTo(Stage.NEW);
    }

    @Test
    void aDroppedFilesRowsAreKeptOnceTheirBatchRecordsThemAndOnlyThen() {
        PayoutLedger.Origin file = new PayoutLedger.Origin("file", null);
        BatchLedger batches = new BatchLedger(open());
        batches.open("batch-1", "payroll.csv", 3);
        ledger.submit(PayoutLedgerTest.instruction("row-1", 50_000), file);
        ledger.submit(PayoutLedgerTest.instruction("row-2", 50_000), file);
        batches.recordRows("batch-1", List.of(new BatchLedger.Row(1, "row-1", null),
                new BatchLedger.Row(2, "row-2", null)));
        ledger.submit(PayoutLedgerTest.instruction("row-3", 50_000), file); // not recorded yet: the file is still in the inbox

        PayoutLedger restarted = crashAndRestart();

        assertThat(restarted.find("row-1")).isNotNull();
        assertThat(restarted.find("row-2")).isNotNull();
        assertThat(restarted.find("row-3")).isNull(); // taken in again when the file is read again
    }

    @Test
    void anInquiryLostToACrashIsAskedAgainAndNothingWasSent() {
        Payout payout = inquired("crash-2");

        Payout restarted = crashAndRestart().claim("crash-2");

        assertThat(restarted.stage).isEqualTo(Stage.NEW); // asked again: a new inquiry, a new disburseId
        assertThat(restarted.providerReference).isNull();
        assertThat(restarted.transferSentAt).isNull();
    }

    @Test
    void aTransferClaimIsKeptSoATransferOutcomeLostToACrashLeadsToAStatusInquiryNeverASecondTransfer() {
        Payout payout = inquired("crash-3");
        assertThat(ledger.claimTransfer(payout)).isTrue();
        ledger.succeed(payout, Map.of("responseCode", "00", "responseDesc", "Success"));
        assertThat(ledger.find("crash-3").status).isEqualTo(Payout.SUCCEEDED);

        Payout restarted = crashAndRestart().claim("crash-3");

        assertThat(restarted.stage).isEqualTo(Stage.TRANSFER_SENT);
        assertThat(restarted.status).isEqualTo(Payout.PENDING);
        assertThat(restarted.cause).isEqualTo(Payout.STATUS_INQUIRY); // route-payout asks the status
        assertThat(restarted.providerReference).isEqualTo("d-crash-3");
        // the routing's choice is written with the claim: the status is asked of the provider that has it
        assertThat(restarted.provider).isEqualTo("duitku");
        assertThat(restarted.method).isEqualTo("ONLINE");
        assertThat(ledger.claimTransfer(restarted)).isFalse();
    }

    @Test
    void anOutcomeHandedToTheOutboxIsKept() {
        Payout payout = inquired("crash-4");
        ledger.claimTransfer(payout);
        ledger.succeed(payout, Map.of("responseCode", "00", "responseDesc", "Success"));
        assertThat(ledger.outbox("jms", 10).getMessages()).isNotEmpty(); // read: about to be published

        assertThat(crashAndRestart().find("crash-4").status).isEqualTo(Payout.SUCCEEDED);
    }

    @Test
    void aFailureBeforeTheTransferIsKept() {
        Payout payout = routed("crash-5", "ONLINE");
        ledger.refuseAtInquiry(payout, Map.of("responseCode", "-148"), "invalid account");

        assertThat(crashAndRestart().find("crash-5").status).isEqualTo(Payout.FAILED);
    }

    @Test
    void aCashOutTokenIsKept() {
        Payout payout = routed("crash-6", "CASHOUT");
        ledger.claimCashOut(payout);
        ledger.recordCashOut(payout, Map.of("disburseId", "d-6", "token", "tok-6", "pin", "123456"), "token issued");
        ledger.succeedByCallback(payout, Map.of("responseCode", "00"));

        Payout restarted = crashAndRestart().find("crash-6");
        assertThat(restarted.token).isEqualTo("tok-6");
        assertThat(restarted.status).isEqualTo(Payout.SUCCEEDED); // a cash out has no status inquiry: kept
    }
}
