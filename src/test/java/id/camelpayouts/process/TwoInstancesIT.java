package id.camelpayouts.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import id.camelpayouts.jms.EmbeddedBroker;
import id.camelpayouts.ledger.PostgresTestDatabase;
import id.camelpayouts.twin.DuitkuTwin;

/**
 * Two gateways (the real jar, twice) on one PostgreSQL ledger and one broker, taking the same
 * requests queue and the same inbox: nothing is paid twice and both do part of the work.
 */
@EnabledIfEnvironmentVariable(named = "PAYOUTS_TEST_PG_URL", matches = ".+")
class TwoInstancesIT {

    static final int FILE_ROWS = 1000;
    static final int MESSAGES = 400;
    DuitkuTwin twin;
    EmbeddedBroker broker;
    GatewayProcess first;
    GatewayProcess second;

    @AfterEach
    void stop() throws Exception {
        first.kill();
        second.kill();
        twin.stop();
        broker.stop();
    }

    @Test
    void twoInstancesShareTheWorkAndPayEachInstructionOnce() throws Exception {
        Path work = Files.createTempDirectory(Path.of("target"), "two-instances");
        String brokerUrl = "tcp://127.0.0.1:" + GatewayProcess.freePort();
        broker = new EmbeddedBroker(work.resolve("broker"), brokerUrl, new EmbeddedBroker.Queues("payouts.requests",
                "payouts.outcomes", "payouts.dead-letter"), 10, GatewayProcess.brokerUsers());
        broker.start();
        PostgresTestDatabase.emptied().close();
        twin = new DuitkuTwin(GatewayProcess.twinSettings(5, 5_000), Clock.systemUTC());
        twin.start();
        String[] properties = {"-Dpayouts.files.settle-time=300ms", "-Dpayouts.concurrency=8"};
        first = new GatewayProcess(work, twin, properties).sharing(PostgresTestDatabase.url(),
                PostgresTestDatabase.user(), PostgresTestDatabase.password(), brokerUrl, "instance-a");
        second = new GatewayProcess(work, twin, properties).sharing(PostgresTestDatabase.url(),
                PostgresTestDatabase.user(), PostgresTestDatabase.password(), brokerUrl, "instance-b");
        first.start();
        second.start();

        StringBuilder csv = new StringBuilder("reference,bankCode,accountNumber,amount\n");
        for (int i = 1; i <= FILE_ROWS; i++) {
            csv.append("two-f").append(i).append(",014,").append(6100000000L + i).append(',').append(10_000 + i)
                    .append('\n');
        }
        long started = System.currentTimeMillis();
        first.drop("payouts.csv", csv);
        first.send(IntStream.rangeClosed(1, MESSAGES).mapToObj(i -> "{\"reference\":\"two-q" + i
                + "\",\"bankCode\":\"014\",\"accountNumber\":\"" + (7100000000L + i) + "\",\"amount\":"
                + (20_000 + i) + "}").toList());
        // and the same messages again: a repeat must pay nothing, whichever instance takes it
        first.send(IntStream.rangeClosed(1, 50).mapToObj(i -> "{\"reference\":\"two-q" + i
                + "\",\"bankCode\":\"014\",\"accountNumber\":\"" + (7100000000L + i) + "\",\"amount\":"
                + (20_000 + i) + "}").toList());

        Map<String, Map<String, String>> finals = new HashMap<>();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            first.results("payouts.csv").forEach(row -> finals.put(row.get("reference"), row));
            return finals.values().stream().filter(GatewayProcess::isFinal).count() == FILE_ROWS;
        });
        finals.putAll(first.finalOutcomes("two-q", MESSAGES, Duration.ofSeconds(90)));

        Map<String, Long> perInstance = new HashMap<>();
        try (HikariDataSource db = new HikariDataSource()) {
            db.setJdbcUrl(PostgresTestDatabase.url());
            db.setUsername(PostgresTestDatabase.user());
            db.setPassword(PostgresTestDatabase.password());
            try (Connection connection = db.getConnection(); ResultSet rows = connection.createStatement()
                    .executeQuery("SELECT lease_owner, COUNT(*) FROM payouts GROUP BY lease_owner")) {
                while (rows.next()) {
                    perInstance.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        CrashRecoveryIT.Invariants.check("two-instances", twin, finals, FILE_ROWS + MESSAGES, started,
                "shared=" + perInstance);
        assertThat(perInstance.get("instance-a")).as("instance a worked").isPositive();
        assertThat(perInstance.get("instance-b")).as("instance b worked").isPositive();
    }
}
