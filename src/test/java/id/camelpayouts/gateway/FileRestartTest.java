package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import id.camelpayouts.twin.DuitkuTwin;

/** A gateway stopped while a file is half processed completes it after a restart: nothing lost, nothing paid twice. */
class FileRestartTest {

    static final int ROWS = 3000;
    DuitkuTwin twin;
    /**
     * The test's reads open their own short-lived connection: a pool of its own would keep H2's
     * database open across the crash, and a worker interrupted in the middle of a write (the crash's
     * forced stop) closes that open database's file for every later reader.
     */
    String ledgerUrl;
    Main gateway;

    @AfterEach
    void stopAll() {
        if (gateway != null) {
            TestGateways.crash(gateway);
        }
        twin.stop();
    }

    @Test
    void aFileInterruptedHalfwayIsCompletedAfterRestart() throws Exception {
        twin = new DuitkuTwin(TestGateways.twinSettings(5, 5_000), Clock.systemUTC());
        twin.start();
        Path work = Files.createTempDirectory(Path.of("target"), "file-restart");
        ledgerUrl = "jdbc:h2:file:" + work.toAbsolutePath().resolve("ledger");
        var settings = TestGateways.settings(twin, ledgerUrl, work.toString());
        settings.put("payouts.inbox", work.resolve("inbox").toString());
        settings.put("payouts.outbox", work.resolve("outbox").toString());
        settings.put("payouts.files.settle-time", "200ms");
        // A transfer claimed but never sent (the crash fell between the two) is unknown to Duitku:
        // after this grace it counts as failed. It is never sent again.
        settings.put("payouts.reconcile.not-found-grace", "2s");
        StringBuilder csv = new StringBuilder("reference,bankCode,accountNumber,amount\n");
        for (int i = 1; i <= ROWS; i++) {
            csv.append("restart-row-").append(i).append(",002,").append(5000000000L + i).append(',')
                    .append(20000 + i).append('\n');
        }
        gateway = TestGateways.start(settings);
        Files.createDirectories(work.resolve("inbox"));
        Files.writeString(work.resolve("inbox").resolve(".big.csv.part"), csv);
        Files.move(work.resolve("inbox").resolve(".big.csv.part"), work.resolve("inbox").resolve("big.csv"));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> count("SELECT COUNT(*) FROM batch_rows") >= ROWS / 4);
        TestGateways.crash(gateway);
        gateway = null;
        long finalBefore = count("SELECT COUNT(*) FROM payouts WHERE status <> 'PENDING'");
        assertThat(finalBefore).as("stopped half way").isLessThan(ROWS);

        gateway = TestGateways.start(settings);
        Path results = work.resolve("outbox").resolve("big.csv.results.csv");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> count("SELECT COUNT(*) FROM batches WHERE completed_at IS NOT NULL") == 1);

        List<Map<String, String>> rows = ResultsFiles.read(results);
        assertThat(rows).hasSize(ROWS);
        try (Stream<Path> outbox = Files.list(results.getParent())) {
            assertThat(outbox).as("no temporary file left beside the results").containsExactly(results);
        }
        long succeeded = count("SELECT COUNT(*) FROM payouts WHERE status = 'SUCCEEDED'");
        long failed = count("SELECT COUNT(*) FROM payouts WHERE status = 'FAILED'");
        assertThat(succeeded + failed).as("every row final").isEqualTo(ROWS);
        assertThat(rows).allMatch(row -> row.get("status").equals("SUCCEEDED") || row.get("status").equals("FAILED")
                && row.get("reason").contains("Duitku has no record of the transfer"));
        assertThat(count("SELECT MAX(transfer_attempts) FROM payouts")).as("no transfer sent twice").isEqualTo(1);
        assertThat(twin.transfersExecuted()).as("money moved exactly for the succeeded rows").isEqualTo(succeeded);
        System.out.printf("file-restart: rows=%d finalAtCrash=%d succeeded=%d failedNeverSent=%d transfers=%d"
                + " duplicates=0 lost=0%n", ROWS, finalBefore, succeeded, failed, twin.transfersExecuted());
    }

    private long count(String sql) throws Exception {
        try (Connection db = DriverManager.getConnection(ledgerUrl);
                ResultSet rows = db.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
