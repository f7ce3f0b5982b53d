package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.BeanInject;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import id.camelpayouts.ledger.Payout;
import id.camelpayouts.metrics.ObservabilityFiles;
import id.camelpayouts.metrics.PrometheusText;
import id.camelpayouts.rails.BankIndonesiaSchedule;

/**
 * The business metrics as Prometheus scrapes them: the gateway with its management server on
 * (health and metrics), a known set of payouts and callbacks, then {@code /observe/metrics}
 * read over HTTP and every counter compared with what happened. Also checks that every metric
 * the Grafana dashboard and the alert rules use is one the gateway exports.
 */
class MetricsTest extends GatewayTestSupport {

    @BeanInject("payoutsBiSchedule")
    BankIndonesiaSchedule biSchedule;

    private Map<String, Double> scraped;

    /**
     * Management (health and metrics) on, on port 0 like the API: Camel then serves both from the
     * one server. The twin's H2H callback comes 300 ms after the transfer (GatewayTestSupport).
     */
    MetricsTest() {
        System.setProperty("camel.management.enabled", "true");
        System.setProperty("camel.management.port", "0");
    }

    @AfterAll
    void managementOff() {
        System.clearProperty("camel.management.enabled");
        System.clearProperty("camel.management.port");
    }

    /**
     * The known set, paid before the first test (the gateway's beans are injected by then): Duitku
     * Transfer Online 3 successes, a -510 decline, a TO settled by the status inquiry, a
     * holder-name mismatch; an H2H transfer settled by Duitku's callback, the callback delivered
     * again, a forged one; an LLG transfer refused -510 and Duitku's late success for it (a
     * conflict); a Durianpay transfer settled by its notification; an invalid instruction.
     */
    @BeforeEach
    void payTheKnownSetOnce() throws Exception {
        if (scraped != null) {
            return; // one gateway, one known set, for every test of the class
        }
        // Monday 10:00 WIB: Bank Indonesia's LLG window is open
        biSchedule.useClock(Clock.offset(Clock.systemUTC(),
                Duration.between(Instant.now(), Instant.parse("2026-11-23T03:00:00Z"))));
        List<String> succeeded = List.of(reference("m-ok"), reference("m-ok"), reference("m-ok"));
        String declined = reference("m-510");
        String timedOut = reference("m-to");
        String otherName = reference("m-name");
        String h2h = reference("m-h2h");
        String llg = reference("m-llg");
        String durianpay = reference("m-dp");
        for (int i = 0; i < succeeded.size(); i++) {
            assertThat(post("/api/payouts", instruction(succeeded.get(i), "8760673566", 50_000 + 10_000 * i)).status())
                    .isEqualTo(202);
        }
        post("/api/payouts", instruction(declined, "8760673562", 80_000));
        post("/api/payouts", instruction(timedOut, "8760673561", 90_000));
        post("/api/payouts", "{\"reference\":\"" + otherName + "\",\"bankCode\":\"014\",\"accountNumber\":"
                + "\"8760673566\",\"accountName\":\"Somebody Else\",\"amount\":40000}");
        post("/api/payouts", DuitkuClearingAndCashOutTest.clearing(h2h, "H2H", "009", "8760673466", 60_000_000));
        post("/api/payouts", DuitkuClearingAndCashOutTest.clearing(llg, "LLG", "014", "8760673454", 70_000_000));
        post("/api/payouts", DurianpayPayoutsTest.durianpayInstruction(durianpay, "1234567890", 150_000));
        assertThat(post("/api/payouts", instruction(reference("m-invalid"), "8760673566", 5)).status()).isEqualTo(400);

        for (String reference : succeeded) {
            assertThat(awaitFinal(reference).getStatus()).isEqualTo(Payout.SUCCEEDED);
        }
        assertThat(awaitFinal(declined).getStatus()).isEqualTo(Payout.FAILED);
        assertThat(awaitFinal(timedOut).getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(awaitFinal(otherName).getStatus()).isEqualTo(Payout.REJECTED);
        assertThat(awaitFinal(durianpay).getStatus()).isEqualTo(Payout.SUCCEEDED);

        Payout settled = awaitFinal(h2h);
        assertThat(settled.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(callback(DuitkuCallbacksTest.clearingCallback(settled, "00", DuitkuCallbacksTest.SECRET)))
                .isEqualTo(new Response(200, "SUCCESS"));
        assertThat(callback(DuitkuCallbacksTest.clearingCallback(settled, "00", "not-the-secret")).status())
                .isEqualTo(401);

        Payout refused = awaitFinal(llg);
        assertThat(refused.getStatus()).isEqualTo(Payout.FAILED);
        Map<String, Object> lateSuccess = DuitkuCallbacksTest.clearingCallback(refused, "00", DuitkuCallbacksTest.SECRET);
        lateSuccess.put("bankCode", "014");
        lateSuccess.put("amountTransfer", 70000000.0);
        lateSuccess.put("signature", DuitkuCallbacksTest.sign(lateSuccess));
        assertThat(callback(lateSuccess)).isEqualTo(new Response(200, "SUCCESS"));
        assertThat(ledger.find(llg).getConflict()).isEqualTo("LATE_SUCCESS");

        // a callback is counted just before it is answered, a moment after its payout is final
        String applied = PrometheusText.key("payouts_callbacks_total", "provider", "durianpay", "result", "applied");
        String h2hApplied = PrometheusText.key("payouts_callbacks_total", "provider", "duitku", "result", "applied");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            scraped = PrometheusText.samples(scrape());
            return scraped.getOrDefault(applied, 0.0) == 1 && scraped.getOrDefault(h2hApplied, 0.0) == 1;
        });
    }

    @Test
    void payoutsAndRupiahAreCountedByProviderMethodAndFinalStatus() {
        assertThat(sample("payouts_total", "provider", "duitku", "method", "ONLINE", "status", "SUCCEEDED")).isEqualTo(4);
        assertThat(sample("payouts_total", "provider", "duitku", "method", "ONLINE", "status", "FAILED")).isEqualTo(1);
        assertThat(sample("payouts_total", "provider", "duitku", "method", "ONLINE", "status", "REJECTED")).isEqualTo(1);
        assertThat(sample("payouts_total", "provider", "duitku", "method", "H2H", "status", "SUCCEEDED")).isEqualTo(1);
        assertThat(sample("payouts_total", "provider", "duitku", "method", "LLG", "status", "FAILED")).isEqualTo(1);
        assertThat(sample("payouts_total", "provider", "durianpay", "method", "ONLINE", "status", "SUCCEEDED"))
                .isEqualTo(1);
        assertThat(sum("payouts_total")).as("9 payouts final, the invalid instruction is none").isEqualTo(9);

        assertThat(sample("payouts_amount_rupiah_total", "provider", "duitku", "method", "ONLINE", "status",
                "SUCCEEDED")).isEqualTo(50_000 + 60_000 + 70_000 + 90_000);
        assertThat(sample("payouts_amount_rupiah_total", "provider", "duitku", "method", "ONLINE", "status", "FAILED"))
                .isEqualTo(80_000);
        assertThat(sample("payouts_amount_rupiah_total", "provider", "duitku", "method", "H2H", "status", "SUCCEEDED"))
                .isEqualTo(60_000_000);
        assertThat(sample("payouts_amount_rupiah_total", "provider", "durianpay", "method", "ONLINE", "status",
                "SUCCEEDED")).isEqualTo(150_000);

        assertThat(sample("payouts_time_to_final_seconds_count", "provider", "duitku", "method", "ONLINE", "status",
                "SUCCEEDED")).isEqualTo(4);
        assertThat(sample("payouts_time_to_final_seconds_bucket", "provider", "duitku", "method", "ONLINE", "status",
                "SUCCEEDED", "le", "+Inf")).isEqualTo(4);
        assertThat(sample("payouts_time_to_final_seconds_bucket", "provider", "duitku", "method", "ONLINE", "status",
                "SUCCEEDED", "le", "30.0")).as("all within seconds here").isEqualTo(4);

        assertThat(sample("payouts_instructions_refused_total", "kind", "REJECTED")).isEqualTo(1);
        assertThat(sample("payouts_instructions_refused_total", "kind", "CONFLICT")).isEqualTo(0);
    }

    @Test
    void callbacksAreCountedByResultAndConflictsApart() {
        assertThat(sample("payouts_callbacks_total", "provider", "duitku", "result", "applied")).isEqualTo(1);
        assertThat(sample("payouts_callbacks_total", "provider", "duitku", "result", "repeat")).isEqualTo(1);
        assertThat(sample("payouts_callbacks_total", "provider", "duitku", "result", "refused")).isEqualTo(1);
        assertThat(sample("payouts_callbacks_total", "provider", "duitku", "result", "conflict")).isEqualTo(1);
        assertThat(sample("payouts_callbacks_total", "provider", "durianpay", "result", "applied")).isEqualTo(1);
        assertThat(sample("payouts_callbacks_total", "provider", "durianpay", "result", "refused")).isEqualTo(0);
        assertThat(sample("payouts_conflicts_total", "camelContext", "camel-payouts", "provider", "duitku"))
                .isEqualTo(1);
        assertThat(sample("payouts_conflicts_total", "camelContext", "camel-payouts", "provider", "durianpay"))
                .as("published at 0, so that the first conflict is an increase").isEqualTo(0);
        assertThat(sample("payouts_callbacks_refused_total", "camelContext", "camel-payouts", "provider", "duitku"))
                .isEqualTo(1);
    }

    @Test
    void providerCallsAreTimedByOperationAndOutcome() {
        // 8 Duitku payouts asked the inquiry; 7 were sent (not the holder-name mismatch)
        assertThat(calls("duitku", "inquiry", "success")).isEqualTo(8);
        assertThat(calls("duitku", "transfer", "success")).as("3 online + the H2H answered 80").isEqualTo(4);
        assertThat(calls("duitku", "transfer", "declined")).as("the two -510").isEqualTo(2);
        assertThat(calls("duitku", "transfer", "unknown")).as("TO").isEqualTo(1);
        assertThat(calls("duitku", "status", "success")).as("TO's status inquiry").isEqualTo(1);
        assertThat(calls("durianpay", "transfer", "success")).isEqualTo(1);
        assertThat(calls("durianpay", "inquiry", "success")).isGreaterThanOrEqualTo(1);
        assertThat(scraped.keySet()).filteredOn(name -> name.startsWith("payouts_provider_call_seconds_count{"))
                .noneMatch(name -> name.contains("transport_error"));
        assertThat(sample("payouts_provider_call_seconds_bucket", "provider", "duitku", "operation", "transfer",
                "outcome", "success", "le", "+Inf")).isEqualTo(4);
    }

    /**
     * Camel's route metrics, made by the gateway's RouteTimers with Camel's names and tags: the
     * Duitku receiver took the four callbacks (the twin's, its repeat, the forged one, the late
     * success), and its engine route the three it verified.
     */
    @Test
    void routesAreTimedAndCountedAsCamelDoes() {
        String[] receiver = {"camelContext", "camel-payouts", "kind", "CamelRoute", "routeId",
                "receive-provider-callbacks-duitku", "eventType", "route"};
        String[] engine = {"camelContext", "camel-payouts", "kind", "CamelRoute", "routeId", "apply-duitku-callback",
                "eventType", "route"};
        assertThat(sample("camel_route_policy_seconds_count", receiver)).isEqualTo(4);
        assertThat(sample("camel_exchanges_total", receiver)).isEqualTo(4);
        assertThat(sample("camel_exchanges_succeeded_total", receiver)).isEqualTo(4);
        assertThat(sample("camel_exchanges_failed_total", receiver)).isEqualTo(0);
        assertThat(sample("camel_route_policy_seconds_count", engine)).isEqualTo(3);
        assertThat(sample("camel_exchanges_total", engine)).isEqualTo(3);
    }

    @Test
    void theGaugesAreThere() {
        assertThat(sample("payouts_pending")).isEqualTo(0);
        assertThat(sample("payouts_review_required")).isEqualTo(0);
    }

    /**
     * The ledger's writes by durability: each paid payout made durable writes (its intake, its
     * transfer claim) and deferred ones (its lease, rail, inquiry and outcome), and the flushes
     * that served them (and the outbox, which flushes before it publishes) are counted.
     */
    @Test
    void theLedgersWritesAreCountedByDurability() {
        double durable = sample("payouts_ledger_writes_total", "durability", "durable");
        double deferred = sample("payouts_ledger_writes_total", "durability", "deferred");
        assertThat(durable).isPositive();
        // per payout the lease and the transfer's outcome (re-derivable) against its intake and its transfer
        // claim (durable; the rail and the inquiry are written with the claim)
        assertThat(deferred).isPositive();
        assertThat(sample("payouts_ledger_flushes_total")).isPositive();
    }

    /** Micrometer's JVM binders named by payouts.metrics.jvm (application.properties), bound by the gateway. */
    @Test
    void theJvmMetricsOfTheConfigurationAreExported() {
        Set<String> exported = new TreeSet<>();
        scraped.keySet().forEach(sample -> exported.add(sample.replaceAll("\\{.*", "")));
        assertThat(exported).contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "system_cpu_count");
    }

    /** The dashboard and the alert rules use only metrics the gateway exports (and the pause gauge to come). */
    @Test
    void everyMetricOfTheDashboardAndTheAlertsIsExported() throws Exception {
        Set<String> exported = new TreeSet<>();
        scraped.keySet().forEach(sample -> exported.add(sample.replaceAll("\\{.*", "")));
        Set<String> used = new TreeSet<>(ObservabilityFiles.metricsOfDashboard(Path.of(ObservabilityFiles.DASHBOARD)));
        used.addAll(ObservabilityFiles.metricsOfAlerts(Path.of(ObservabilityFiles.ALERTS)));
        assertThat(used).contains("payouts_total", "payouts_provider_call_seconds_bucket", "payouts_callbacks_total",
                "payouts_conflicts_total", "payouts_pending", "payouts_review_required",
                "payouts_time_to_final_seconds_bucket", "payouts_amount_rupiah_total");
        used.removeAll(ObservabilityFiles.NOT_YET_EXPORTED);
        assertThat(exported).containsAll(used);
    }

    private double calls(String provider, String operation, String outcome) {
        return sample("payouts_provider_call_seconds_count", "provider", provider, "operation", operation, "outcome",
                outcome);
    }

    private double sample(String name, String... labels) {
        String key = PrometheusText.key(name, labels);
        assertThat(scraped).as("exported: " + key).containsKey(key);
        return scraped.get(key);
    }

    private double sum(String name) {
        return scraped.entrySet().stream().filter(e -> e.getKey().startsWith(name + "{"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** GET /observe/metrics as Prometheus does; the last scrape is kept in target/metrics-test-scrape.txt. */
    private String scrape() throws Exception {
        int port = context.hasServices(VertxPlatformHttpServer.class).iterator().next().getServer().actualPort();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/observe/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        Files.writeString(Path.of("target", "metrics-test-scrape.txt"), response.body()); // for a person to read
        return response.body();
    }

    private Response callback(Map<String, Object> body) {
        try {
            return send(HttpRequest.newBuilder(uri("/callbacks/duitku/clearing")).header("Content-Type",
                    "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
