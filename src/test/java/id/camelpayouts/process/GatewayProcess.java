package id.camelpayouts.process;

import id.camelpayouts.gateway.ResultsFiles;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

import id.camelpayouts.jms.EmbeddedBroker;
import id.camelpayouts.twin.DuitkuTwin;

/**
 * The real jar as its own process, configured only by environment variables and system
 * properties, pointed at a twin the test runs; it can be killed (SIGKILL) and started again on the
 * same data directory. Also the test's side of its inputs and outputs: inbox, results, queues.
 */
public final class GatewayProcess implements AutoCloseable {

    /** The gateway's JVM options file, read by the README's run command (java @jvm.options -jar ...). */
    static final String JVM_OPTIONS = "jvm.options";
    public static final long USER_ID = 4242;
    public static final String EMAIL = "ops@example.com";
    public static final String SECRET = "process-test-secret-5d1";
    public static final String API_KEY = "process-key";
    /** The users of the gateway's broker acceptor, as another system would log in. */
    public static final EmbeddedBroker.User JMS_PRODUCER = new EmbeddedBroker.User("payouts-producer", "process-producer-7c1");
    public static final EmbeddedBroker.User JMS_CONSUMER = new EmbeddedBroker.User("payouts-consumer", "process-consumer-2e9");
    /** The gateways' own user of a broker the test runs itself (see {@link #sharing}). */
    public static final EmbeddedBroker.User JMS_GATEWAY = new EmbeddedBroker.User("payouts-gateway", "process-gateway-4b8");

    final Path work;
    public final int httpPort = freePort();
    final int jmsPort = freePort();
    final int managementPort = freePort();
    private final DuitkuTwin twin;
    private final List<String> systemProperties;
    private final Map<String, String> extraEnv = new HashMap<>();
    private double startupSeconds;
    private String jmsUrl = "tcp://127.0.0.1:" + jmsPort;
    private String instanceId = "process-test";
    private String dataDir = "data";
    private Process process;

    /** {@code jvmOptions}: system properties or other options of the gateway's JVM. */
    public GatewayProcess(Path work, DuitkuTwin twin, String... jvmOptions) {
        this.work = work;
        this.twin = twin;
        this.systemProperties = List.of(jvmOptions);
        twin.callbacksTo("http://127.0.0.1:" + httpPort + "/callbacks/duitku");
    }

    /**
     * One of several instances: the ledger on {@code dbUrl}, the broker at {@code brokerUrl}, its own
     * instance id and data directory; inbox and outbox are shared through {@code work}.
     */
    GatewayProcess sharing(String dbUrl, String dbUser, String dbPassword, String brokerUrl, String instance) {
        extraEnv.put("PAYOUTS_DB_URL", dbUrl);
        extraEnv.put("PAYOUTS_DB_USER", dbUser);
        extraEnv.put("PAYOUTS_DB_PASSWORD", dbPassword);
        extraEnv.put("PAYOUTS_JMS_URL", brokerUrl);
        extraEnv.put("PAYOUTS_JMS_USER", JMS_GATEWAY.name());
        extraEnv.put("PAYOUTS_JMS_PASSWORD", JMS_GATEWAY.password());
        jmsUrl = brokerUrl;
        instanceId = instance;
        dataDir = "data-" + instance;
        return this;
    }

    /** An environment variable of the gateway's, over the ones start() sets. */
    public GatewayProcess env(String name, String value) {
        extraEnv.put(name, value);
        return this;
    }

    public static DuitkuTwin.Settings twinSettings(long latencyMillis, long slowMillis) {
        return new DuitkuTwin.Settings("127.0.0.1", 0, 4242, "ops@example.com", SECRET, 1_000_000_000_000_000L,
                latencyMillis, slowMillis, 300);
    }

    /** Launches the jar and returns once its health is UP and its broker takes connections. */
    public void start() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        // The run command's JVM options (heap, class data sharing) first: the test's own come after and win.
        if (Files.isRegularFile(Path.of(JVM_OPTIONS))) {
            command.add("@" + JVM_OPTIONS);
        }
        command.addAll(systemProperties);
        command.addAll(List.of("-jar", "target/camel-payouts.jar"));
        ProcessBuilder launch = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(dataDir + ".log").toFile()));
        Map<String, String> env = launch.environment();
        env.put("PAYOUTS_TWIN", "false");
        env.put("DUITKU_BASE_URL", twin.baseUrl());
        env.put("DUITKU_CASHOUT_URL", twin.cashOutUrl());
        env.put("DUITKU_USER_ID", String.valueOf(USER_ID));
        env.put("DUITKU_EMAIL", EMAIL);
        env.put("DUITKU_SECRET_KEY", SECRET);
        env.put("PAYOUTS_API_KEY", API_KEY);
        env.put("PAYOUTS_HTTP_HOST", "127.0.0.1");
        env.put("PAYOUTS_HTTP_PORT", String.valueOf(httpPort));
        env.put("PAYOUTS_MANAGEMENT_HOST", "127.0.0.1");
        env.put("PAYOUTS_MANAGEMENT_PORT", String.valueOf(managementPort));
        env.put("PAYOUTS_TWIN_DURIANPAY_PORT", String.valueOf(freePort()));
        env.put("PAYOUTS_DATA_DIR", work.resolve(dataDir).toString());
        env.put("PAYOUTS_INBOX", work.resolve("inbox").toString());
        env.put("PAYOUTS_OUTBOX", work.resolve("outbox").toString());
        env.put("PAYOUTS_JMS_ACCEPTOR", "tcp://127.0.0.1:" + jmsPort);
        env.put("PAYOUTS_JMS_PRODUCER_PASSWORD", JMS_PRODUCER.password());
        env.put("PAYOUTS_JMS_CONSUMER_PASSWORD", JMS_CONSUMER.password());
        env.put("PAYOUTS_RECONCILE_INTERVAL", "300ms");
        env.put("PAYOUTS_INSTANCE_ID", instanceId);
        env.putAll(extraEnv);
        long launched = System.nanoTime();
        process = launch.start();
        // Ready when Camel's health check says UP (routes started) and the broker takes connections.
        startupSeconds = Health.secondsUntilUp("http://127.0.0.1:" + managementPort + "/observe/health", launched,
                process, Duration.ofSeconds(120));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            try (Connection connection = connect(JMS_CONSUMER)) {
                return connection != null;
            }
        });
    }

    /** SIGKILL: no shutdown, no cleanup. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
    }

    /**
     * The sum of a Prometheus metric's samples on /observe/metrics (every tag set), e.g.
     * {@code payouts_ledger_flushes_total}; with {@code tag} (e.g. {@code durability="durable"})
     * only the samples carrying it.
     */
    public double metric(String name, String tag) throws IOException, InterruptedException {
        java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + managementPort
                        + "/observe/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        double sum = 0;
        for (String line : answer.body().split("\n")) {
            boolean named = line.startsWith(name + " ") || line.startsWith(name + "{");
            if (named && (tag == null || line.contains(tag))) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** Seconds from launch to health UP, of the last start(). */
    public double startupSeconds() {
        return startupSeconds;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM (Camel's graceful shutdown), SIGKILL if it takes longer than 20 s. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** Writes the file beside the inbox and moves it in atomically; returns System.nanoTime() of the move. */
    public long drop(String name, CharSequence content) throws IOException {
        Files.createDirectories(work.resolve("inbox"));
        Files.writeString(work.resolve("inbox").resolve("." + name + ".part"), content);
        long dropped = System.nanoTime();
        Files.move(work.resolve("inbox").resolve("." + name + ".part"), work.resolve("inbox").resolve(name));
        return dropped;
    }

    /**
     * As {@link #drop}, then writes the file's done marker ({@code <name>.done}), as a sender that
     * tells the gateway its file is whole: read without waiting for the settle time.
     */
    public long dropWithDoneMarker(String name, CharSequence content) throws IOException {
        long dropped = drop(name, content);
        Files.writeString(work.resolve("inbox").resolve(name + ".done"), "");
        return dropped;
    }

    void send(List<String> instructions) throws Exception {
        try (Connection connection = connect(JMS_PRODUCER)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("payouts.requests"));
            for (String instruction : instructions) {
                producer.send(session.createTextMessage(instruction));
            }
        }
    }

    public List<Map<String, String>> results(String fileName) throws IOException {
        return ResultsFiles.read(work.resolve("outbox").resolve(fileName + ".results.csv"));
    }

    /**
     * Consumes the outcomes queue from now on, in the background; {@link FinalOutcomeClock#await}
     * answers System.nanoTime() of the moment the {@code count}-th payout (reference with this
     * prefix) had its final outcome on the queue, or -1 after {@code atMost}.
     */
    public FinalOutcomeClock clockFinalOutcomes(String prefix, int count) throws jakarta.jms.JMSException {
        return new FinalOutcomeClock(connect(JMS_CONSUMER), prefix, count);
    }

    /** See {@link #clockFinalOutcomes}. */
    public static final class FinalOutcomeClock implements AutoCloseable {
        private final Connection connection;
        private final Set<String> finals = new HashSet<>();
        private final CompletableFuture<Long> reached = new CompletableFuture<>();

        FinalOutcomeClock(Connection connection, String prefix, int count) throws jakarta.jms.JMSException {
            this.connection = connection;
            ObjectMapper json = new ObjectMapper();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createConsumer(session.createQueue("payouts.outcomes")).setMessageListener(message -> {
                try {
                    Map<?, ?> outcome = json.readValue(((TextMessage) message).getText(), Map.class);
                    String reference = String.valueOf(outcome.get("reference"));
                    Map<String, String> row = new HashMap<>();
                    row.put("status", String.valueOf(outcome.get("status")));
                    synchronized (this) {
                        if (reference.startsWith(prefix) && isFinal(row) && finals.add(reference)
                                && finals.size() == count) {
                            reached.complete(System.nanoTime());
                        }
                    }
                } catch (Exception unreadable) {
                    reached.completeExceptionally(unreadable);
                }
            });
            connection.start();
        }

        public long await(Duration atMost) throws Exception {
            try {
                return reached.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException late) {
                return -1;
            }
        }

        public synchronized int finalsSoFar() {
            return finals.size();
        }

        @Override
        public void close() throws jakarta.jms.JMSException {
            connection.close();
        }
    }

    /** The last outcome per reference (with this prefix) from the outcomes queue, once {@code count} are final. */
    @SuppressWarnings("unchecked")
    Map<String, Map<String, String>> finalOutcomes(String prefix, int count, Duration atMost) {
        Map<String, Map<String, String>> last = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        await().atMost(atMost).pollInterval(Duration.ofSeconds(1)).until(() -> {
            try (Connection connection = connect(JMS_CONSUMER)) {
                connection.start();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(session.createQueue("payouts.outcomes"));
                for (Message message = consumer.receive(500); message != null; message = consumer.receive(500)) {
                    Map<String, Object> outcome = json.readValue(((TextMessage) message).getText(), Map.class);
                    String reference = String.valueOf(outcome.get("reference"));
                    Map<String, String> row = new HashMap<>();
                    outcome.forEach((key, value) -> row.put(key, value == null ? "" : String.valueOf(value)));
                    if (reference.startsWith(prefix) && !isFinal(last.get(reference))) {
                        last.put(reference, row);
                    }
                }
            }
            return last.values().stream().filter(GatewayProcess::isFinal).count() == count;
        });
        return last;
    }

    /** The users a broker run by the test gives the gateways and the test's producer and consumer. */
    public static EmbeddedBroker.Users brokerUsers() {
        return new EmbeddedBroker.Users(JMS_GATEWAY, JMS_PRODUCER, JMS_CONSUMER);
    }

    private Connection connect(EmbeddedBroker.User user) throws jakarta.jms.JMSException {
        return new ActiveMQConnectionFactory(jmsUrl).createConnection(user.name(), user.password());
    }

    public static boolean isFinal(Map<String, String> row) {
        return row != null && List.of("SUCCEEDED", "FAILED", "REJECTED", "CANCELLED").contains(row.get("status"));
    }

    /** A call of the gateway's API with its key (every role): the answer's JSON, with its HTTP status as "status". */
    Map<String, Object> api(String method, String path, String body) throws IOException, InterruptedException {
        Answer answer = call(API_KEY, method, path, body);
        Map<String, Object> json = new HashMap<>(answer.json());
        json.put("status", answer.status());
        return json;
    }

    /** An answer of the gateway's API: its HTTP status and its JSON (a payout's own "status" kept). */
    record Answer(int status, Map<String, Object> json) {
    }

    /** A call of the gateway's API with {@code key} (a key of PAYOUTS_API_KEYS, set with {@link #env}). */
    @SuppressWarnings("unchecked")
    Answer call(String key, String method, String path, String body) throws IOException, InterruptedException {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + httpPort + path))
                        .header("X-API-Key", key).header("Content-Type", "application/json")
                        .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                                : java.net.http.HttpRequest.BodyPublishers.ofString(body))
                        .timeout(Duration.ofSeconds(10)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), new ObjectMapper().readValue(response.body(), Map.class));
    }

    /** The ports handed out in this JVM: the system may offer a port again as soon as its probe closed. */
    private static final java.util.Set<Integer> PORTS_GIVEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A free loopback port, never one handed out before in this JVM (one gateway's ports never collide). */
    public static int freePort() {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (PORTS_GIVEN.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
