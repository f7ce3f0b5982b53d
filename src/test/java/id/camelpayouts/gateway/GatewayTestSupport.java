package id.camelpayouts.gateway;

import id.camelpayouts.GatewayConfiguration;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

import id.camelpayouts.files.PayoutFileReader;
import id.camelpayouts.ledger.Payout;
import id.camelpayouts.ledger.PayoutLedger;
import id.camelpayouts.twin.DuitkuTwin;

/**
 * Runs the whole gateway as configured by application.properties and routes/, with the Duitku
 * twin on a free port, an in-memory ledger and short timings so reconciliation happens in
 * a fraction of a second. One gateway per test class (its tests share it: use fresh references).
 */
@CamelMainTest(configurationClasses = GatewayConfiguration.class,
        propertyPlaceholderLocations = "file:application.properties",
        properties = {
            "camel.server.port=0",
            "camel.management.enabled=false",
            "payouts.twin.port=0",
            "payouts.twin.durianpay-port=0",
            "durianpay.inquiry-schedule=100ms,100ms,100ms",
            "payouts.db.url=jdbc:h2:mem:gateway",
            "payouts.api-key=" + GatewayTestSupport.API_KEY,
            "payouts.api-keys=" + GatewayTestSupport.API_KEYS,
            "payouts.reconcile.interval=200ms",
            "payouts.inquiry.backoff=100ms,100ms",
            "payouts.reconcile.not-found-grace=0s",
            "payouts.work.resume-after=5s",
            "payouts.provider.timeout=1500ms",
            "payouts.twin.slow-answer=2500ms",
            "payouts.twin.callback-delay=300ms",
            "payouts.files.settle-time=300ms",
            "payouts.files.results-interval=200ms",
            "payouts.outcomes.publish-interval=100ms",
            "payouts.balance.max-age=0s", // balances compared before and after a payout
            "payouts.samples="
        })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class GatewayTestSupport {

    public static final String API_KEY = "test-api-key-Zq81";
    /** Keys with one role each (the operator's and the approver's roles are the write side's). */
    public static final String READER_KEY = "reader-key-7Hq2";
    public static final String SUBMITTER_KEY = "submitter-key-4Lp9";
    public static final String OPERATOR_KEY = "operator-key-2Wx5";
    public static final String APPROVER_KEY = "approver-key-8Nc3";
    /** An approver who also reads (the console's second person: sees the payout, then approves it). */
    public static final String CHECKER_KEY = "checker-key-5Rt6";
    /** The submitter's key is given by its SHA-256, as an operator would keep it out of the configuration. */
    static final String API_KEYS = "reader:" + READER_KEY + ":read;submitter:sha256:"
            + "070f4b79456b4588e8dbd4a1a7a8e2e70ff265aff1ab85c484ff689d1810b2c1:submit;operator:" + OPERATOR_KEY
            + ":operate;approver:" + APPROVER_KEY + ":approve;checker:" + CHECKER_KEY + ":read,approve";
    static final ObjectMapper JSON = new ObjectMapper();
    static final AtomicInteger REFERENCES = new AtomicInteger();

    @BeanInject
    protected CamelContext context;
    @BeanInject("payoutsDuitkuTwin")
    protected DuitkuTwin twin;
    @BeanInject("payoutsLedger")
    protected PayoutLedger ledger;

    /** How long a request's answer is waited for. */
    protected static final Duration ANSWER_WAIT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newHttpClient();
    /** This test class's own directories (ledger stays in memory; broker journal, inbox, outbox here). */
    protected final Path workDir;
    protected final Path inbox;
    protected final Path outbox;

    /**
     * Runs before the gateway starts (one instance per class): system properties override
     * application.properties, so each class gets fresh directories.
     */
    protected GatewayTestSupport() {
        workDir = Path.of("target", "gateway-tests", getClass().getSimpleName() + "-" + System.nanoTime());
        inbox = workDir.resolve("inbox");
        outbox = workDir.resolve("outbox");
        System.setProperty("payouts.data-dir", workDir.resolve("data").toString());
        System.setProperty("payouts.inbox", inbox.toString());
        System.setProperty("payouts.outbox", outbox.toString());
    }

    /**
     * Puts this class's gateway on the PostgreSQL test database (emptied first) instead of the
     * in-memory H2; called from a constructor, before the gateway starts.
     */
    protected void usePostgres() {
        try (var database = id.camelpayouts.ledger.PostgresTestDatabase.emptied()) {
            System.setProperty("payouts.db.url", id.camelpayouts.ledger.PostgresTestDatabase.url());
            System.setProperty("payouts.db.user", id.camelpayouts.ledger.PostgresTestDatabase.user());
            System.setProperty("payouts.db.password", id.camelpayouts.ledger.PostgresTestDatabase.password());
        }
    }

    /** The directories (and database) were for this class's gateway only: later tests must not inherit them. */
    @AfterAll
    void forgetDirectories() {
        for (String property : new String[] {"payouts.data-dir", "payouts.inbox", "payouts.outbox",
            "payouts.db.url", "payouts.db.user", "payouts.db.password"}) {
            System.clearProperty(property);
        }
    }

    /** A reference no other test uses. */
    protected static String reference(String label) {
        return label + "-" + REFERENCES.incrementAndGet();
    }

    protected static String instruction(String reference, String accountNumber, long amount) {
        return "{\"reference\":\"" + reference + "\",\"bankCode\":\"014\",\"accountNumber\":\"" + accountNumber
                + "\",\"amount\":" + amount + "}";
    }

    protected Response post(String path, String body) {
        return post(path, body, API_KEY);
    }

    protected Response post(String path, String body, String apiKey) {
        return post(path, body, apiKey, ANSWER_WAIT);
    }

    /** A post whose answer may legitimately take longer than {@link #ANSWER_WAIT} (say why where used). */
    protected Response post(String path, String body, String apiKey, Duration answerWait) {
        return send(HttpRequest.newBuilder(uri(path)).header("X-API-Key", apiKey)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)), answerWait);
    }

    protected Response get(String path) {
        return get(path, API_KEY);
    }

    protected Response get(String path, String apiKey) {
        return send(HttpRequest.newBuilder(uri(path)).header("X-API-Key", apiKey).GET());
    }

    protected Response send(HttpRequest.Builder request) {
        return send(request, ANSWER_WAIT);
    }

    protected Response send(HttpRequest.Builder request, Duration answerWait) {
        try {
            HttpResponse<String> response = http.send(request.timeout(answerWait).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected URI uri(String path) {
        int port = context.hasServices(VertxPlatformHttpServer.class).iterator().next().getServer().actualPort();
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Waits until the payout is final (SUCCEEDED, FAILED or REJECTED) and returns it from the ledger. */
    protected Payout awaitFinal(String reference) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> ledger.find(reference) != null && ledger.find(reference).isFinal());
        return ledger.find(reference);
    }

    public record Response(int status, String body) {
        public Map<String, Object> json() {
            try {
                return JSON.readValue(body, new TypeReference<Map<String, Object>>() {
                });
            } catch (Exception e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }
    }

    /**
     * Waits for the file dropped as {@code name} to be refused: moved to inbox/error/ as
     * {@code <time>-<name>} (cut to 255 bytes) with its note beside it. Returns where it is.
     */
    protected Path awaitRefusedFile(String name) {
        Path[] refused = new Path[1];
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            refused[0] = refusedFiles(name).stream().filter(file -> Files.exists(noteOf(file))).findFirst().orElse(null);
            return refused[0] != null;
        });
        return refused[0];
    }

    /** The files dropped as {@code name} that are in inbox/error/, their notes left out. */
    protected List<Path> refusedFiles(String name) throws IOException {
        Path error = inbox.resolve("error");
        if (!Files.isDirectory(error)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(error)) {
            return files.filter(file -> {
                Matcher moved = REFUSED.matcher(file.getFileName().toString());
                return moved.matches() && (moved.group(1).equals(name) || name.startsWith(moved.group(1))
                        && file.getFileName().toString().getBytes(StandardCharsets.UTF_8).length == 255);
            }).sorted().toList();
        }
    }

    /** The note beside a refused file in inbox/error/. */
    protected static Path noteOf(Path refused) {
        return refused.resolveSibling(PayoutFileReader.noteName(refused.getFileName().toString()));
    }

    private static final Pattern REFUSED = Pattern.compile("\\d{8}-\\d{6}-\\d{3}-(.+)", Pattern.DOTALL);
}
