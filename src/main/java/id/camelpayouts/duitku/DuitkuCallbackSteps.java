package id.camelpayouts.duitku;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import id.camelpayouts.duitku.DuitkuCallbacks.Callback;
import id.camelpayouts.ledger.Payout;
import id.camelpayouts.ledger.PayoutLedger;
import id.camelpayouts.payout.ResponseCodeTable;

/**
 * The Java steps of a Duitku callback's routes (routes/blocks/duitku-callbacks.camel.yaml and
 * routes/engine/apply-duitku-callback.camel.yaml), as processors bound by name. Each leaves plain
 * variables that the routes' conditions compare, so that a callback costs no bean-method lookup,
 * exchange copy or OGNL evaluation per step (under load those were most of a callback's cost); what
 * each variable means is written beside the step in the routes.
 */
public final class DuitkuCallbackSteps {

    /** Reads and verifies a clearing callback. */
    public static final String CLEARING = "payoutsDuitkuClearingCallback";
    /** Reads and verifies a cash-out callback. */
    public static final String CASH_OUT = "payoutsDuitkuCashOutCallback";
    /** Finds the payout a verified callback is about, and what the callback claims about it. */
    public static final String PAYOUT = "payoutsDuitkuCallbackPayout";
    /** Keeps a failure claim that changed nothing in the payout's history (see {@link #recordClaim()}). */
    public static final String RECORD_CLAIM = "payoutsDuitkuCallbackRecordClaim";

    private final DuitkuCallbacks callbacks;
    private final PayoutLedger ledger;
    private final ResponseCodeTable codes;
    /** The statusCodes a callback claims failure with (the code table's {@code callback} column). */
    private final List<String> failureCodes;

    public DuitkuCallbackSteps(DuitkuCallbacks callbacks, PayoutLedger ledger, ResponseCodeTable codes) {
        this.callbacks = callbacks;
        this.ledger = ledger;
        this.codes = codes;
        this.failureCodes = codes.codes().stream().map(ResponseCodeTable.Code::code)
                .filter(code -> "failed".equals(codes.classify("callback", code))).toList();
    }

    /** {@link DuitkuCallbacks#clearing}: sets {@code callback}, and {@code refusal} when it is refused. */
    public Processor clearing() {
        return exchange -> received(exchange, callbacks.clearing(exchange.getMessage().getBody(byte[].class)));
    }

    /** {@link DuitkuCallbacks#cashOut}: as {@link #clearing()}, and {@code ourReference} (its custRefNumber). */
    public Processor cashOut() {
        return exchange -> {
            Callback callback = callbacks.cashOut(exchange.getMessage().getBody(byte[].class));
            received(exchange, callback);
            exchange.setVariable("ourReference", callback.text("custRefNumber"));
        };
    }

    private static void received(Exchange exchange, Callback callback) {
        exchange.setVariable("callback", callback);
        exchange.setVariable("refusal", callback.refusal());
    }

    /**
     * Reads {@code callback}, {@code ourReference} and {@code callbackKind}; sets {@code payout}
     * (by the disburseId, a payout of the callback's kind first, else by our reference; null when
     * the ledger knows neither; a final payout a callback found before comes from memory, see
     * {@link PayoutLedger#findByDisburseIdForCallback}) and, when
     * there is one, {@code payoutStatus} (as read), {@code mismatch} ({@link DuitkuCallbacks#mismatch}),
     * {@code outcome} (the statusCode's class in the code table's {@code callback} column),
     * {@code answer} ({@link Callback#asAnswer}) and {@code contradicted} (a success claimed after a
     * failure claim for a PENDING or FAILED payout: the history records one).
     */
    public Processor payout() {
        return exchange -> {
            Callback callback = exchange.getVariable("callback", Callback.class);
            String ourReference = exchange.getVariable("ourReference", String.class);
            boolean cashOut = "cashout".equals(exchange.getVariable("callbackKind", String.class));
            Payout payout = ledger.findByDisburseIdForCallback(callback.disburseId(), cashOut);
            if ((payout == null || "CASHOUT".equals(payout.getMethod()) != cashOut) && ourReference != null) {
                Payout byReference = ledger.findForCallback(ourReference);
                payout = byReference != null ? byReference : payout;
            }
            exchange.setVariable("payout", payout);
            if (payout == null) {
                return;
            }
            exchange.setVariable("payoutStatus", payout.getStatus());
            exchange.setVariable("mismatch",
                    callbacks.mismatch(callback, payout, exchange.getVariable("callbackKind", String.class)));
            String outcome = codes.classify("callback", callback.statusCode());
            exchange.setVariable("outcome", outcome);
            exchange.setVariable("answer", callback.asAnswer());
            // Duitku's signature covers no statusCode: a success claimed for a payout an earlier
            // callback (with the same signature, whoever sent it) claimed failed is no evidence
            exchange.setVariable("contradicted", "success".equals(outcome)
                    && (Payout.PENDING.equals(payout.getStatus()) || Payout.FAILED.equals(payout.getStatus()))
                    && ledger.failureClaimed(payout, failureCodes));
        };
    }

    /**
     * Reads {@code payout}, {@code callback} and {@code reason}: keeps the callback's claim in the
     * payout's history when it changed nothing (a clearing transfer's failure claim that Duitku's
     * status answer did not confirm), so that a later success claim under the same signature is
     * known to contradict it.
     */
    public Processor recordClaim() {
        return exchange -> ledger.recordClaim(exchange.getVariable("payout", Payout.class),
                exchange.getVariable("callback", Callback.class).asAnswer(), exchange.getVariable("reason", String.class));
    }
}
