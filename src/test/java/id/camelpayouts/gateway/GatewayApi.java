package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.apache.camel.main.Main;

import id.camelpayouts.ledger.Payout;
import id.camelpayouts.ledger.PayoutLedger;

/** The gateway's /api as the document-fake tests call it, and its ledger as they wait on it. */
record GatewayApi(HttpClient http, int port, String apiKey, PayoutLedger ledger) {

    /**
     * What a gateway against a document fake shares: its port, no twin, an in-memory ledger and
     * directories named {@code name}, the API key, reconciling every 200 ms; the test adds its
     * provider's.
     */
    static Properties settings(String name, int port, String apiKey) throws IOException {
        Path data = Files.createTempDirectory(Path.of("target"), name);
        Properties settings = new Properties();
        settings.put("camel.server.port", String.valueOf(port));
        settings.put("camel.management.enabled", "false");
        settings.put("payouts.twin", "false");
        settings.put("payouts.db.url", "jdbc:h2:mem:" + name);
        settings.put("payouts.data-dir", data.resolve("data").toString());
        settings.put("payouts.inbox", data.resolve("inbox").toString());
        settings.put("payouts.outbox", data.resolve("outbox").toString());
        settings.put("payouts.instance-id", name);
        settings.put("payouts.api-key", apiKey);
        settings.put("payouts.reconcile.interval", "200ms");
        settings.put("payouts.inquiry.backoff", "100ms,100ms");
        settings.put("payouts.samples", "");
        return settings;
    }

    /** The API of a started {@code gateway}. */
    static GatewayApi of(Main gateway, int port, String apiKey) {
        return new GatewayApi(HttpClient.newHttpClient(), port, apiKey, gateway.getCamelContext().getRegistry()
                .lookupByNameAndType("payoutsLedger", PayoutLedger.class));
    }

    /** POSTs one instruction to /api/payouts; it must be taken (202). */
    void submit(String instruction) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/payouts")).header("X-API-Key", apiKey)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(instruction))
                .build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    /** GETs {@code pathAndQuery} with the API key. */
    HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).header("X-API-Key", apiKey).GET().build());
    }

    /** The payout once it is final (within {@code seconds}). */
    Payout awaitFinal(String reference, int seconds) {
        await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(50))
                .until(() -> ledger.find(reference) != null && ledger.find(reference).isFinal());
        return ledger.find(reference);
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
