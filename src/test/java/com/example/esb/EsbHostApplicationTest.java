package com.example.esb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The host application of EsbHostApplication pays through the twin end to end using only the
 * blocks and properties camel-payouts documents: its own direct: source into payout-submit,
 * outcomes into its own mock, the callback receivers under its own paths.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EsbHostApplicationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private Main host;
    private CamelContext context;
    private ProducerTemplate producer;

    @BeforeAll
    void startHost() {
        host = EsbHostApplication.create();
        host.start();
        context = host.getCamelContext();
        producer = context.createProducerTemplate();
    }

    @AfterAll
    void stopHost() {
        host.stop();
    }

    @Test
    void aSupplierPaymentFromTheHostsRouteSucceedsAndItsOutcomeReachesTheHost() throws Exception {
        Exchange answer = producer.send("direct:pay-supplier", exchange -> exchange.getIn().setHeaders(Map.of(
                "invoice", "INV-2026-0042", "supplierBank", "014", "supplierAccount", "8760673566",
                "amountDue", 1_250_000)));

        assertThat(answer.getMessage().getHeader("PayoutIntake")).isEqualTo("ACCEPTED");
        assertThat(json(answer.getMessage().getBody(String.class))).containsEntry("reference", "INV-2026-0042")
                .containsEntry("status", "PENDING");
        assertThat(awaitOutcome("INV-2026-0042", "SUCCEEDED")).containsEntry("amount", 1_250_000)
                .containsEntry("provider", "duitku");
    }

    @Test
    void anH2hTransferIsSettledByDuitkusCallbackAtTheHostsPath() throws Exception {
        Exchange answer = submit("{\"reference\":\"esb-h2h-1\",\"method\":\"H2H\",\"bankCode\":\"009\","
                + "\"accountNumber\":\"8760673466\",\"amount\":60000000}");

        assertThat(answer.getMessage().getHeader("PayoutIntake")).isEqualTo("ACCEPTED");
        // H2H's outcome comes only by callback (the status API is asked after a minute).
        assertThat(awaitOutcome("esb-h2h-1", "SUCCEEDED")).containsEntry("method", "H2H");
    }

    @Test
    void aDurianpayTransferSucceedsThroughTheSameBlock() throws Exception {
        submit("{\"reference\":\"esb-dp-1\",\"provider\":\"durianpay\",\"bankCode\":\"014\","
                + "\"accountNumber\":\"1234567890\",\"amount\":150000}");

        assertThat(awaitOutcome("esb-dp-1", "SUCCEEDED")).containsEntry("provider", "durianpay");
    }

    @Test
    void aBadInstructionIsAnsweredWithEveryProblemAndGoesToTheHostsRefusedEndpoint() throws Exception {
        MockEndpoint refused = context.getEndpoint("mock:esb-refused", MockEndpoint.class);
        String bad = "{\"reference\":\"esb-bad-1\",\"bankCode\":\"1\",\"amount\":-5}";

        Exchange answer = submit(bad);

        assertThat(answer.getMessage().getHeader("PayoutIntake")).isEqualTo("REJECTED");
        Map<String, Object> outcome = json(answer.getMessage().getBody(String.class));
        assertThat(outcome).containsEntry("status", "REJECTED");
        assertThat(outcome.get("reason").toString()).contains("accountNumber").contains("amount").contains("bankCode");
        await().atMost(Duration.ofSeconds(5)).until(() -> refused.getExchanges().stream()
                .anyMatch(e -> bad.equals(e.getMessage().getBody(String.class))
                        && e.getMessage().getHeader("PayoutRejectReason", String.class).contains("accountNumber")));
    }

    @Test
    void aRepeatedInstructionPaysNothingAgain() throws Exception {
        String instruction = "{\"reference\":\"esb-repeat-1\",\"bankCode\":\"014\",\"accountNumber\":\"8760673566\","
                + "\"amount\":75000}";
        submit(instruction);
        awaitOutcome("esb-repeat-1", "SUCCEEDED");

        Exchange again = submit(instruction);

        assertThat(again.getMessage().getHeader("PayoutIntake")).isEqualTo("REPEATED");
        assertThat(json(again.getMessage().getBody(String.class))).containsEntry("status", "SUCCEEDED");
    }

    @Test
    void nothingIsStartedThatTheHostDidNotAskForAndProviderCallsAreBounded() {
        assertThat(context.hasComponent("jms")).as("no broker, no JMS").isNull();
        assertThat(context.hasComponent("file")).as("no file drop").isNull();
        assertThat(context.hasServices(VertxPlatformHttpServer.class)).as("only the host's own HTTP server")
                .hasSize(1);
        for (String scheme : List.of("http", "https")) {
            assertThat(context.getComponent(scheme, HttpComponent.class).getResponseTimeout())
                    .as(scheme + " provider calls are bounded by payouts.provider.timeout-ms").isEqualTo(30_000);
        }
        List<String> routes = context.getRoutes().stream().map(Route::getRouteId).toList();
        assertThat(routes).contains("pay-supplier", "esb-submit-payouts", "esb-payout-outcomes",
                "esb-duitku-callbacks", "esb-durianpay-notifications", "route-payout", "reconcile-pending")
                .noneMatch(id -> id.startsWith("api-") || id.startsWith("file-") || id.startsWith("jms-")
                        || id.startsWith("publish-outcomes"));
    }

    private Exchange submit(String instruction) {
        return producer.send("direct:esb-payouts", exchange -> exchange.getIn().setBody(instruction));
    }

    /** The host's mock received the payout's outcome with this status (the outcomes block delivers every change). */
    private Map<String, Object> awaitOutcome(String reference, String status) {
        MockEndpoint outcomes = context.getEndpoint("mock:esb-outcomes", MockEndpoint.class);
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(
                () -> outcomes.getExchanges().stream()
                        .filter(e -> reference.equals(e.getMessage().getHeader("PayoutReference")))
                        .map(e -> json(e.getMessage().getBody(String.class)))
                        .filter(o -> status.equals(o.get("status"))).findFirst().orElse(null),
                o -> o != null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String text) {
        try {
            return JSON.readValue(text, Map.class);
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }
}
