package id.camelpayouts.ledger;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.Registry;

/**
 * The ledger's changes of a payout as the engine's routes call them (routes/engine/), processors
 * bound as {@code payoutsLedger<Change>}, e.g. {@code payoutsLedgerSucceed}: {@link PayoutLedger}'s
 * method of that name on the variables {@code payout}, {@code answer}, {@code reason} (and the
 * few others a change needs). A processor costs the worker no bean-method lookup, parameter
 * binding or exchange copy per step, which under a dropped file's load were a large part of a
 * worker's CPU (issue 17); the routes' choices between them stay in YAML.
 */
public final class LedgerSteps {

    private LedgerSteps() {
    }

    /** Binds every step; the engine's routes name them in {@code process: {ref: ...}}. */
    public static void bind(Registry registry, PayoutLedger ledger) {
        // route-payout
        registry.bind("payoutsLedgerRoute", step(e -> ledger.route(payout(e), text(e, "provider"), text(e, "method"))));
        registry.bind("payoutsLedgerReject", step(e -> ledger.reject(payout(e), reason(e))));
        registry.bind("payoutsLedgerAwaitApproval", step(e -> ledger.awaitApproval(payout(e), text(e, "approval"))));
        registry.bind("payoutsLedgerWaitForWindow", step(e -> ledger.waitForWindow(payout(e),
                e.getVariable("opensIn", Duration.class), reason(e))));
        registry.bind("payoutsLedgerHold", step(e -> ledger.hold(payout(e), text(e, "hold"), reason(e))));
        // the provider flows, before the money-moving call
        registry.bind("payoutsLedgerRecordInquiry", step(e -> ledger.recordInquiry(payout(e), answer(e))));
        registry.bind("payoutsLedgerRefuseAtInquiry", step(e -> ledger.refuseAtInquiry(payout(e), answer(e), reason(e))));
        registry.bind("payoutsLedgerRetryInquiry", step(e -> ledger.retryInquiry(payout(e), answer(e), reason(e),
                text(e, "inquirySchedule"))));
        // sets `claimed`: false when another worker, instance or restart has it (never sent then)
        registry.bind("payoutsLedgerClaimTransfer", step(e -> e.setVariable("claimed", ledger.claimTransfer(payout(e)))));
        // after it
        registry.bind("payoutsLedgerSucceed", step(e -> ledger.succeed(payout(e), answer(e))));
        registry.bind("payoutsLedgerFail", step(e -> ledger.fail(payout(e), answer(e), reason(e))));
        registry.bind("payoutsLedgerAwaitCallback", step(e -> ledger.awaitCallback(payout(e), answer(e), reason(e))));
        registry.bind("payoutsLedgerAwaitStatus", step(e -> ledger.awaitStatus(payout(e), answer(e), reason(e))));
        registry.bind("payoutsLedgerAwaitStatusAcknowledged",
                step(e -> ledger.awaitStatusAcknowledged(payout(e), answer(e), reason(e))));
        registry.bind("payoutsLedgerStillPending", step(e -> ledger.stillPending(payout(e), answer(e), reason(e))));
        registry.bind("payoutsLedgerStillAwaitingCallback",
                step(e -> ledger.stillAwaitingCallback(payout(e), answer(e), reason(e))));
        registry.bind("payoutsLedgerStatusNotAskable",
                step(e -> ledger.statusNotAskable(payout(e), answer(e), reason(e))));
        registry.bind("payoutsLedgerKeepWaitingForCallback", step(e -> ledger.keepWaitingForCallback(payout(e))));
        registry.bind("payoutsLedgerTransferNotFound",
                step(e -> ledger.transferNotFound(payout(e), answer(e), reason(e))));
        registry.bind("payoutsLedgerRecordTransferIds", step(e -> ledger.recordTransferIds(payout(e), answer(e))));
        // a cash out, insufficient funds, a callback
        registry.bind("payoutsLedgerClaimCashOut", step(e -> e.setVariable("claimed", ledger.claimCashOut(payout(e)))));
        registry.bind("payoutsLedgerRecordCashOut", step(e -> ledger.recordCashOut(payout(e), answer(e), reason(e))));
        registry.bind("payoutsLedgerHoldForFunds", step(e -> ledger.holdForFunds(payout(e), answer(e), reason(e))));
        // a success that found the payout ended FAILED meanwhile is late evidence: `callbackResult` conflict
        registry.bind("payoutsLedgerSucceedByCallback", step(e -> {
            if (ledger.succeedByCallback(payout(e), answer(e))) {
                e.setVariable("callbackResult", "conflict");
            }
        }));
        // sets `claimRecorded`: false for a repeat of a claim still waiting for its status inquiry
        registry.bind("payoutsLedgerRecordFailureClaim", step(e -> e.setVariable("claimRecorded",
                ledger.recordFailureClaim(payout(e), answer(e), reason(e)))));
        registry.bind("payoutsLedgerHoldForReview", step(e -> ledger.holdForReview(payout(e), answer(e), reason(e))));
    }

    /**
     * The payout-outcomes block's steps over one message of an outbox read (its body a
     * {@link PayoutOutbox.OutboxMessage}): {@code payoutsOutboxMessage} makes it the message the
     * destination takes (the outcome's JSON, headers PayoutReference and JMSCorrelationID, variable
     * {@code outboxId}), {@code payoutsOutboxSent} notes that the destination took it. As simple
     * expressions and bean calls they were three OGNL method calls and a bean invocation per
     * outcome, a third of the outbox thread's CPU under a dropped file (issue 17).
     */
    public static void bindOutbox(Registry registry, PayoutLedger ledger) {
        registry.bind("payoutsOutboxMessage", step(e -> {
            PayoutOutbox.OutboxMessage outcome = e.getMessage().getBody(PayoutOutbox.OutboxMessage.class);
            e.setVariable("outboxId", outcome.id());
            e.getMessage().setHeader("PayoutReference", outcome.reference());
            e.getMessage().setHeader("JMSCorrelationID", outcome.reference());
            e.getMessage().setBody(outcome.payload());
        }));
        registry.bind("payoutsOutboxSent", step(e -> ledger.sent(e.getVariable("outbox", PayoutOutbox.OutboxBatch.class),
                e.getVariable("outboxId", Long.class))));
    }

    /** Gives each lambda above its type (Registry.bind takes any object). */
    private static Processor step(Processor processor) {
        return processor;
    }

    static Payout payout(Exchange exchange) {
        return exchange.getVariable("payout", Payout.class);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> answer(Exchange exchange) {
        return exchange.getVariable("answer", Map.class);
    }

    private static String reason(Exchange exchange) {
        return text(exchange, "reason");
    }

    private static String text(Exchange exchange, String name) {
        return exchange.getVariable(name, String.class);
    }
}
