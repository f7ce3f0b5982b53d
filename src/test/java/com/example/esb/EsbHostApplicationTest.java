package com.example.esb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import id.camelpayouts.ledger.PayoutLedger;

/**
 * The host application of EsbHostApplication pays through the twin end to end using only the
 * blocks and properties camel-payouts documents: its own direct: source into payout-submit,
 * outcomes into its own mock, the callback receivers under its own paths. Variants of it show
 * what a host gets wrong, named at startup, and a host that uses Duitku only.
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
        assertThat(outcomes("INV-2026-0042")).as("taken in, then paid: nothing in between a consumer acts on")
                .extracting(outcome -> outcome.get("status")).containsExactly("PENDING", "SUCCEEDED");
    }

    @Test
    void aSupplierNameWithAQuoteReachesTheInstructionAsItIs() throws Exception {
        Exchange answer = producer.send("direct:pay-supplier", exchange -> exchange.getIn().setHeaders(Map.of(
                "invoice", "INV-2026-0043\",\"amount\":1", "supplierBank", "014", "supplierAccount", "8760673566",
                "amountDue", 1_250_000)));

        assertThat(answer.getMessage().getHeader("PayoutIntake")).as("a map is not JSON text: nothing to inject into")
                .isEqualTo("REJECTED");
        assertThat(json(answer.getMessage().getBody(String.class)).get("reason").toString()).startsWith("reference:");
    }

    /**
     * The twins' callbacks reach the receivers where this host mounted them (/esb/duitku,
     * /esb/durianpay), so H2H and Durianpay payouts settle by callback within seconds, not by the
     * status inquiry a minute later (payouts.reconcile.callback-wait, not set by this host).
     */
    @Test
    void callbacksAtTheHostsOwnPathsSettlePayoutsPromptly() throws Exception {
        submit("{\"reference\":\"esb-h2h-1\",\"method\":\"H2H\",\"bankCode\":\"009\","
                + "\"accountNumber\":\"8760673466\",\"amount\":60000000}");
        submit("{\"reference\":\"esb-dp-1\",\"provider\":\"durianpay\",\"bankCode\":\"014\","
                + "\"accountNumber\":\"1234567890\",\"amount\":150000}");

        assertThat(awaitOutcome("esb-h2h-1", "SUCCEEDED", Duration.ofSeconds(10))).containsEntry("method", "H2H");
        assertThat(awaitOutcome("esb-dp-1", "SUCCEEDED", Duration.ofSeconds(10))).containsEntry("provider", "durianpay");
        PayoutLedger ledger = context.getRegistry().lookupByNameAndType("payoutsLedger", PayoutLedger.class);
        for (String reference : List.of("esb-h2h-1", "esb-dp-1")) {
            assertThat(ledger.history(reference)).last().asString().as(reference).endsWith("succeeded by callback");
        }
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

    /**
     * A streamed instruction is read as its bytes; refused, it reaches the refused endpoint as it
     * came, also in a host that turned Camel's stream caching off (the stream is read once).
     */
    @Test
    void aStreamedInstructionIsReadAndARefusedOneReachesTheRefusedEndpointAsItCame() throws Exception {
        Properties settings = new Properties();
        settings.put("camel.main.stream-caching-enabled", "false");
        Main streams = startedDuitkuOnly("esb-streams", settings);
        try {
            CamelContext host = streams.getCamelContext();
            MockEndpoint refused = host.getEndpoint("mock:esb-refused", MockEndpoint.class);
            String good = "{\"reference\":\"esb-stream-1\",\"bankCode\":\"014\",\"accountNumber\":\"8760673566\","
                    + "\"amount\":65000}";
            String bad = "{\"reference\":\"esb-stream-bad\",\"bankCode\":\"014\",\"amount\":-1}";

            Exchange accepted = host.createProducerTemplate().send("direct:esb-payouts", exchange -> exchange.getIn()
                    .setBody(new ByteArrayInputStream(good.getBytes(StandardCharsets.UTF_8))));
            host.createProducerTemplate().send("direct:esb-payouts", exchange -> exchange.getIn()
                    .setBody(new ByteArrayInputStream(bad.getBytes(StandardCharsets.UTF_8))));

            assertThat(accepted.getMessage().getHeader("PayoutIntake")).isEqualTo("ACCEPTED");
            await().atMost(Duration.ofSeconds(5)).until(() -> refused.getExchanges().size() == 1);
            assertThat(refused.getExchanges().get(0).getMessage().getBody(String.class)).isEqualTo(bad);
        } finally {
            streams.stop();
        }
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
            HttpComponent http = context.getComponent(scheme, HttpComponent.class);
            assertThat(http.getResponseTimeout()).as(scheme + " provider calls are bounded by payouts.provider.timeout")
                    .isEqualTo(30_000);
            assertThat(http.getConnectTimeout()).as(scheme + " payouts.provider.connect-timeout").isEqualTo(5_000);
        }
        List<String> routes = context.getRoutes().stream().map(Route::getRouteId).toList();
        assertThat(routes).contains("pay-supplier", "esb-submit-payouts", "esb-payout-outcomes",
                "esb-duitku-callbacks", "esb-durianpay-notifications", "route-payout", "reconcile-pending")
                .noneMatch(id -> id.startsWith("api-") || id.startsWith("file-") || id.startsWith("jms-")
                        || id.startsWith("publish-outcomes"));
    }

    @Test
    void anOutcomeChannelMissingFromTheSettingStopsStartupWithOneClearMessage() {
        Properties settings = variant("esb-channels");
        settings.put("payouts.outcomes.channels", "erp");

        assertThat(refusalStarting(EsbHostApplication.SETTINGS, settings)).isEqualTo("the payout-outcomes block"
                + " esb-payout-outcomes delivers channel 'esb', which is not in payouts.outcomes.channels [erp]: add it"
                + " there (PAYOUTS_OUTCOMES_CHANNELS), or the ledger never fills it");
    }

    @Test
    void receiversWithoutAnHttpServerStopStartupNamingTheSetting() {
        Properties settings = variant("esb-no-server");
        settings.put("camel.server.enabled", "false");

        assertThat(refusalStarting(EsbHostApplication.SETTINGS, settings)).contains("esb-duitku-callbacks")
                .contains("esb-durianpay-notifications").contains("set camel.server.enabled=true");
    }

    /**
     * A host that uses Duitku only sets no durianpay.* at all (its settings file and routes are
     * the host's without durianpay.properties and the Durianpay receiver): it starts, pays, and
     * refuses an instruction that names Durianpay with the reason.
     */
    @Test
    void aDuitkuOnlyHostStartsPaysAndRefusesDurianpayInstructionsWithTheReason() throws Exception {
        Main duitkuOnly = startedDuitkuOnly("esb-duitku-only");
        try {
            CamelContext host = duitkuOnly.getCamelContext();
            ProducerTemplate payouts = host.createProducerTemplate();
            assertThat(host.getRegistry().lookupByName("payoutsDurianpayTwin")).as("no Durianpay twin").isNull();

            Exchange paid = payouts.send("direct:esb-payouts", exchange -> exchange.getIn().setBody(
                    "{\"reference\":\"esb-d1\",\"bankCode\":\"014\",\"accountNumber\":\"8760673566\",\"amount\":75000}"));
            Exchange durianpay = payouts.send("direct:esb-payouts", exchange -> exchange.getIn().setBody(
                    "{\"reference\":\"esb-d2\",\"provider\":\"durianpay\",\"bankCode\":\"014\","
                            + "\"accountNumber\":\"1234567890\",\"amount\":75000}"));

            assertThat(paid.getMessage().getHeader("PayoutIntake")).isEqualTo("ACCEPTED");
            PayoutLedger ledger = host.getRegistry().lookupByNameAndType("payoutsLedger", PayoutLedger.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> "SUCCEEDED".equals(ledger.find("esb-d1").getStatus()));
            assertThat(durianpay.getMessage().getHeader("PayoutIntake")).isEqualTo("REJECTED");
            assertThat(json(durianpay.getMessage().getBody(String.class))).containsEntry("reason",
                    "provider: durianpay is not configured here (configured: duitku)");
            assertThat(ledger.find("esb-d2")).as("never taken in").isNull();
        } finally {
            duitkuOnly.stop();
        }
    }

    /**
     * A block's source may be any endpoint: a host's own file drop (one instruction per file, a
     * {@code file:} source) is paid as the same instruction by direct: is. Before, the block read a
     * file's message as its path and refused it.
     */
    @Test
    void aFileSourceIsReadAsTheInstructionItHolds(@TempDir Path drop) throws Exception {
        Main fileHost = startedDuitkuOnly("esb-file-source");
        try {
            CamelContext host = fileHost.getCamelContext();
            host.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("file:" + drop + "?initialDelay=0&delay=100").to("direct:esb-payouts");
                }
            });
            Files.writeString(drop.resolve(".esb-file-1.part"),
                    "{\"reference\":\"esb-file-1\",\"bankCode\":\"014\",\"accountNumber\":\"8760673566\",\"amount\":80000}");
            Files.move(drop.resolve(".esb-file-1.part"), drop.resolve("esb-file-1.json"));
            PayoutLedger ledger = host.getRegistry().lookupByNameAndType("payoutsLedger", PayoutLedger.class);

            await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find("esb-file-1") != null
                    && "SUCCEEDED".equals(ledger.find("esb-file-1").getStatus()));
            assertThat(ledger.find("esb-file-1").toOutcome()).containsEntry("amount", 80_000L);
        } finally {
            fileHost.stop();
        }
    }

    /**
     * A variant of the host that uses Duitku only, started: its settings file and routes without
     * durianpay.properties and the Durianpay receiver, on its own ledger database.
     */
    private static Main startedDuitkuOnly(String name) {
        return startedDuitkuOnly(name, new Properties());
    }

    private static Main startedDuitkuOnly(String name, Properties more) {
        Properties settings = variant(name);
        settings.putAll(more);
        settings.put("camel.main.routes-include-pattern", "classpath:esb-host/routes/supplier-payments.yaml");
        Main host = EsbHostApplication.create("classpath:esb-host/application.properties", settings);
        host.start();
        return host;
    }

    /** The host's settings for a variant started beside it: its own ledger database. */
    private static Properties variant(String name) {
        Properties settings = new Properties();
        settings.put("camel.main.name", name);
        settings.put("payouts.db.url", "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        return settings;
    }

    /** Why the host, on these settings, refuses to start (the message of the exception's root cause). */
    private static String refusalStarting(String settingsFiles, Properties settings) {
        Main host = EsbHostApplication.create(settingsFiles, settings);
        try {
            Throwable refused = catchThrowable(host::start);
            assertThat(refused).isNotNull();
            Throwable cause = refused;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            assertThat(cause).isInstanceOf(IllegalStateException.class);
            return cause.getMessage();
        } finally {
            host.stop();
        }
    }

    private Exchange submit(String instruction) {
        return producer.send("direct:esb-payouts", exchange -> exchange.getIn().setBody(instruction));
    }

    /** The host's mock received the payout's outcome with this status (the outcomes block delivers each). */
    private Map<String, Object> awaitOutcome(String reference, String status) {
        return awaitOutcome(reference, status, Duration.ofSeconds(20));
    }

    private Map<String, Object> awaitOutcome(String reference, String status, Duration within) {
        return await().atMost(within).pollInterval(Duration.ofMillis(100)).until(
                () -> outcomes(reference).stream().filter(o -> status.equals(o.get("status"))).findFirst().orElse(null),
                o -> o != null);
    }

    /** The outcomes of one payout the host's mock received, in order. */
    private List<Map<String, Object>> outcomes(String reference) {
        return context.getEndpoint("mock:esb-outcomes", MockEndpoint.class).getExchanges().stream()
                .filter(e -> reference.equals(e.getMessage().getHeader("PayoutReference")))
                .map(e -> json(e.getMessage().getBody(String.class))).toList();
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
