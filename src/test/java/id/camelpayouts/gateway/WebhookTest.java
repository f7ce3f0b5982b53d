package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import id.camelpayouts.outcomes.WebhookSignature;

/**
 * A merchant's webhook receiver that is down for the first seconds: once it is back it gets every
 * outcome, in order per payout, each signed with a timestamp so that it verifies with the shared
 * key and cannot be replayed later. The URL (a token in its path and in its query) reaches neither
 * the log, start-up included, nor the metrics, nor the endpoint registry.
 */
class WebhookTest extends GatewayTestSupport {

    static final String KEY = "webhook-test-key-81c";
    static final String URL_TOKEN = "hook-token-5e2d";
    static final String QUERY_TOKEN = "query-token-77ab";
    final CapturedLog log;
    final Level rootLevel;
    final HttpServer receiver;
    volatile boolean down = true;
    final List<String> bodies = new CopyOnWriteArrayList<>();
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger badSignatures = new AtomicInteger();
    final List<String> queries = new CopyOnWriteArrayList<>();

    WebhookTest() throws IOException {
        // what production logs, start-up summary included (the test default is WARN)
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        rootLevel = logging.getConfiguration().getRootLogger().getLevel();
        logging.getConfiguration().getRootLogger().setLevel(Level.INFO);
        logging.updateLoggers();
        log = CapturedLog.attach("webhook-capture");
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks/payouts", exchange -> {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            if (down) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(503, -1);
            } else {
                String body = new String(raw, StandardCharsets.UTF_8);
                if (!signedWithinTheWindow(exchange.getRequestHeaders().getFirst("X-Payout-Timestamp"), body,
                        exchange.getRequestHeaders().getFirst("X-Payout-Signature"))) {
                    badSignatures.incrementAndGet();
                }
                queries.add(String.valueOf(exchange.getRequestURI().getRawQuery()));
                bodies.add(body);
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        receiver.start();
        // a token in the URL path (Camel masks only query parameters named like secrets): it must not
        // reach the log when the receiver fails
        System.setProperty("payouts.webhook.url", "http://127.0.0.1:" + receiver.getAddress().getPort()
                + "/hooks/payouts/" + URL_TOKEN + "?key=" + QUERY_TOKEN);
        System.setProperty("payouts.webhook.key", KEY);
        System.setProperty("payouts.outcomes.max-backoff", "2s");
    }

    @AfterAll
    void stopReceiver() {
        log.detach();
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        logging.getConfiguration().getRootLogger().setLevel(rootLevel);
        logging.updateLoggers();
        receiver.stop(0);
        System.clearProperty("payouts.webhook.url");
        System.clearProperty("payouts.webhook.key");
        System.clearProperty("payouts.outcomes.max-backoff");
    }

    @Test
    void everyOutcomeReachesAReceiverThatWasDownForAWhileSignedAndInOrder() {
        String paid = reference("hook");
        String declined = reference("hook");
        String unknown = reference("hook");
        post("/api/payouts", instruction(paid, "8760673566", 50000));
        post("/api/payouts", instruction(declined, "8760673562", 50000)); // -510
        post("/api/payouts", instruction(unknown, "8760673561", 50000)); // TO, then status inquiry
        List.of(paid, declined, unknown).forEach(this::awaitFinal);
        await().atMost(Duration.ofSeconds(10)).until(() -> refused.get() >= 2); // tried, refused, tried again
        assertThat(bodies).as("nothing delivered while the receiver is down").isEmpty();

        down = false;

        await().atMost(Duration.ofSeconds(20)).until(() -> statuses(unknown).contains("SUCCEEDED")
                && statuses(paid).contains("SUCCEEDED") && statuses(declined).contains("FAILED"));

        assertThat(refused.get()).isPositive();
        assertThat(badSignatures.get()).isZero();
        // taken in, then final: the inquiry, the transfer claim and the timed-out wait emit nothing
        assertThat(statuses(paid)).containsExactly("PENDING", "SUCCEEDED");
        assertThat(statuses(declined)).containsExactly("PENDING", "FAILED");
        assertThat(statuses(unknown)).containsExactly("PENDING", "SUCCEEDED");
        assertThat(log.lines()).as("the failures were logged").anySatisfy(line -> assertThat(line)
                .contains("Outcomes to webhook failed"));
        assertThat(queries).as("POSTed with its query").allMatch(("key=" + QUERY_TOKEN)::equals);
        assertThat(log.lines()).as("started and logged at INFO").anySatisfy(line -> assertThat(line)
                .contains("payouts.webhook"));
        assertThat(log.lines()).noneSatisfy(line -> assertThat(line).containsAnyOf(URL_TOKEN, QUERY_TOKEN, KEY));
        MeterRegistry meters = context.getRegistry().findSingleByType(MeterRegistry.class);
        assertThat(meters.getMeters()).as("metrics").isNotEmpty().noneSatisfy(meter -> assertThat(
                meter.getId().toString()).containsAnyOf(URL_TOKEN, QUERY_TOKEN));
        assertThat(context.getEndpoints()).as("endpoints").noneSatisfy(endpoint -> assertThat(
                endpoint.getEndpointUri()).containsAnyOf(URL_TOKEN, QUERY_TOKEN));
    }

    @Test
    void aReceiverRefusesAReplayedOrForgedPost() {
        WebhookSignature signature = new WebhookSignature(KEY);
        String body = "{\"reference\":\"r1\",\"status\":\"SUCCEEDED\"}";
        String now = String.valueOf(Instant.now().getEpochSecond());
        assertThat(signedWithinTheWindow(now, body, signature.sign(now, body))).isTrue();
        String anHourAgo = String.valueOf(Instant.now().minusSeconds(3600).getEpochSecond());
        assertThat(signedWithinTheWindow(anHourAgo, body, signature.sign(anHourAgo, body))).as("replayed").isFalse();
        assertThat(signedWithinTheWindow(now, body, signature.sign(anHourAgo, body))).as("re-dated").isFalse();
        assertThat(signedWithinTheWindow(now, body.replace("r1", "r2"), signature.sign(now, body))).isFalse();
        assertThat(signedWithinTheWindow(null, body, signature.sign(now, body))).isFalse();
    }

    @Test
    void theReadmesTestVectorHolds() {
        assertThat(new WebhookSignature("k").sign("1767225600", "{\"reference\":\"r1\",\"status\":\"SUCCEEDED\"}"))
                .isEqualTo("fd7188bd96d3c77c07808b8b3bc60da3902f236afa147fdf05916380d4a19916");
    }

    /**
     * What the README tells a receiver to check: X-Payout-Signature is HMAC-SHA256(key, timestamp + "." +
     * raw body) and X-Payout-Timestamp (Unix seconds) is within five minutes of now.
     */
    static boolean signedWithinTheWindow(String timestamp, String body, String signature) {
        if (timestamp == null || signature == null || !timestamp.matches("[0-9]{1,12}")) {
            return false;
        }
        long age = Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return age <= 300 && MessageDigest.isEqual(HexFormat.of().formatHex(expected)
                    .getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Map<String, Object>> outcomes(String reference) {
        return bodies.stream().map(body -> new Response(200, body).json())
                .filter(outcome -> reference.equals(outcome.get("reference"))).toList();
    }

    private List<Object> statuses(String reference) {
        return outcomes(reference).stream().map(outcome -> outcome.get("status")).toList();
    }
}
