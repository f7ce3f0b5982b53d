package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.apache.camel.BeanInject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import id.camelpayouts.ledger.Payout;
import id.camelpayouts.rails.BankIndonesiaSchedule;

/**
 * routes/engine/route-payout.camel.yaml at every boundary: amounts, the BI-FAST flag, H2H banks, and the edges
 * of Bank Indonesia's window (Bank Indonesia's clock is set per test; everything else runs on time).
 */
class RailSelectionTest extends GatewayTestSupport {

    /** Monday 23 November 2026, 10:00 WIB. */
    static final Instant MONDAY_10_WIB = Instant.parse("2026-11-23T03:00:00Z");

    @BeanInject("payoutsBiSchedule")
    BankIndonesiaSchedule biSchedule;

    @ParameterizedTest(name = "{0} Rp{2} to bank {1} goes {3}")
    @CsvSource({
        // AUTO: the bank's online maximum (BCA 50M, Bank of India 100M, OVO 25M), BI-FAST up to 250M,
        // RTGS from 100M, LLG below that
        "AUTO,   014,  50000000,   ONLINE",
        "AUTO,   014,  50000001,   BIFAST",
        "AUTO,   014,  250000000,  BIFAST",
        "AUTO,   014,  250000001,  RTGS",
        "AUTO,   146,  100000000,  ONLINE",
        "AUTO,   146,  100000001,  RTGS",
        "AUTO,   1010, 25000001,   LLG",
        "AUTO,   1010, 99999999,   LLG",
        "AUTO,   1010, 100000000,  RTGS",
        // explicit rails at their limits
        "RTGS,   014,  100000000,  RTGS",
        "LLG,    014,  1000000000, LLG",
        "BIFAST, 014,  250000000,  BIFAST",
        "H2H,    009,  5000000,    H2H",
        "H2H,    002,  5000000,    H2H",
        "H2H,    008,  5000000,    H2H",
        "H2H,    013,  5000000,    H2H",
        "H2H,    022,  5000000,    H2H"
    })
    void theRailIsChosenAndPaid(String method, String bank, long amount, String rail) {
        biSchedule.useClock(runningFrom(MONDAY_10_WIB));
        String reference = reference("rail");
        post("/api/payouts", DuitkuClearingAndCashOutTest.clearing(reference, method, bank, "5550001234", amount));
        Payout payout = awaitFinal(reference);
        assertThat(payout.getMethod()).isEqualTo(rail);
        assertThat(payout.getStatus()).as(payout.getReason()).isEqualTo(Payout.SUCCEEDED);
    }

    @ParameterizedTest(name = "{0} Rp{2} to bank {1} is rejected: {3}")
    @CsvSource(delimiter = '|', value = {
        "ONLINE | 014 | 50000001   | Rp50000001 is above the bank's online maximum of Rp50000000; use AUTO, BIFAST, LLG or RTGS",
        "RTGS   | 014 | 99999999   | RTGS takes at least Rp100000000",
        "LLG    | 014 | 1000000001 | LLG takes at most Rp1000000000; use RTGS",
        "BIFAST | 014 | 250000001  | BI-FAST takes at most Rp250000000 per transfer",
        "BIFAST | 146 | 1000000    | bank 146 does not take BI-FAST",
        "H2H    | 014 | 1000000    | H2H reaches only BNI, BRI, Mandiri, Permata and CIMB Niaga, not bank 014",
        "AUTO   | 999 | 1000000    | Duitku does not list bank 999"
    })
    void whatNoRailTakesIsRejectedWithTheReason(String method, String bank, long amount, String reason) {
        biSchedule.useClock(runningFrom(MONDAY_10_WIB));
        String reference = reference("norail");
        post("/api/payouts", DuitkuClearingAndCashOutTest.clearing(reference, method, bank, "5550001234", amount));
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.REJECTED);
        assertThat(payout.getReason()).isEqualTo(reason);
        assertThat(payout.getProviderReference()).as("nothing was sent").isNull();
        assertThat(ledger.history(reference)).containsExactly("NEW PENDING null received",
                "FINAL REJECTED null " + reason);
    }

    @ParameterizedTest(name = "LLG at {0} waits until {1}")
    @CsvSource({
        "2026-11-23T00:59:59Z, 2026-11-23T01:00:00Z",   // Monday 07:59:59 WIB: opens at 08:00
        "2026-11-23T08:00:00Z, 2026-11-24T01:00:00Z",   // Monday 15:00:00 WIB: closed, Tuesday 08:00
        "2026-11-21T03:00:00Z, 2026-11-23T01:00:00Z",   // Saturday 10:00 WIB: Monday 08:00
        "2026-12-25T03:00:00Z, 2026-12-28T01:00:00Z"    // Christmas (a Friday, a holiday): Monday 08:00
    })
    void outsideBankIndonesiasWindowLlgWaits(Instant at, Instant opens) {
        biSchedule.useClock(Clock.fixed(at, ZoneOffset.UTC));
        String reference = reference("window");
        post("/api/payouts", DuitkuClearingAndCashOutTest.clearing(reference, "LLG", "014", "5550001234", 10_000_000));
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(reference).getReason() != null);
        Payout payout = ledger.find(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.PENDING);
        assertThat(payout.getReason()).contains("waiting for Bank Indonesia's LLG window").contains(opens.toString());
        assertThat(payout.getProviderReference()).as("nothing sent while closed").isNull();
    }

    @Test
    void aPayoutWaitingForTheWindowGoesWhenItOpens() {
        // two seconds before Monday 08:00 WIB, and the clock runs on
        biSchedule.useClock(runningFrom(Instant.parse("2026-11-23T00:59:58Z")));
        String reference = reference("opens");
        post("/api/payouts", DuitkuClearingAndCashOutTest.clearing(reference, "RTGS", "014", "5550001234",
                150_000_000));
        await().atMost(Duration.ofSeconds(5)).until(() -> ledger.find(reference).getReason() != null);
        assertThat(ledger.find(reference).getStatus()).isEqualTo(Payout.PENDING);
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(payout.getMethod()).isEqualTo("RTGS");
        assertThat(ledger.history(reference)).anySatisfy(e -> assertThat(e).contains("waiting for Bank Indonesia"));
    }

    @Test
    void theLastSecondOfTheWindowStillPays() {
        biSchedule.useClock(Clock.fixed(Instant.parse("2026-11-27T07:59:59Z"), ZoneOffset.UTC)); // Fri 14:59:59
        String reference = reference("last-second");
        post("/api/payouts", DuitkuClearingAndCashOutTest.clearing(reference, "LLG", "014", "5550001234", 10_000_000));
        assertThat(awaitFinal(reference).getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    private static Clock runningFrom(Instant start) {
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), start));
    }
}
