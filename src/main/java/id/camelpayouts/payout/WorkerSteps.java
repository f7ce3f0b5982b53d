package id.camelpayouts.payout;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import id.camelpayouts.ledger.Payout;
import id.camelpayouts.ledger.PayoutLedger;
import id.camelpayouts.ledger.ProviderPauses;
import id.camelpayouts.rails.RailRules;

/**
 * The Java steps of the payout worker's routes (routes/engine/route-payout.camel.yaml, and the
 * name check of the provider flows), as processors bound by name. Each leaves plain variables
 * that the routes' conditions compare, so that a payout costs no bean-method lookup, exchange
 * copy or OGNL evaluation per step (under a dropped file's load those were a third of a worker's
 * CPU, issue 17); what each variable means is written beside the step in the routes.
 */
public final class WorkerSteps {

    /** Leases the payout whose reference is the body; sets {@code payout} and what the routing reads of it. */
    public static final String CLAIM = "payoutsClaim";
    /** Sets {@code reason}: why the chosen provider and rail refuse the payout ({@link RailRules#refusal}). */
    public static final String RAIL_REFUSAL = "payoutsRailRefusal";
    /** Sets {@code approvalFiles}: the glob of payouts.approval.files the payout's file matches ({@link ApprovalRules#fileGlob}). */
    public static final String APPROVAL_FILES = "payoutsApprovalFiles";
    /** Sets {@code hold}: the hold of the chosen provider when it is paused ({@link ProviderPauses#holdFor}). */
    public static final String HOLD = "payoutsProviderHold";
    /** Sets {@code nameMismatch}: whether the bank's holder name is not the one the instruction expects ({@link NameCheck}). */
    public static final String NAME_CHECK = "payoutsCheckName";

    private final PayoutLedger ledger;
    private final RailRules rails;
    private final ApprovalRules approval;
    private final ProviderPauses pauses;
    private final NameCheck names;

    public WorkerSteps(PayoutLedger ledger, RailRules rails, ApprovalRules approval, ProviderPauses pauses,
            NameCheck names) {
        this.ledger = ledger;
        this.rails = rails;
        this.approval = approval;
        this.pauses = pauses;
        this.names = names;
    }

    /**
     * {@link PayoutLedger#claim}: sets {@code payout} (null when it is final or another worker holds
     * it) and, when there is one, {@code payoutReference}, {@code payoutStage}, {@code payoutProvider}
     * (as read: a sent transfer's provider), and its instruction's {@code requestedProvider},
     * {@code requestedMethod}, {@code bankCode}, {@code amount}, and {@code approvedBy}.
     */
    public Processor claim() {
        return exchange -> {
            Payout payout = ledger.claim(exchange.getMessage().getBody(String.class));
            exchange.setVariable("payout", payout);
            if (payout == null) {
                return;
            }
            PayoutInstruction instruction = payout.getInstruction();
            exchange.setVariable("payoutReference", payout.getReference());
            exchange.setVariable("payoutStage", payout.getStage().name());
            exchange.setVariable("payoutProvider", payout.getProvider());
            exchange.setVariable("requestedProvider", instruction.provider());
            exchange.setVariable("requestedMethod", instruction.method());
            exchange.setVariable("bankCode", instruction.bankCode());
            exchange.setVariable("amount", instruction.amount());
            exchange.setVariable("approvedBy", payout.getApprovedBy());
        };
    }

    public Processor railRefusal() {
        return exchange -> exchange.setVariable("reason",
                rails.refusal(payout(exchange), text(exchange, "provider"), text(exchange, "method")));
    }

    public Processor approvalFiles() {
        return exchange -> exchange.setVariable("approvalFiles", approval.fileGlob(payout(exchange)));
    }

    public Processor hold() {
        return exchange -> exchange.setVariable("hold", pauses.holdFor(text(exchange, "provider")));
    }

    public Processor nameCheck() {
        return exchange -> exchange.setVariable("nameMismatch", names.mismatch(payout(exchange)));
    }

    private static Payout payout(Exchange exchange) {
        return exchange.getVariable("payout", Payout.class);
    }

    private static String text(Exchange exchange, String name) {
        return exchange.getVariable(name, String.class);
    }
}
