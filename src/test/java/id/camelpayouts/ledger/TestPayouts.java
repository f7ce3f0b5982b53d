package id.camelpayouts.ledger;

import id.camelpayouts.payout.PayoutInstruction;

/** Payouts as the ledger would hand them out, for tests of the code that reads them. */
public final class TestPayouts {

    private TestPayouts() {
    }

    /**
     * A PENDING payout of {@code instruction}'s provider (and of its batch, if any), with Durianpay's
     * or Duitku's reference when given.
     */
    public static Payout of(PayoutInstruction instruction, String providerReference) {
        Payout payout = new Payout(instruction.reference(), instruction);
        payout.provider = instruction.provider();
        payout.stage = Payout.Stage.TRANSFER_SENT;
        payout.status = Payout.PENDING;
        payout.providerReference = providerReference;
        payout.batchId = instruction.batch();
        return payout;
    }

    /** As {@link #of(PayoutInstruction, String)}, with the holder's name the account inquiry gave. */
    public static Payout of(PayoutInstruction instruction, String providerReference, String accountName) {
        Payout payout = of(instruction, providerReference);
        payout.accountName = accountName;
        return payout;
    }

    /** As {@link #of(PayoutInstruction, String)}, on the rail {@code method} (ONLINE, LLG, RTGS, H2H, BIFAST, CASHOUT). */
    public static Payout on(PayoutInstruction instruction, String method) {
        Payout payout = of(instruction, null);
        payout.method = method;
        return payout;
    }
}
