package id.camelpayouts.rails;

import java.time.Instant;

import org.apache.camel.Variable;

import id.camelpayouts.ledger.Payout;

/**
 * The facts routes/engine/route-payout.camel.yaml chooses a rail by, for one payout: the amount, the bank's
 * limits and links, and Bank Indonesia's window.
 *
 * @param onlineMax  the bank's online transfer maximum, 0 when Duitku does not list the bank
 */
public record RailFacts(long amount, boolean knownBank, long onlineMax, boolean biFast, boolean h2hBank,
        boolean biWindowOpen, Instant biWindowOpens, java.time.Duration biWindowOpensIn) {

    /** Indomaret pays out in notes of Rp50,000 only. */
    public boolean multipleOf50000() {
        return amount % 50_000 == 0;
    }

    /** The bean routes call: {@code rails.facts}. */
    public static class Finder {
        private final BankDirectory banks;
        private final BankIndonesiaSchedule schedule;

        public Finder(BankDirectory banks, BankIndonesiaSchedule schedule) {
            this.banks = banks;
            this.schedule = schedule;
        }

        public RailFacts facts(@Variable("payout") Payout payout) {
            String code = payout.getInstruction().bankCode();
            BankDirectory.Bank bank = banks.bank(code);
            return new RailFacts(payout.getInstruction().amount(), bank != null, bank == null ? 0 : bank.onlineMax(),
                    bank != null && bank.biFast(), banks.h2h(code), schedule.isOpen(), schedule.nextOpening(), schedule.untilOpen());
        }
    }
}
