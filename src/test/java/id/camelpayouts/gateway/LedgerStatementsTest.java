package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import id.camelpayouts.ledger.Payout;

/**
 * What a dropped file's payout costs the ledger, counted by the database itself (H2's query
 * statistics): the SQL statements run per payout from intake to its final status, on the hot
 * path of the batch benchmark (ONLINE rows the twin pays at once). A statement added to that path
 * shows here before it shows in the benchmark.
 */
class LedgerStatementsTest extends GatewayTestSupport {

    private static final int ROWS = 200;

    @Test
    void anOnlinePayoutFromAFileCostsTheLedgerAFewStatements() throws Exception {
        Map<String, Long> before = statementCounts();
        String name = "statements" + System.nanoTime() % 100000 + ".csv";
        StringBuilder csv = new StringBuilder("reference,method,bankCode,accountNumber,amount\n");
        for (int i = 1; i <= ROWS; i++) {
            csv.append(name, 0, name.length() - 4).append('-').append(i).append(",ONLINE,014,")
                    .append(6_100_000_000L + i).append(',').append(10_000 + i).append('\n');
        }
        Files.createDirectories(inbox);
        Path temp = inbox.resolve("." + name + ".part");
        Files.writeString(temp, csv, StandardCharsets.UTF_8);
        Files.move(temp, inbox.resolve(name));
        Path results = outbox.resolve(name + ".results.csv");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> ResultsFiles.read(results),
                read -> read.size() == ROWS && read.stream().allMatch(r -> Payout.SUCCEEDED.equals(r.get("status"))));

        Map<String, Long> per = new TreeMap<>();
        statementCounts().forEach((sql, count) -> {
            long ran = count - before.getOrDefault(sql, 0L);
            if (ran > 0) {
                per.put(sql, ran);
            }
        });
        StringBuilder report = new StringBuilder();
        per.forEach((sql, count) -> report.append(String.format("%8.2f  %s%n", count / (double) ROWS,
                sql.length() > 160 ? sql.substring(0, 160) + "..." : sql)));
        double perPayout = per.entrySet().stream().filter(e -> isPerPayout(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum() / (double) ROWS;
        System.out.printf("statements per payout: %.2f (besides commits and checkpoints); all per payout:%n%s",
                perPayout, report);
        // intake (payout, history, outcome, the file's row), lease and read, the provider's pause,
        // the inquiry written with the transfer claim, the final status: 13 (17 before the inquiry,
        // the rail and the intake's read-back were folded into other statements)
        assertThat(perPayout).as(report.toString()).isLessThan(14);
    }

    /**
     * A statement about one payout (or its provider, or its file row), as opposed to the timers'
     * (reconciler, results files, outbox), which run per interval, not per payout.
     */
    private static boolean isPerPayout(String sql) {
        return sql.startsWith("INSERT") || sql.contains("reference = ?") || sql.contains("name = ?")
                || sql.contains("FROM payout_batches WHERE id = ?");
    }

    /** H2's count of each statement it ran since the statistics were switched on. */
    private Map<String, Long> statementCounts() throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        try (Connection db = ledger.database().getConnection(); Statement statement = db.createStatement()) {
            statement.execute("SET QUERY_STATISTICS_MAX_ENTRIES 1000");
            statement.execute("SET QUERY_STATISTICS TRUE");
            try (ResultSet rows = statement.executeQuery(
                    "SELECT SQL_STATEMENT, EXECUTION_COUNT FROM INFORMATION_SCHEMA.QUERY_STATISTICS")) {
                while (rows.next()) {
                    counts.merge(rows.getString(1), rows.getLong(2), Long::sum);
                }
            }
        }
        return counts;
    }
}
