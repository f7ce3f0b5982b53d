package id.camelpayouts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import id.camelpayouts.twin.DuitkuTwin;

/**
 * The real jar, killed with SIGKILL three times while it pays a 2,000-row file and 200 queue
 * messages (during inquiries, between and after transfers, while H2H callbacks arrive), then
 * restarted on the same data directory. At the twin: no account paid twice; in the results
 * file and on the outcomes queue: every instruction final.
 */
class CrashRecoveryIT {

    static final int FILE_ROWS = 2000;
    static final int MESSAGES = 200;
    static final String SECRET = "crash-test-secret-5d1";
    DuitkuTwin twin;
    Process gateway;
    Path work;
    int httpPort;
    int jmsPort;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.destroyForcibly();
        }
        if (twin != null) {
            twin.stop();
        }
    }

    @Test
    void killedThreeTimesNothingIsPaidTwiceAndEveryInstructionEndsFinal() throws Exception {
        work = Files.createTempDirectory(Path.of("target"), "crash");
        httpPort = freePort();
        jmsPort = freePort();
        twin = new DuitkuTwin(new DuitkuTwin.Settings("127.0.0.1", 0, 4242, "ops@example.com", SECRET,
                1_000_000_000_000_000L, 3, 5_000, 300), Clock.systemUTC());
        twin.start();
        twin.callbacksTo("http://127.0.0.1:" + httpPort);

        StringBuilder csv = new StringBuilder("reference,method,bankCode,accountNumber,amount\n");
        for (int i = 1; i <= FILE_ROWS; i++) {
            boolean h2h = i % 10 == 0;
            csv.append("crash-f").append(i).append(h2h ? ",H2H,009," : ",ONLINE,014,").append(6000000000L + i)
                    .append(',').append(10_000 + i).append('\n');
        }
        start();
        Files.createDirectories(work.resolve("inbox"));
        Files.writeString(work.resolve("inbox").resolve(".payouts.csv.part"), csv);
        Files.move(work.resolve("inbox").resolve(".payouts.csv.part"), work.resolve("inbox").resolve("payouts.csv"));
        sendQueueMessages();

        long started = System.currentTimeMillis();
        killWhen("during inquiries", () -> twin.inquiriesAnswered() >= 400);
        killWhen("amid transfers", () -> twin.transfersExecuted() >= 900);
        killWhen("with callbacks in flight", () -> twin.transfersExecuted() >= 1600);

        Map<String, Map<String, String>> finals = new HashMap<>();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            readResults().forEach(row -> finals.put(row.get("reference"), row));
            return finals.values().stream().filter(CrashRecoveryIT::isFinal).count() == FILE_ROWS;
        });
        Map<String, Map<String, String>> queueFinals = drainOutcomes();

        finals.putAll(queueFinals);
        long lost = FILE_ROWS + MESSAGES - finals.values().stream().filter(CrashRecoveryIT::isFinal).count();
        long succeeded = finals.values().stream().filter(row -> "SUCCEEDED".equals(row.get("status"))).count();
        for (Map<String, String> row : finals.values()) {
            int executed = row.get("providerReference") == null || row.get("providerReference").isEmpty() ? 0
                    : twin.transfersExecuted(row.get("providerReference"));
            assertThat(executed).as(row.toString()).isEqualTo("SUCCEEDED".equals(row.get("status")) ? 1 : 0);
        }
        System.out.printf("crash: instructions=%d transfers=%d duplicates=%d lost=%d final=%d succeeded=%d kills=3"
                + " seconds=%d%n", FILE_ROWS + MESSAGES, twin.transfersExecuted(), twin.accountsPaidTwice(), lost,
                finals.size(), succeeded, (System.currentTimeMillis() - started) / 1000);
        assertThat(twin.accountsPaidTwice()).isZero();
        assertThat(lost).isZero();
        assertThat(twin.transfersExecuted()).isEqualTo((int) succeeded);
    }

    private void killWhen(String moment, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(condition);
        gateway.destroyForcibly().waitFor(); // SIGKILL: no shutdown, no cleanup
        System.out.printf("crash: killed %s (transfers=%d)%n", moment, twin.transfersExecuted());
        start();
    }

    private void start() throws Exception {
        ProcessBuilder launch = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dpayouts.reconcile.not-found-grace=2s", "-Dpayouts.reconcile.callback-wait=5s",
                "-Dpayouts.files.settle-time=300ms", "-jar", "target/camel-payouts.jar")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("gateway.log").toFile()));
        Map<String, String> env = launch.environment();
        env.put("PAYOUTS_TWIN", "false");
        env.put("DUITKU_BASE_URL", twin.baseUrl());
        env.put("DUITKU_CASHOUT_URL", twin.cashOutUrl());
        env.put("DUITKU_USER_ID", "4242");
        env.put("DUITKU_EMAIL", "ops@example.com");
        env.put("DUITKU_SECRET_KEY", SECRET);
        env.put("PAYOUTS_API_KEY", "crash-key");
        env.put("PAYOUTS_HTTP_PORT", String.valueOf(httpPort));
        env.put("PAYOUTS_MANAGEMENT_PORT", String.valueOf(freePort()));
        env.put("PAYOUTS_TWIN_DURIANPAY_PORT", String.valueOf(freePort()));
        env.put("PAYOUTS_DATA_DIR", work.resolve("data").toString());
        env.put("PAYOUTS_INBOX", work.resolve("inbox").toString());
        env.put("PAYOUTS_OUTBOX", work.resolve("outbox").toString());
        env.put("PAYOUTS_JMS_ACCEPTOR", "tcp://127.0.0.1:" + jmsPort);
        env.put("PAYOUTS_RECONCILE_INTERVAL", "300ms");
        env.put("PAYOUTS_INSTANCE_ID", "crash-test");
        gateway = launch.start();
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> http.send(HttpRequest
                .newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/payouts/none"))
                .header("X-API-Key", "crash-key").build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 404);
    }

    private void sendQueueMessages() throws Exception {
        try (Connection connection = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + jmsPort).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("payouts.requests"));
            for (int i = 1; i <= MESSAGES; i++) {
                producer.send(session.createTextMessage("{\"reference\":\"crash-q" + i + "\",\"bankCode\":\"014\","
                        + "\"accountNumber\":\"" + (7000000000L + i) + "\",\"amount\":" + (20_000 + i) + "}"));
            }
        }
    }

    /** The last outcome of each queue instruction, from everything the gateway sent to the outcomes queue. */
    private Map<String, Map<String, String>> drainOutcomes() throws Exception {
        Map<String, Map<String, String>> last = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            try (Connection connection = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + jmsPort)
                    .createConnection()) {
                connection.start();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(session.createQueue("payouts.outcomes"));
                for (Message message = consumer.receive(500); message != null; message = consumer.receive(500)) {
                    Map<String, Object> outcome = json.readValue(((TextMessage) message).getText(), Map.class);
                    String reference = String.valueOf(outcome.get("reference"));
                    Map<String, String> row = new HashMap<>();
                    outcome.forEach((key, value) -> row.put(key, value == null ? "" : String.valueOf(value)));
                    if (reference.startsWith("crash-q") && !isFinal(last.get(reference))) {
                        last.put(reference, row);
                    }
                }
            }
            return last.values().stream().filter(CrashRecoveryIT::isFinal).count() == MESSAGES;
        });
        return last;
    }

    private List<Map<String, String>> readResults() throws IOException {
        Path results = work.resolve("outbox").resolve("payouts.csv.results.csv");
        if (!Files.exists(results)) {
            return List.of();
        }
        try (MappingIterator<Map<String, String>> rows = new CsvMapper().readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(results.toFile())) {
            return rows.readAll();
        }
    }

    private static boolean isFinal(Map<String, String> row) {
        return row != null && List.of("SUCCEEDED", "FAILED", "REJECTED").contains(row.get("status"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

}
