package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.apache.camel.BeanInject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import id.camelpayouts.ledger.Payout;
import id.camelpayouts.rails.BankIndonesiaSchedule;

/**
 * The document's "Clearing Inquiry Test", "Clearing Transfer Test" and "Cash Out Test Scenario",
 * through the API: each ends in its documented status, H2H and cash out by Duitku's callback.
 */
class DuitkuClearingAndCashOutTest extends GatewayTestSupport {

    @BeanInject("payoutsBiSchedule")
    BankIndonesiaSchedule biSchedule;

    /** LLG and RTGS need Bank Indonesia's window: a Monday, 10:00 WIB, as the clock runs on. */
    @BeforeEach
    void biWindowOpen() {
        Instant mondayMorning = Instant.parse("2026-11-23T03:00:00Z");
        biSchedule.useClock(Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), mondayMorning)));
    }

    @ParameterizedTest(name = "clearing inquiry {0} answers {1}: FAILED")
    @CsvSource({
        "8760673411, EE, 3", "8760673412, TO, 3", "8760673413, LD, 3", "8760673414, NF, 3",
        "8760673415, -100, 3", "8760673416, 66, 3", "8760673417, 68, 3", "8760673420, 91, 3",
        "8760673418, 88, 1", "8760673419, 90, 1"
    })
    void clearingInquiryTestAccounts(String account, String code, int inquiries) {
        String reference = reference("clr-inq");
        post("/api/payouts", clearing(reference, "LLG", "014", account, 50_000_000));
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(payout.getResponseCode()).isEqualTo(code);
        assertThat(payout.getInquiryAttempts()).as("transient codes are asked again").isEqualTo(inquiries);
        assertThat(payout.getMethod()).isEqualTo("LLG");
    }

    /**
     * LD, NF and 91 leave the outcome open (the money may have moved): the status decides, and the
     * twin, which never executed them, does not know them: FAILED once the not-found grace (0 s
     * here) has passed. -510 and 90 are refusals of the request: FAILED at once.
     */
    @ParameterizedTest(name = "clearing transfer {0} {1} answers {2}: {3}")
    @CsvSource({
        "8760673466, LLG,    014, 00,   SUCCEEDED, 1",
        "8760673466, RTGS,   014, 00,   SUCCEEDED, 1",
        "8760673466, BIFAST, 014, 00,   SUCCEEDED, 1",
        "8760673466, H2H,    009, 80,   SUCCEEDED, 1",
        "8760673451, LLG,    014, LD,   FAILED,    0",
        "8760673452, LLG,    014, NF,   FAILED,    0",
        "8760673453, LLG,    014, TO,   SUCCEEDED, 1",
        "8760673454, LLG,    014, -510, FAILED,    0",
        "8760673455, LLG,    014, 90,   FAILED,    0",
        "8760673456, LLG,    014, 68,   SUCCEEDED, 1",
        "8760673457, LLG,    014, 91,   FAILED,    0"
    })
    void clearingTransferTestAccounts(String account, String type, String bank, String code, String status,
            int executed) {
        String reference = reference("clr-trf");
        long amount = "RTGS".equals(type) ? 500_000_000 : 60_000_000;
        post("/api/payouts", clearing(reference, type, bank, account, amount));
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(status);
        assertThat(payout.getMethod()).isEqualTo(type);
        var history = ledger.history(reference);
        int sent = history.indexOf("TRANSFER_SENT PENDING null transfer sent");
        assertThat(history.get(sent + 1)).contains(" " + code + " ");
        assertThat(twin.transfersExecuted(payout.getProviderReference())).isEqualTo(executed);
        if (Payout.FAILED.equals(status)) {
            assertThat(payout.getReason()).startsWith(Set.of("-510", "90").contains(code)
                    ? "Duitku refused the transfer: " : "Duitku has no record of the transfer: ");
        }
        if ("H2H".equals(type)) {
            assertThat(history).last().asString().isEqualTo("FINAL SUCCEEDED 00 succeeded by callback");
        }
    }

    /**
     * A cash out is settled by its callback alone (Duitku documents no status inquiry for it). A
     * success settles it; a failure claim (01: its statusCode is not covered by the signature) keeps
     * it PENDING, flagged for review, the claim in its history: a person decides, never a guess.
     */
    @ParameterizedTest(name = "cash out {0} to {1}: callback {2}")
    @CsvSource({
        "2010, 081234567150, SUCCEEDED, 50000",
        "2011, 081234567200, SUCCEEDED, 1750000",
        "2010, 081234567201, REVIEW,    1000000",
        "2011, 081234567300, REVIEW,    50000"
    })
    void cashOutTestPhoneNumbers(String bank, String phone, String expected, long amount) {
        String reference = reference("cash");
        Response accepted = post("/api/payouts", "{\"reference\":\"" + reference + "\",\"method\":\"CASHOUT\","
                + "\"bankCode\":\"" + bank + "\",\"amount\":" + amount + ",\"accountName\":\"Siti Rahayu\","
                + "\"phoneNumber\":\"" + phone + "\",\"identityNumber\":\"3174012345678901\","
                + "\"address\":\"Jl. Raya Perjuangan 1, Jakarta\"}");
        assertThat(accepted.status()).isEqualTo(202);
        Payout payout = Payout.SUCCEEDED.equals(expected) ? awaitFinal(reference) : awaitReview(reference);
        assertThat(ledger.history(reference)).anySatisfy(e -> assertThat(e).contains("token issued"));
        Map<String, Object> outcome = get("/api/payouts/" + reference).json();
        assertThat(outcome).containsKey("token");
        if ("2011".equals(bank)) {
            assertThat(outcome.get("pin")).asString().hasSize(6); // Pos Indonesia gives a PIN
        }
        if (Payout.SUCCEEDED.equals(expected)) {
            assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
            assertThat(ledger.history(reference)).last().asString().endsWith("succeeded by callback");
        } else {
            assertThat(payout.getStatus()).isEqualTo(Payout.PENDING);
            assertThat(outcome).containsEntry("status", "PENDING").containsEntry("reviewRequired", true)
                    .containsEntry("responseCode", "01");
            assertThat(payout.getReason()).startsWith("Duitku's cash-out callback says failed (01)")
                    .endsWith("held for review");
            assertThat(twin.transfersExecuted(payout.getProviderReference())).as("refunded at Duitku").isZero();
        }
    }

    @ParameterizedTest(name = "cash out of Rp{1} at {0} is refused before sending")
    @CsvSource({
        "2010, 75000, Indomaret", "2010, 1050000, Indomaret", "2010, 25000, Indomaret",
        "2011, 2000001, Pos Indonesia", "2011, 49999, Pos Indonesia"
    })
    void cashOutAmountRules(String bank, long amount, String channel) {
        String reference = reference("cash-rule");
        post("/api/payouts", "{\"reference\":\"" + reference + "\",\"method\":\"CASHOUT\",\"bankCode\":\"" + bank
                + "\",\"amount\":" + amount + ",\"accountName\":\"Siti\",\"phoneNumber\":\"081234567150\","
                + "\"identityNumber\":\"3174012345678901\",\"address\":\"Jakarta\"}");
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.REJECTED);
        assertThat(payout.getReason()).startsWith(channel + " cash out takes");
        assertThat(payout.getProviderReference()).isNull();
    }

    @org.junit.jupiter.api.Test
    void aCashOutWhoseAnswerWasLostIsSettledByItsCallback() {
        twin.faults().next("cashout", id.camelpayouts.twin.TwinFault.DROP_AFTER); // token issued, answer lost
        String reference = reference("cash-lost");
        post("/api/payouts", "{\"reference\":\"" + reference + "\",\"method\":\"CASHOUT\",\"bankCode\":\"2010\","
                + "\"amount\":100000,\"accountName\":\"Budi\",\"phoneNumber\":\"081234567120\","
                + "\"identityNumber\":\"3174012345678901\",\"address\":\"Jakarta\"}");
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(payout.getProviderReference()).as("learnt from the callback").isNotNull();
        assertThat(ledger.history(reference)).last().asString().endsWith("succeeded by callback");
        assertThat(twin.transfersExecuted(payout.getProviderReference())).isEqualTo(1);
    }

    /** Waits until the payout is flagged for review and returns it from the ledger. */
    private Payout awaitReview(String reference) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> ledger.find(reference) != null && ledger.find(reference).isReviewRequired());
        return ledger.find(reference);
    }

    static String clearing(String reference, String method, String bank, String account, long amount) {
        return "{\"reference\":\"" + reference + "\",\"method\":\"" + method + "\",\"bankCode\":\"" + bank
                + "\",\"accountNumber\":\"" + account + "\",\"amount\":" + amount + "}";
    }
}
