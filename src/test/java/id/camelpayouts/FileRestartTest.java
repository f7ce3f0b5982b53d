package id.camelpayouts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import id.camelpayouts.twin.DuitkuTwin;

/** A gateway stopped while a file is half processed completes it after a restart: nothing lost, nothing paid twice. */
class FileRestartTest {

    static final int ROWS = 3000;
    DuitkuTwin twin;
    HikariDataSource database;
    Main gateway;

    @AfterEach
    void stopAll() {
        if (gateway != null) {
            TestGateways.crash(gateway);
        }
        twin.stop();
        database.close();
    }

    @Test
    void aFileInterruptedHalfwayIsCompletedAfterRestart() throws Exception {
        twin = new DuitkuTwin(TestGateways.twinSettings(5, 5_000), Clock.systemUTC());
        twin.start();
        Path work = Files.createTempDirectory(Path.of("target"), "file-restart");
        String ledgerUrl = "jdbc:h2:file:" + work.toAbsolutePath().resolve("ledger");
        database = new HikariDataSource();
        database.setJdbcUrl(ledgerUrl);
        var settings = TestGateways.settings(twin, ledgerUrl, work.toString());
        settings.put("payouts.files.inbox", work.resolve("inbox").toString());
        settings.put("payouts.files.outbox", work.resolve("outbox").toString());
        settings.put("payouts.files.settle-time", "200ms");
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

        List<String> lines = Files.readAllLines(results);
        assertThat(lines).hasSize(ROWS + 1);
        assertThat(lines.subList(1, lines.size())).allSatisfy(line -> assertThat(line).contains(",SUCCEEDED,"));
        assertThat(count("SELECT COUNT(*) FROM payouts WHERE status = 'SUCCEEDED'")).isEqualTo(ROWS);
        assertThat(count("SELECT MAX(transfer_attempts) FROM payouts")).isEqualTo(1);
        assertThat(twin.transfersExecuted()).as("one transfer per row, none twice").isEqualTo(ROWS);
        System.out.printf("file-restart: rows=%d finalAtCrash=%d transfers=%d duplicates=0 lost=0%n", ROWS,
                finalBefore, twin.transfersExecuted());
    }

    private long count(String sql) throws Exception {
        try (Connection db = database.getConnection(); ResultSet rows = db.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
