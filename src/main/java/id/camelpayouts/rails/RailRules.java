package id.camelpayouts.rails;

import org.apache.camel.Variable;

import id.camelpayouts.ledger.Payout;

/**
 * What each rail takes: the numbers and bank links behind the rail decision in
 * routes/engine/route-payout.camel.yaml (bean {@code payoutsRails}). The route keeps the choices an
 * engineer edits (which provider, the order AUTO tries the rails in); this class answers the two
 * questions it asks: does this rail take this payout, and if the chosen one does not, why.
 *
 * <p>The facts, from Duitku's disbursement documentation (https://docs.duitku.com/disbursement/en/):
 * a transfer online goes up to the bank's own maximum (Duitku's bank list); BI-FAST reaches the
 * banks that take it, up to {@code payouts.rails.bifast-max}; RTGS starts at
 * {@code payouts.rails.rtgs-min}; LLG goes up to {@code payouts.rails.llg-max}; H2H reaches only the
 * banks Duitku has a host-to-host link with; a cash out is paid at Indomaret in notes of
 * Rp50,000 (Rp50,000 to Rp1,000,000) or at Pos Indonesia (Rp50,000 to Rp2,000,000). Durianpay pays
 * by interbank transfer only (its SNAP transfer-interbank), which the gateway calls ONLINE.
 */
public class RailRules {

    static final String DUITKU = "duitku";
    static final String DURIANPAY = "durianpay";
    static final String INDOMARET = "2010";
    static final String POS_INDONESIA = "2011";
    static final long CASH_OUT_NOTE = 50_000;
    static final long INDOMARET_MAX = 1_000_000;
    static final long POS_INDONESIA_MAX = 2_000_000;

    /** The configurable limits, in rupiah (payouts.rails.*). */
    public record Limits(long biFastMax, long rtgsMin, long llgMax) {
    }

    private final BankDirectory banks;
    private final Limits limits;

    public RailRules(BankDirectory banks, Limits limits) {
        this.banks = banks;
        this.limits = limits;
    }

    /**
     * Whether the rail's limits take the payout's amount to its bank: what the route's AUTO order
     * asks of each of Duitku's rails in turn. A bank Duitku does not list has no online maximum and
     * no BI-FAST, so only RTGS or LLG can take it here; {@link #refusal} then refuses it all the same.
     */
    public boolean takes(Payout payout, String rail) {
        return takes(rail, payout.getInstruction().bankCode(), payout.getInstruction().amount());
    }

    /** Why the chosen provider and rail ({@code provider}, {@code method}) refuse the payout, or null when they take it. */
    public String refusal(@Variable("payout") Payout payout, @Variable("provider") String provider,
            @Variable("method") String method) {
        return refusal(provider, method, payout.getInstruction().bankCode(), payout.getInstruction().amount());
    }

    boolean takes(String rail, String bankCode, long amount) {
        return limitRefusal(rail, bankCode, amount) == null;
    }

    String refusal(String provider, String rail, String bankCode, long amount) {
        if (DURIANPAY.equals(provider)) {
            return "ONLINE".equals(rail) ? null : "Durianpay pays by interbank transfer (ONLINE or AUTO), not " + rail;
        }
        if (!DUITKU.equals(provider)) {
            return noFlow(provider, rail);
        }
        if (!"CASHOUT".equals(rail) && banks.bank(bankCode) == null) {
            return "Duitku does not list bank " + bankCode;
        }
        return limitRefusal(rail, bankCode, amount);
    }

    /** Duitku's rails: what each takes, in the order of the checks that once were the route's. */
    private String limitRefusal(String rail, String bankCode, long amount) {
        BankDirectory.Bank bank = banks.bank(bankCode);
        long onlineMax = bank == null ? 0 : bank.onlineMax();
        return switch (rail) {
            case "ONLINE" -> amount <= onlineMax ? null : "Rp" + amount + " is above the bank's online maximum of Rp"
                    + onlineMax + "; use AUTO, BIFAST, LLG or RTGS";
            case "BIFAST" -> bank == null || !bank.biFast() ? "bank " + bankCode + " does not take BI-FAST"
                    : amount > limits.biFastMax() ? "BI-FAST takes at most Rp" + limits.biFastMax() + " per transfer"
                    : null;
            case "RTGS" -> amount < limits.rtgsMin() ? "RTGS takes at least Rp" + limits.rtgsMin() : null;
            case "LLG" -> amount > limits.llgMax() ? "LLG takes at most Rp" + limits.llgMax() + "; use RTGS" : null;
            case "H2H" -> banks.h2h(bankCode) ? null
                    : "H2H reaches only BNI, BRI, Mandiri, Permata and CIMB Niaga, not bank " + bankCode;
            case "CASHOUT" -> cashOutRefusal(bankCode, amount);
            default -> noFlow(DUITKU, rail);
        };
    }

    private static String cashOutRefusal(String counter, long amount) {
        if (INDOMARET.equals(counter)) {
            return amount >= CASH_OUT_NOTE && amount <= INDOMARET_MAX && amount % CASH_OUT_NOTE == 0 ? null
                    : "Indomaret cash out takes multiples of Rp50000 from Rp50000 to Rp1000000";
        }
        if (POS_INDONESIA.equals(counter)) {
            return amount >= CASH_OUT_NOTE && amount <= POS_INDONESIA_MAX ? null
                    : "Pos Indonesia cash out takes Rp50000 to Rp2000000";
        }
        return "cash out is paid at Indomaret (2010) or Pos Indonesia (2011), not at " + counter;
    }

    private static String noFlow(String provider, String rail) {
        return "this gateway has no " + rail + " flow for provider " + provider + " yet";
    }
}
