package id.camelpayouts.ledger;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import id.camelpayouts.payout.PayoutInstruction;

/** One payout as the ledger holds it. Routes carry it in the {@code payout} variable. */
public class Payout implements Cloneable {

    public static final String PENDING = "PENDING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
    public static final String REJECTED = "REJECTED";
    /** Waits for a key with the approve role (maker-checker): nothing has been sent; not final. */
    public static final String AWAITING_APPROVAL = "AWAITING_APPROVAL";
    /** Stopped by a person before any money-moving call was claimed: money did not move; final. */
    public static final String CANCELLED = "CANCELLED";
    /** Every status a payout can have, in the order answers list them (the search's, a batch's counts). */
    public static final List<String> STATUSES = List.of(PENDING, AWAITING_APPROVAL, SUCCEEDED, FAILED, REJECTED,
            CANCELLED);
    /** The statuses that never change. */
    public static final List<String> FINAL_STATUSES = List.of(SUCCEEDED, FAILED, REJECTED, CANCELLED);

    /** Why a PENDING payout waits before anything is sent (its {@code hold}); null while it goes on. */
    public static final String HOLD_PROVIDER_PAUSED = "provider-paused";
    public static final String HOLD_INSUFFICIENT_FUNDS = "insufficient-funds";
    public static final String HOLD_BANK_WINDOW = "bank-window";
    public static final List<String> HOLDS = List.of(HOLD_PROVIDER_PAUSED, HOLD_INSUFFICIENT_FUNDS, HOLD_BANK_WINDOW);

    /** What moved a payout, as its history records it. */
    public static final String INTAKE = "intake";
    public static final String WORKER = "worker";
    public static final String STATUS_INQUIRY = "status-inquiry";
    public static final String CALLBACK = "callback";
    public static final String OPERATOR = "operator";
    public static final String APPROVAL = "approval";

    /** Where the payout is in its flow; only the ledger moves it on. */
    public enum Stage {
        /** Recorded; nothing that moves money has been sent. */
        NEW,
        /** The provider confirmed the account; the transfer has not been claimed. */
        INQUIRED,
        /** Waits for an approver (status AWAITING_APPROVAL); no worker takes it, nothing has been sent. */
        APPROVAL,
        /** The transfer was (about to be) sent: from here only a status inquiry may settle it. */
        TRANSFER_SENT,
        FINAL
    }

    private final String reference;
    private final PayoutInstruction instruction;
    String provider;
    String method;
    Stage stage;
    String status;
    String providerReference;
    String custRefNumber;
    String accountName;
    String token;
    String pin;
    String responseCode;
    String responseDesc;
    String reason;
    int inquiryAttempts;
    int statusChecks;
    boolean reviewRequired;
    /** Late evidence against the final status ({@code LATE_SUCCESS}, {@code LATE_FAILURE}), or null. */
    String conflict;
    /** The provider's transactionId and referenceNumber of the transfer (Durianpay's status answer), or null. */
    String transactionId;
    String referenceNumber;
    Instant transferSentAt;
    /** When the provider said it has the transfer (its outcome comes by callback); null while the send is in doubt. */
    Instant acknowledgedAt;
    Instant updatedAt;
    int version;
    /**
     * How many failure claims providers' callbacks made about its transfer, as this copy read it: a
     * worker puts its next status inquiry off only while no claim came since it read the payout
     * (PayoutLedger.recordFailureClaim).
     */
    int failureClaims;
    /** How it was taken in: api, file, jms or block (null for payouts older than the column). */
    String intake;
    /** The batch it belongs to (a dropped file's name, an instruction's {@code batch}), or null. */
    String batchId;
    /** The name of the API key that submitted it (never the key), or null. */
    String submittedBy;
    Instant createdAt;
    /** Why it waits before anything is sent ({@link #HOLDS}), or null. */
    String hold;
    /** The name of the key that approved it (maker-checker), or null. */
    String approvedBy;

    /*
     * What this copy's changes are recorded as in the history; not stored on the payout. A worker's
     * copy comes from PayoutLedger.claim (worker, or status-inquiry when its transfer was sent
     * already: the worker is then there to ask the provider's status). A copy read without the
     * lease and not marked by changedBy is changed from outside by the provider: callback.
     */
    String cause;
    String actor;
    String note;
    /** What its consumers were shown as the ledger holds it (null: not in the ledger yet); see {@link OutcomeRule}. */
    OutcomeRule.Noticed stored;
    /**
     * An inquiry's answer this copy holds that the ledger has not written yet: its account fields are
     * on the copy (stage INQUIRED), and the ledger writes them with the copy's next change
     * (PayoutLedger.recordInquiry). Null: none.
     */
    UnwrittenInquiry unwrittenInquiry;

    /** The stage the ledger still holds, and the inquiry's code and words for the history. */
    record UnwrittenInquiry(Stage storedStage, String code, String description) {
    }

    Payout(String reference, PayoutInstruction instruction) {
        this.reference = reference;
        this.instruction = instruction;
    }

    public String getReference() { return reference; }
    public PayoutInstruction getInstruction() { return instruction; }
    public String getProvider() { return provider; }
    public String getMethod() { return method; }
    public Stage getStage() { return stage; }
    public String getStatus() { return status; }
    public String getProviderReference() { return providerReference; }
    public String getCustRefNumber() { return custRefNumber; }
    public String getAccountName() { return accountName; }
    public String getResponseCode() { return responseCode; }
    public String getReason() { return reason; }
    public int getInquiryAttempts() { return inquiryAttempts; }
    public int getStatusChecks() { return statusChecks; }
    public boolean isReviewRequired() { return reviewRequired; }
    public String getConflict() { return conflict; }
    public String getTransactionId() { return transactionId; }
    public String getReferenceNumber() { return referenceNumber; }
    public Instant getTransferSentAt() { return transferSentAt; }
    public Instant getAcknowledgedAt() { return acknowledgedAt; }
    public boolean isFinal() { return stage == Stage.FINAL; }
    public Instant getUpdatedAt() { return updatedAt; }
    public String getIntake() { return intake; }
    public String getBatchId() { return batchId; }
    public String getSubmittedBy() { return submittedBy; }
    public Instant getCreatedAt() { return createdAt; }
    public String getHold() { return hold; }
    public String getApprovedBy() { return approvedBy; }
    public boolean isAwaitingApproval() { return stage == Stage.APPROVAL; }

    /**
     * Marks who changes this copy, for its history: a person's action ({@link #OPERATOR} or
     * {@link #APPROVAL}) with the name of their API key and their note. Returns this payout.
     */
    public Payout changedBy(String cause, String actor, String note) {
        this.cause = cause;
        this.actor = actor;
        this.note = note;
        return this;
    }

    /**
     * A copy of this payout that its holder may change (a route marks who changes it, the ledger
     * moves it on) without touching this one; the instruction is shared, it never changes.
     */
    Payout copy() {
        try {
            return (Payout) clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a payout in this status never changes again. */
    public static boolean isFinalStatus(String status) {
        return FINAL_STATUSES.contains(status);
    }

    /**
     * The outcome the merchant sees (the API's answer, the outcomes queue, the webhook): the
     * Outcome schema of openapi/payouts-api.yaml; token and pin only for a cash out.
     */
    public Map<String, Object> toOutcome() {
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("reference", reference);
        outcome.put("status", status);
        outcome.put("provider", provider);
        outcome.put("method", method);
        outcome.put("providerReference", providerReference);
        outcome.put("responseCode", responseCode);
        outcome.put("responseDesc", responseDesc);
        outcome.put("accountName", accountName);
        outcome.put("amount", instruction.amount());
        outcome.put("reason", reason);
        outcome.put("updatedAt", updatedAt == null ? null : updatedAt.toString());
        if (token != null) {
            outcome.put("token", token); // cash out: delivered to the merchant, never logged
            outcome.put("pin", pin);
        }
        if (hold != null) {
            outcome.put("hold", hold); // PENDING, waiting before anything is sent: why
        }
        if (reviewRequired) {
            outcome.put("reviewRequired", true);
        }
        if (conflict != null) {
            outcome.put("conflict", conflict); // the provider contradicted the final status: a person must look
        }
        return outcome;
    }
}
