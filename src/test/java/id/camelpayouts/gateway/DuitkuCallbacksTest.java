package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.BeanInject;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import id.camelpayouts.duitku.DuitkuSignature;
import id.camelpayouts.ledger.Payout;
import id.camelpayouts.rails.BankIndonesiaSchedule;
import id.camelpayouts.twin.TwinFault;

/**
 * The callback receivers under attack and under Duitku's own repeats. The twin's automatic
 * callbacks are held back (an hour), so each test sends exactly the callbacks it means to.
 */
class DuitkuCallbacksTest extends GatewayTestSupport {

    static final String SECRET = "de56f832487bc1ce1de5ff2cfacf8d9486c61da69df6fd61d5537b6b7d6d354d";
    static final String EMAIL = "merchant@example.com";
    static final ObjectMapper JSON = new ObjectMapper();

    @BeanInject("payoutsBiSchedule")
    BankIndonesiaSchedule biSchedule;
    MockEndpoint forwarded;

    DuitkuCallbacksTest() {
        System.setProperty("payouts.twin.callback-delay", "1h");
    }

    @AfterAll
    void release() {
        System.clearProperty("payouts.twin.callback-delay");
    }

    @BeforeEach
    void setUp() throws Exception {
        biSchedule.useClock(Clock.offset(Clock.systemUTC(),
                Duration.between(Instant.now(), Instant.parse("2026-11-23T03:00:00Z"))));
        forwarded = context.getEndpoint("mock:forwarded", MockEndpoint.class);
        if (context.getRoute("test-forwarded") == null) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("jms:queue:payouts.outcomes").routeId("test-forwarded").to("mock:forwarded");
                }
            });
        }
    }

    @Test
    void aGenuineCallbackSettlesThePayoutOnceAndRepeatsChangeNothing() throws Exception {
        Payout payout = awaitingCallback("5550007001");
        Map<String, Object> genuine = clearingCallback(payout, "00", SECRET);

        assertThat(callback("/callbacks/duitku/clearing", genuine)).isEqualTo(new Response(200, "SUCCESS"));
        assertThat(ledger.find(payout.getReference()).getStatus()).isEqualTo(Payout.SUCCEEDED);
        Instant settledAt = ledger.find(payout.getReference()).getUpdatedAt();
        List<String> settledHistory = ledger.history(payout.getReference());
        // Duitku delivers it again, and a replay claims failure: answered, applied to nothing
        assertThat(callback("/callbacks/duitku/clearing", genuine)).isEqualTo(new Response(200, "SUCCESS"));
        assertThat(callback("/callbacks/duitku/clearing", clearingCallback(payout, "01", SECRET)))
                .isEqualTo(new Response(200, "SUCCESS"));

        assertThat(ledger.find(payout.getReference()).getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(ledger.find(payout.getReference()).getUpdatedAt()).as("repeats are answered from a read:"
                + " the payout is not written again").isEqualTo(settledAt);
        assertThat(ledger.history(payout.getReference())).isEqualTo(settledHistory);
        assertThat(ledger.history(payout.getReference())).filteredOn(e -> e.startsWith("FINAL"))
                .containsExactly("FINAL SUCCEEDED 00 succeeded by callback");
        Thread.sleep(1000); // time for anything wrongly forwarded to arrive
        assertThat(forwardedStatuses(payout.getReference())).filteredOn("SUCCEEDED"::equals).hasSize(1);
    }

    /**
     * Repeats for a final payout are answered from the copy this gateway kept when a callback first
     * found it final: no ledger read, nothing written; one that contradicts it is refused just the
     * same. A payout that may still change is read at every callback.
     */
    @Test
    void repeatsForAFinalPayoutAreAnsweredWithoutReadingTheLedger() throws Exception {
        Payout payout = awaitingCallback("5550007006");
        Map<String, Object> genuine = clearingCallback(payout, "00", SECRET);
        long readsBefore = readsByDisburseId();
        // PENDING: a "still in progress" (68) changes nothing, and the success read after it applies
        assertThat(callback("/callbacks/duitku/clearing", clearingCallback(payout, "68", SECRET)))
                .isEqualTo(new Response(200, "SUCCESS"));
        assertThat(callback("/callbacks/duitku/clearing", genuine)).isEqualTo(new Response(200, "SUCCESS"));
        assertThat(ledger.find(payout.getReference()).getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(callback("/callbacks/duitku/clearing", genuine)).isEqualTo(new Response(200, "SUCCESS"));
        assertThat(readsByDisburseId() - readsBefore).as("each read: PENDING twice, then final").isEqualTo(3);
        Instant settledAt = ledger.find(payout.getReference()).getUpdatedAt();
        List<String> settledHistory = ledger.history(payout.getReference());

        for (int i = 0; i < 3; i++) {
            assertThat(callback("/callbacks/duitku/clearing", genuine)).isEqualTo(new Response(200, "SUCCESS"));
        }
        Map<String, Object> otherAmount = clearingCallback(payout, "00", SECRET);
        otherAmount.put("amountTransfer", 70000000);
        otherAmount.put("signature", sign(otherAmount));
        double refusedBefore = refused();
        assertThat(callback("/callbacks/duitku/clearing", otherAmount))
                .isEqualTo(new Response(409, "callback does not match the payout"));

        assertThat(refused() - refusedBefore).isEqualTo(1);
        assertThat(readsByDisburseId() - readsBefore).as("no read for the repeats").isEqualTo(3);
        assertThat(ledger.find(payout.getReference()).getUpdatedAt()).isEqualTo(settledAt);
        assertThat(ledger.history(payout.getReference())).isEqualTo(settledHistory)
                .filteredOn(e -> e.startsWith("FINAL")).containsExactly("FINAL SUCCEEDED 00 succeeded by callback");
    }

    @Test
    void forgedTamperedMalformedAndUnknownCallbacksAreRefusedAndChangeNothing() throws Exception {
        Payout payout = awaitingCallback("5550007002");
        List<String> historyBefore = ledger.history(payout.getReference());
        double refusedBefore = refused();

        Map<String, Object> forged = clearingCallback(payout, "00", "not-the-secret");
        Map<String, Object> otherAmount = clearingCallback(payout, "00", SECRET);
        otherAmount.put("amountTransfer", 60000001);
        Map<String, Object> otherAccount = clearingCallback(payout, "00", SECRET);
        otherAccount.put("bankAccount", "5550009999");
        Map<String, Object> unsigned = clearingCallback(payout, "00", SECRET);
        unsigned.remove("signature");
        Map<String, Object> noAmount = clearingCallback(payout, "00", SECRET);
        noAmount.remove("amountTransfer");

        assertThat(callback("/callbacks/duitku/clearing", forged).status()).isEqualTo(401);
        assertThat(callback("/callbacks/duitku/clearing", otherAmount).status()).isEqualTo(401);
        assertThat(callback("/callbacks/duitku/clearing", otherAccount).status()).isEqualTo(401);
        assertThat(callback("/callbacks/duitku/clearing", unsigned)).isEqualTo(new Response(400, "missing [signature]"));
        assertThat(callback("/callbacks/duitku/clearing", noAmount).status()).isEqualTo(400);
        assertThat(post("/callbacks/duitku/clearing", "this is not json").status()).isEqualTo(400);
        assertThat(callback("/callbacks/duitku/cashout", forged).status()).isEqualTo(400); // not a cash-out callback

        // signed correctly, but about an amount the payout does not have
        Map<String, Object> resigned = clearingCallback(payout, "00", SECRET);
        resigned.put("amountTransfer", 70000000);
        resigned.put("signature", sign(resigned));
        assertThat(callback("/callbacks/duitku/clearing", resigned).status()).isEqualTo(409);

        Map<String, Object> unknown = clearingCallback(payout, "00", SECRET);
        unknown.put("disburseId", "999999999");
        unknown.put("signature", sign(unknown));
        assertThat(callback("/callbacks/duitku/clearing", unknown).status()).isEqualTo(404);

        assertThat(ledger.find(payout.getReference()).getStatus()).isEqualTo(Payout.PENDING);
        assertThat(ledger.history(payout.getReference())).isEqualTo(historyBefore);
        assertThat(refused() - refusedBefore).as("every refusal, the unknown disburseId (404) too").isEqualTo(9);
    }

    @Test
    void aFailureClaimIsCheckedWithDuitkuBeforeThePayoutFails() {
        Payout payout = awaitingCallback("5550007003");
        // A genuine signature with statusCode 01 (not covered by the signature): Duitku's status
        // API still says the transfer is in progress, so nothing changes.
        assertThat(callback("/callbacks/duitku/clearing", clearingCallback(payout, "01", SECRET)))
                .isEqualTo(new Response(200, "SUCCESS"));
        assertThat(ledger.find(payout.getReference()).getStatus()).isEqualTo(Payout.PENDING);

        // The bank really rejects it: Duitku's own callback, and its status API, say failed.
        twin.sendClearingCallback(payout.getProviderReference(), "01");
        Payout failed = awaitFinal(payout.getReference());
        assertThat(failed.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(failed.getReason()).contains("Duitku reports the transfer failed");
    }

    /**
     * A failure claim is answered at once: Duitku (or a strict fake of it) may wait for this answer
     * before it serves anything else, so a status inquiry made first would wait for our timeout.
     * Here Duitku's status answer comes only after that timeout: the callback is answered promptly
     * all the same, recorded once however often Duitku repeats it, and the workers' inquiries
     * settle the payout: still waiting for the bank (PENDING), then failed once Duitku says so.
     */
    @Test
    void aFailureClaimIsAnsweredAtOnceAndTheWorkersConfirmItLater() throws Exception {
        Payout payout = awaitingCallback("5550007008");
        String reference = payout.getReference();
        int asked = twin.calls("inquirystatus");
        twin.faults().next("inquirystatus", TwinFault.SLOW_AFTER);

        long start = System.nanoTime();
        Response answered = callback("/callbacks/duitku/clearing", clearingCallback(payout, "01", SECRET));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(answered).isEqualTo(new Response(200, "SUCCESS"));
        assertThat(took).as("answered without waiting for Duitku's status (our timeout: 1.5 s)")
                .isLessThan(Duration.ofMillis(1000));
        assertThat(callback("/callbacks/duitku/clearing", clearingCallback(payout, "01", SECRET)))
                .isEqualTo(new Response(200, "SUCCESS"));
        assertThat(ledger.find(reference).getStatus()).isEqualTo(Payout.PENDING);
        assertThat(ledger.history(reference)).filteredOn(e -> e.contains("confirming with Duitku's status inquiry"))
                .hasSize(1);

        // the slow answer is lost; asked again, Duitku says it waits for the bank: nothing settled
        await().atMost(Duration.ofSeconds(15)).until(() -> twin.calls("inquirystatus") >= asked + 2
                && ledger.find(reference).getReason().startsWith("Duitku is waiting for the bank"));
        assertThat(ledger.find(reference).getStatus()).isEqualTo(Payout.PENDING);

        // the bank rejects it: Duitku's callback, and its status, say failed
        twin.sendClearingCallback(payout.getProviderReference(), "01");
        Payout failed = awaitFinal(reference);
        assertThat(failed.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(failed.getReason()).contains("Duitku reports the transfer failed");
        Thread.sleep(1000); // time for anything wrongly forwarded to arrive
        assertThat(forwardedStatuses(reference)).filteredOn("FAILED"::equals).hasSize(1);
    }

    @Test
    void aPendingCallbackChangesNothing() {
        Payout payout = awaitingCallback("5550007004");
        List<String> before = ledger.history(payout.getReference());
        assertThat(callback("/callbacks/duitku/clearing", clearingCallback(payout, "68", SECRET)))
                .isEqualTo(new Response(200, "SUCCESS"));
        assertThat(ledger.find(payout.getReference()).getStatus()).isEqualTo(Payout.PENDING);
        assertThat(ledger.history(payout.getReference())).isEqualTo(before);
    }

    @Test
    void aCashOutCallbackIsVerifiedWithItsOwnFormula() {
        String reference = reference("cb-cash");
        post("/api/payouts", "{\"reference\":\"" + reference + "\",\"method\":\"CASHOUT\",\"bankCode\":\"2010\","
                + "\"amount\":100000,\"accountName\":\"Budi\",\"phoneNumber\":\"081234567150\","
                + "\"identityNumber\":\"3174012345678901\",\"address\":\"Jakarta\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(reference).getProviderReference() != null);
        Payout payout = ledger.find(reference);
        Map<String, Object> callback = new LinkedHashMap<>(Map.of("disburseId", payout.getProviderReference(),
                "email", EMAIL, "amountTransfer", 100000, "custRefNumber", reference, "accountName", "Budi",
                "bankCode", "2010", "phoneNumber", "081234567150", "statusCode", "00", "statusDesc", "Success"));
        callback.put("signature", DuitkuSignature.sha256Hex(EMAIL + payout.getProviderReference() + reference
                + "wrong-secret"));
        assertThat(callback("/callbacks/duitku/cashout", callback).status()).isEqualTo(401);
        assertThat(ledger.find(reference).getStatus()).isEqualTo(Payout.PENDING);

        callback.put("signature", DuitkuSignature.sha256Hex(EMAIL + payout.getProviderReference() + reference
                + SECRET));
        assertThat(callback("/callbacks/duitku/cashout", callback)).isEqualTo(new Response(200, "SUCCESS"));
        assertThat(ledger.find(reference).getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    /**
     * Late evidence: Duitku's genuine success for a payout recorded FAILED (its transfer was sent
     * and refused -510). It stays FAILED, but the merchant hears of it (an outcome with
     * {@code conflict}), a person is asked to look, the log says so at ERROR (no secret, no account
     * number) and payouts_conflicts_total counts it, once however often Duitku repeats it.
     */
    @Test
    void aGenuineSuccessForAFailedPayoutRaisesAConflict() throws Exception {
        String reference = reference("cb-late");
        post("/api/payouts", DuitkuClearingAndCashOutTest.clearing(reference, "LLG", "014", "8760673454", 60_000_000));
        Payout failed = awaitFinal(reference);
        assertThat(failed.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(failed.getReason()).startsWith("Duitku refused the transfer: ");
        double conflictsBefore = conflicts();
        CapturedLog log = CapturedLog.attach("late-evidence");
        try {
            // a failure repeat first: the FAILED payout is kept, and the success below compared with that copy
            Map<String, Object> failure = clearingCallback(failed, "01", SECRET);
            failure.put("bankCode", "014");
            failure.put("signature", sign(failure));
            assertThat(callback("/callbacks/duitku/clearing", failure)).isEqualTo(new Response(200, "SUCCESS"));
            Map<String, Object> genuine = clearingCallback(failed, "00", SECRET);
            genuine.put("bankCode", "014");
            genuine.put("signature", sign(genuine));
            assertThat(callback("/callbacks/duitku/clearing", genuine)).isEqualTo(new Response(200, "SUCCESS"));
            assertThat(callback("/callbacks/duitku/clearing", genuine)).isEqualTo(new Response(200, "SUCCESS"));
        } finally {
            log.detach();
        }

        Payout after = ledger.find(reference);
        assertThat(after.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(after.getConflict()).isEqualTo("LATE_SUCCESS");
        assertThat(get("/api/payouts/" + reference).json()).containsEntry("status", "FAILED")
                .containsEntry("conflict", "LATE_SUCCESS").containsEntry("reviewRequired", true);
        assertThat(conflicts() - conflictsBefore).isEqualTo(1);
        assertThat(log.lines()).filteredOn(line -> line.contains("CONFLICT LATE_SUCCESS on payout " + reference))
                .hasSize(1).allSatisfy(line -> assertThat(line).doesNotContain("8760673454").doesNotContain(SECRET));
        await().atMost(Duration.ofSeconds(10)).until(() -> forwardedOutcomes(reference).stream()
                .anyMatch(outcome -> "LATE_SUCCESS".equals(outcome.get("conflict"))));
    }

    /**
     * A cash-out callback signed correctly (the signature covers email, disburseId and
     * custRefNumber only) naming an LLG payout that waits for Bank Indonesia's window, nothing
     * sent: it is refused, whatever account and amount fields are added beside the signature.
     */
    @Test
    void aSignedCallbackCannotSettleAPayoutWhoseTransferWasNeverSent() {
        biSchedule.useClock(Clock.offset(Clock.systemUTC(),
                Duration.between(Instant.now(), Instant.parse("2026-11-21T03:00:00Z")))); // a Saturday
        String reference = reference("cb-unsent");
        post("/api/payouts", DuitkuClearingAndCashOutTest.clearing(reference, "LLG", "014", "5550007005", 60_000_000));
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(reference).getReason() != null
                && ledger.find(reference).getReason().startsWith("waiting for Bank Indonesia's LLG window"));
        Map<String, Object> forged = new LinkedHashMap<>(Map.of("disburseId", "424242", "email", EMAIL,
                "amountTransfer", 60000000, "custRefNumber", reference, "accountName", "Budi", "phoneNumber",
                "081234567150", "statusCode", "00", "bankAccount", "5550007005", "bankCode", "014"));
        forged.put("signature", DuitkuSignature.sha256Hex(EMAIL + "424242" + reference + SECRET));

        assertThat(callback("/callbacks/duitku/cashout", forged).status()).isEqualTo(409);
        assertThat(ledger.find(reference).getStatus()).isEqualTo(Payout.PENDING);
        assertThat(ledger.find(reference).getStage()).isEqualTo(Payout.Stage.NEW);
    }

    /** An H2H payout to BNI, answered 80: waiting for its callback. */
    private Payout awaitingCallback(String account) {
        String reference = reference("cb");
        post("/api/payouts", DuitkuClearingAndCashOutTest.clearing(reference, "H2H", "009", account, 60_000_000));
        await().atMost(Duration.ofSeconds(10)).until(() -> "80".equals(ledger.find(reference).getResponseCode()));
        return ledger.find(reference);
    }

    /** Duitku's clearing callback for the payout, signed with {@code secret}; the amount as PHP sends it. */
    static Map<String, Object> clearingCallback(Payout payout, String statusCode, String secret) {
        Map<String, Object> callback = new LinkedHashMap<>();
        callback.put("disburseId", payout.getProviderReference());
        callback.put("userId", 3551);
        callback.put("email", EMAIL);
        callback.put("bankCode", "009");
        callback.put("bankAccount", payout.getInstruction().accountNumber());
        callback.put("amountTransfer", 60000000.0);
        callback.put("accountName", payout.getAccountName());
        callback.put("custRefNumber", payout.getCustRefNumber());
        callback.put("statusCode", statusCode);
        callback.put("statusDesc", "00".equals(statusCode) ? "Success" : "Failed");
        callback.put("errorMessage", "");
        callback.put("signature", DuitkuSignature.sha256Hex(EMAIL + "009" + payout.getInstruction().accountNumber()
                + payout.getAccountName() + payout.getCustRefNumber() + "60000000" + payout.getProviderReference()
                + secret));
        return callback;
    }

    static String sign(Map<String, Object> callback) {
        return DuitkuSignature.sha256Hex(EMAIL + callback.get("bankCode") + callback.get("bankAccount")
                + callback.get("accountName") + callback.get("custRefNumber")
                + new java.math.BigDecimal(callback.get("amountTransfer").toString()).stripTrailingZeros()
                        .toPlainString() + callback.get("disburseId") + SECRET);
    }

    private Response callback(String path, Map<String, Object> body) {
        try {
            return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** H2's count of the ledger's reads of a payout by its disburseId (LedgerStatementsTest counts the same way). */
    private long readsByDisburseId() throws java.sql.SQLException {
        long reads = 0;
        try (java.sql.Connection db = ledger.database().getConnection();
                java.sql.Statement statement = db.createStatement()) {
            statement.execute("SET QUERY_STATISTICS_MAX_ENTRIES 1000");
            statement.execute("SET QUERY_STATISTICS TRUE");
            try (java.sql.ResultSet rows = statement.executeQuery(
                    "SELECT SQL_STATEMENT, EXECUTION_COUNT FROM INFORMATION_SCHEMA.QUERY_STATISTICS")) {
                while (rows.next()) {
                    if (rows.getString(1).endsWith("FROM payouts WHERE provider_reference = ?")) {
                        reads += rows.getLong(2);
                    }
                }
            }
        }
        return reads;
    }

    private double refused() {
        Counter counter = context.getRegistry().findSingleByType(MeterRegistry.class)
                .find("payouts.callbacks.refused").tag("provider", "duitku").counter();
        return counter == null ? 0 : counter.count();
    }

    private double conflicts() {
        Counter counter = context.getRegistry().findSingleByType(MeterRegistry.class)
                .find("payouts.conflicts").tag("provider", "duitku").counter();
        return counter == null ? 0 : counter.count();
    }

    private List<Map<String, Object>> forwardedOutcomes(String reference) {
        return forwarded.getExchanges().stream()
                .filter(m -> reference.equals(m.getMessage().getHeader("JMSCorrelationID")))
                .map(m -> new Response(200, m.getMessage().getBody(String.class)).json()).toList();
    }

    private List<Object> forwardedStatuses(String reference) {
        return forwarded.getExchanges().stream()
                .filter(m -> reference.equals(m.getMessage().getHeader("JMSCorrelationID")))
                .map(m -> new Response(200, m.getMessage().getBody(String.class)).json().get("status")).toList();
    }
}
