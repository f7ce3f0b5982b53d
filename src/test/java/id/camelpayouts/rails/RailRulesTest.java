package id.camelpayouts.rails;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every rail at every boundary: what it takes, and the reason a refused payout carries. Banks from
 * Duitku's list as shipped (duitku-banks.csv): BCA (014) online up to 50M with BI-FAST, Bank of
 * India (146) up to 100M without BI-FAST, OVO (1010) up to 25M; the limits are the defaults.
 */
class RailRulesTest {

    static final RailRules RULES = new RailRules(new BankDirectory(),
            new RailRules.Limits(250_000_000, 100_000_000, 1_000_000_000));

    @ParameterizedTest(name = "{0} Rp{2} to bank {1}: {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // online: up to the bank's own maximum
        "ONLINE  | 014  | 50000000   | -",
        "ONLINE  | 014  | 50000001   | Rp50000001 is above the bank's online maximum of Rp50000000; use AUTO, BIFAST, LLG or RTGS",
        "ONLINE  | 146  | 100000000  | -",
        "ONLINE  | 146  | 100000001  | Rp100000001 is above the bank's online maximum of Rp100000000; use AUTO, BIFAST, LLG or RTGS",
        "ONLINE  | 1010 | 25000000   | -",
        "ONLINE  | 1010 | 25000001   | Rp25000001 is above the bank's online maximum of Rp25000000; use AUTO, BIFAST, LLG or RTGS",
        // BI-FAST: a bank that takes it, up to bifast-max
        "BIFAST  | 014  | 250000000  | -",
        "BIFAST  | 014  | 250000001  | BI-FAST takes at most Rp250000000 per transfer",
        "BIFAST  | 146  | 10000      | bank 146 does not take BI-FAST",
        // RTGS from rtgs-min, LLG up to llg-max
        "RTGS    | 014  | 100000000  | -",
        "RTGS    | 014  | 99999999   | RTGS takes at least Rp100000000",
        "LLG     | 014  | 1000000000 | -",
        "LLG     | 014  | 1000000001 | LLG takes at most Rp1000000000; use RTGS",
        "LLG     | 146  | 10000      | -",
        // H2H: BRI, Mandiri, BNI, Permata, CIMB Niaga only
        "H2H     | 002  | 5000000    | -",
        "H2H     | 008  | 5000000    | -",
        "H2H     | 009  | 5000000    | -",
        "H2H     | 013  | 5000000    | -",
        "H2H     | 022  | 5000000    | -",
        "H2H     | 014  | 5000000    | H2H reaches only BNI, BRI, Mandiri, Permata and CIMB Niaga, not bank 014",
        // a bank Duitku does not list: refused whatever the rail, before its limits
        "ONLINE  | 999  | 10000      | Duitku does not list bank 999",
        "RTGS    | 999  | 150000000  | Duitku does not list bank 999",
        "LLG     | 999  | 10000      | Duitku does not list bank 999",
        "H2H     | 999  | 10000      | Duitku does not list bank 999",
        // cash out at Indomaret: notes of Rp50,000, Rp50,000 to Rp1,000,000
        "CASHOUT | 2010 | 50000      | -",
        "CASHOUT | 2010 | 1000000    | -",
        "CASHOUT | 2010 | 450000     | -",
        "CASHOUT | 2010 | 49999      | Indomaret cash out takes multiples of Rp50000 from Rp50000 to Rp1000000",
        "CASHOUT | 2010 | 1000001    | Indomaret cash out takes multiples of Rp50000 from Rp50000 to Rp1000000",
        "CASHOUT | 2010 | 1050000    | Indomaret cash out takes multiples of Rp50000 from Rp50000 to Rp1000000",
        "CASHOUT | 2010 | 75000      | Indomaret cash out takes multiples of Rp50000 from Rp50000 to Rp1000000",
        "CASHOUT | 2010 | 100001     | Indomaret cash out takes multiples of Rp50000 from Rp50000 to Rp1000000",
        // cash out at Pos Indonesia: Rp50,000 to Rp2,000,000, any amount in between
        "CASHOUT | 2011 | 50000      | -",
        "CASHOUT | 2011 | 2000000    | -",
        "CASHOUT | 2011 | 75001      | -",
        "CASHOUT | 2011 | 49999      | Pos Indonesia cash out takes Rp50000 to Rp2000000",
        "CASHOUT | 2011 | 2000001    | Pos Indonesia cash out takes Rp50000 to Rp2000000",
        "CASHOUT | 014  | 100000     | cash out is paid at Indomaret (2010) or Pos Indonesia (2011), not at 014",
        // a method Duitku has no flow for
        "AUTO    | 014  | 10000      | this gateway has no AUTO flow for provider duitku yet"
    })
    void duitkuRails(String rail, String bank, long amount, String refusal) {
        assertThat(RULES.refusal("duitku", rail, bank, amount)).isEqualTo(refusal);
    }

    @ParameterizedTest(name = "Durianpay {0} Rp{2} to bank {1}: {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "ONLINE  | 014  | 500000000  | -",
        "ONLINE  | 999  | 10000      | -",
        "BIFAST  | 014  | 10000      | Durianpay pays by interbank transfer (ONLINE or AUTO), not BIFAST",
        "LLG     | 014  | 10000      | Durianpay pays by interbank transfer (ONLINE or AUTO), not LLG",
        "RTGS    | 014  | 150000000  | Durianpay pays by interbank transfer (ONLINE or AUTO), not RTGS",
        "H2H     | 009  | 10000      | Durianpay pays by interbank transfer (ONLINE or AUTO), not H2H",
        "CASHOUT | 2010 | 50000      | Durianpay pays by interbank transfer (ONLINE or AUTO), not CASHOUT"
    })
    void durianpayPaysOnlineOnly(String rail, String bank, long amount, String refusal) {
        assertThat(RULES.refusal("durianpay", rail, bank, amount)).isEqualTo(refusal);
    }

    @ParameterizedTest(name = "provider {0}")
    @CsvSource({"xendit", "DUITKU", "''"})
    void aProviderWithoutAFlowIsRefused(String provider) {
        assertThat(RULES.refusal(provider, "ONLINE", "014", 10_000))
                .isEqualTo("this gateway has no ONLINE flow for provider " + provider + " yet");
    }

    /**
     * What AUTO's order asks of each rail: the rail's limits for the bank and amount. A bank Duitku
     * does not list has no online maximum and no BI-FAST, so RTGS or LLG takes it here (and the
     * refusal names the bank).
     */
    @ParameterizedTest(name = "{0} Rp{2} to bank {1}: {3}")
    @CsvSource({
        "ONLINE, 014,  50000000,   true",
        "ONLINE, 014,  50000001,   false",
        "ONLINE, 999,  10000,      false",
        "BIFAST, 014,  250000000,  true",
        "BIFAST, 014,  250000001,  false",
        "BIFAST, 146,  10000,      false",
        "BIFAST, 999,  10000,      false",
        "RTGS,   014,  100000000,  true",
        "RTGS,   014,  99999999,   false",
        "RTGS,   999,  100000000,  true",
        "LLG,    014,  1000000000, true",
        "LLG,    014,  1000000001, false"
    })
    void whatAutoAsksOfEachRail(String rail, String bank, long amount, boolean takes) {
        assertThat(RULES.takes(rail, bank, amount)).isEqualTo(takes);
    }
}
