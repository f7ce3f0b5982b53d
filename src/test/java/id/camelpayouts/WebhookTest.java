package id.camelpayouts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import id.camelpayouts.outcomes.WebhookSignature;

/**
 * A merchant's webhook receiver that is down for the first seconds: once it is back it gets every
 * outcome, in order per payout, each signed so that it verifies with the shared key.
 */
class WebhookTest extends GatewayTestSupport {

    static final String KEY = "webhook-test-key-81c";
    static final String URL_TOKEN = "hook-token-5e2d";
    final CapturedLog log = CapturedLog.attach("webhook-capture");
    final HttpServer receiver;
    volatile boolean down = true;
    final List<String> bodies = new CopyOnWriteArrayList<>();
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger badSignatures = new AtomicInteger();

    WebhookTest() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks/payouts", exchange -> {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            if (down) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(503, -1);
            } else {
                String body = new String(raw, StandardCharsets.UTF_8);
                String signature = exchange.getRequestHeaders().getFirst("X-Payout-Signature");
                if (!new WebhookSignature(KEY).sign(body).equals(signature)) {
                    badSignatures.incrementAndGet();
                }
                bodies.add(body);
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        receiver.start();
        // a token in the URL path (Camel masks only query parameters named like secrets): it must not
        // reach the log when the receiver fails
        System.setProperty("payouts.webhook.url",
                "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/payouts/" + URL_TOKEN);
        System.setProperty("payouts.webhook.secret", KEY);
        System.setProperty("payouts.outcomes.max-backoff", "2s");
    }

    @AfterAll
    void stopReceiver() {
        log.detach();
        receiver.stop(0);
        System.clearProperty("payouts.webhook.url");
        System.clearProperty("payouts.webhook.secret");
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
        assertThat(statuses(paid)).containsExactly("PENDING", "PENDING", "PENDING", "SUCCEEDED");
        assertThat(statuses(declined)).containsExactly("PENDING", "PENDING", "PENDING", "FAILED");
        assertThat(statuses(unknown)).startsWith("PENDING").endsWith("SUCCEEDED")
                .containsOnlyOnce("SUCCEEDED");
        assertThat(outcomes(unknown)).anySatisfy(o -> assertThat(o).containsEntry("responseCode", "TO"));
        assertThat(log.lines()).as("the failures were logged").anySatisfy(line -> assertThat(line)
                .contains("Outcomes to webhook failed"));
        assertThat(log.lines()).noneSatisfy(line -> assertThat(line).contains(URL_TOKEN));
    }

    private List<Map<String, Object>> outcomes(String reference) {
        return bodies.stream().map(body -> new Response(200, body).json())
                .filter(outcome -> reference.equals(outcome.get("reference"))).toList();
    }

    private List<Object> statuses(String reference) {
        return outcomes(reference).stream().map(outcome -> outcome.get("status")).toList();
    }
}
