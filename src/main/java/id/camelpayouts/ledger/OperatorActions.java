package id.camelpayouts.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

import id.camelpayouts.ledger.Payout.Stage;

/**
 * What people do to payouts (README, "Operating payouts"): cancel, resolve, approve and reject,
 * one payout or a whole batch, and the reconciler's end of approvals nobody gave in time. Each is
 * one compare-and-set on the payout's row ({@link PayoutLedger}'s transition: its stage, status
 * and version), the same row the worker moves on by compare-and-set: of a person's action and the
 * worker's next step (a transfer claim, a status inquiry's settlement) exactly one wins, and the
 * other finds the payout moved and does nothing. The person is named in the history (the key's
 * name, cause {@code operator} or {@code approval}) with their note, and every change is forwarded
 * as an outcome like any other.
 */
public class OperatorActions {

    /** What became of an action: done (200), no such payout (404), not by this key (403), not now (409). */
    public enum Verdict { DONE, NOT_FOUND, FORBIDDEN, TOO_LATE }

    /** The verdict, the payout as it is after it (null when there is none) and, unless done, why. */
    public record Result(Verdict verdict, Payout payout, String error) {
    }

    /**
     * A batch's action: how many of its payouts changed, those that did (references), or why none
     * may; for a cancel, when the batch was cancelled (null otherwise).
     */
    public record BatchResult(Verdict verdict, int changed, List<String> references, String error,
            Instant cancelledAt) {
        BatchResult(Verdict verdict, int changed, List<String> references, String error) {
            this(verdict, changed, references, error, null);
        }
    }

    /** Why an action may not be done to the payout as it is: FORBIDDEN (this key may not) or TOO_LATE. */
    private record Refusal(Verdict verdict, String why) {
        static Refusal tooLate(String why) {
            return new Refusal(Verdict.TOO_LATE, why);
        }
    }

    /** Tries of a compare-and-set that lost to a change that left the action possible (a worker's lease). */
    private static final int TRIES = 20;
    /** Stages before any money-moving call was claimed: a cancel is possible. */
    private static final List<Stage> CANCELLABLE = List.of(Stage.NEW, Stage.INQUIRED, Stage.APPROVAL);

    private final PayoutLedger ledger;

    public OperatorActions(PayoutLedger ledger) {
        this.ledger = ledger;
    }

    /**
     * Cancels a payout while no money-moving call has been claimed for it: queued, at or after its
     * inquiry, waiting for approval, held, waiting for Bank Indonesia's window. CANCELLED is final.
     */
    public Result cancel(String reference, String by, String note) {
        return act(reference, payout -> CANCELLABLE.contains(payout.stage) ? null
                : Refusal.tooLate(payout.isFinal() ? "the payout is " + payout.status + " already"
                        : "too late: the transfer was claimed and may have been sent; nothing was changed"),
                payout -> ledger.compareAndSet(payout.changedBy(Payout.OPERATOR, by, note), payout.stage, Stage.FINAL,
                        Payout.CANCELLED, Map.of(), "cancelled by " + by + withNote(note), "cancelled", true, null, null,
                        null));
    }

    /**
     * A person's decision for a payout the provider cannot settle: PENDING, its transfer sent and
     * flagged for review. SUCCEEDED or FAILED, with their mandatory note; the flag is cleared.
     */
    public Result resolve(String reference, String status, String by, String note) {
        if (!Payout.SUCCEEDED.equals(status) && !Payout.FAILED.equals(status)) {
            throw new IllegalArgumentException("resolve to SUCCEEDED or FAILED, not " + status);
        }
        return act(reference, payout -> {
            if (payout.isFinal()) {
                return Refusal.tooLate("the payout is " + payout.status + " already");
            }
            if (!payout.reviewRequired) {
                return Refusal.tooLate("only a payout flagged for review (reviewRequired) is resolved by a person;"
                        + " this one is still being settled by the provider");
            }
            return payout.stage == Stage.TRANSFER_SENT ? null
                    : Refusal.tooLate("its transfer was never sent: nothing to settle (cancel it instead)");
        }, payout -> {
            payout.changedBy(Payout.OPERATOR, by, note).reviewRequired = false;
            return ledger.compareAndSet(payout, Stage.TRANSFER_SENT, Stage.FINAL, status, Map.of(),
                    Payout.FAILED.equals(status) ? "resolved FAILED by " + by + withNote(note) : null,
                    "resolved " + status + " by " + by, true, null, "review_required = TRUE", "review_required = FALSE");
        });
    }

    /**
     * Maker-checker: a payout waiting for approval goes to the worker (returned PENDING; the
     * caller hands it over). Refused to the key that submitted it; a file's rows have no
     * submitting key, so any approver may approve them.
     */
    public Result approve(String reference, String by, String note) {
        return approval(reference, by, payout -> ledger.compareAndSet(payout.changedBy(Payout.APPROVAL, by, note),
                Stage.APPROVAL, Stage.NEW, Payout.PENDING, Map.of(), null, "approved by " + by, true, null, null,
                "approved_by = ?, next_action_at = ?", by, at(ledger.clock().instant().plus(ledger.policy().resumeAfter()))));
    }

    /** Maker-checker: a payout waiting for approval is REJECTED (final; nothing was sent). */
    public Result reject(String reference, String by, String note) {
        return approval(reference, by, payout -> ledger.compareAndSet(payout.changedBy(Payout.APPROVAL, by, note),
                Stage.APPROVAL, Stage.FINAL, Payout.REJECTED, Map.of(), "rejected by approver " + by + withNote(note),
                "rejected by " + by, true, null, null, null));
    }

    /** Whether a status inquiry may be asked now (recheck): a PENDING payout whose transfer was sent, not a cash out. */
    public Result recheckable(String reference) {
        Payout payout = ledger.find(reference);
        if (payout == null) {
            return new Result(Verdict.NOT_FOUND, null, "no payout with this reference");
        }
        String refusal = payout.isFinal() ? "the payout is " + payout.status + " already"
                : payout.stage != Stage.TRANSFER_SENT ? "its transfer has not been sent: there is no status to ask"
                : "CASHOUT".equals(payout.method) ? "a cash out has no status inquiry: its outcome comes by Duitku's"
                        + " callback" : null;
        return new Result(refusal == null ? Verdict.DONE : Verdict.TOO_LATE, payout, refusal);
    }

    /**
     * Cancels the batch: first its mark (payout_batches.cancelled_at, durable), from which on no
     * transfer of its payouts is claimed, and its payouts taken in afterwards (a dropped file still
     * being read) are recorded CANCELLED at intake; one taken in just before it ends CANCELLED when
     * its worker leases it, begins a wait or claims its transfer ({@link PayoutLedger}), before any
     * provider call but a transfer claimed before the mark. Then every payout of the batch that may
     * still be cancelled (awaiting approval included), each by its own compare-and-set, not waiting for
     * the disk (the mark does: a cancel of a file of 100,000 rows answers in seconds). A transfer
     * claimed before the mark stands: it may have been sent. A finished batch (a file whose results are final, other batches whose payouts all are)
     * is not marked: nothing of it is left. Done when the mark is new or a payout was cancelled; a
     * batch finished or cancelled before, with nothing left to cancel, is TOO_LATE.
     */
    public BatchResult cancelBatch(String batchId, String by, String note) {
        boolean listed = !references("SELECT id FROM payout_batches WHERE id = ?", 1, batchId).isEmpty();
        boolean marked = listed && !finished(batchId) && ledger.markBatchCancelled(batchId, by, note);
        PayoutLedger.BatchCancel cancel = listed ? ledger.batchCancel(batchId) : null;
        Instant cancelledAt = cancel == null ? null : cancel.at();
        // Once the mark is on disk it keeps every payout of the batch from being paid (the lease and
        // the transfer claim read it): each payout's cancel need not wait for the disk, and a cancel
        // lost to a crash is made again when a worker takes the payout.
        Function<String, Result> cancelOne = cancelledAt == null ? reference -> cancel(reference, by, note)
                : reference -> Durability.deferred(() -> cancel(reference, by, note));
        BatchResult result = forBatch(batchId, "stage IN ('NEW', 'INQUIRED', 'APPROVAL')", null,
                cancelOne, marked ? null : cancelledAt != null
                        ? "the batch was cancelled already and none of its payouts may be cancelled now: each is final"
                                + " or its transfer was claimed"
                        : "none of its payouts may be cancelled: each is final or its transfer was claimed");
        if (result.verdict() == Verdict.NOT_FOUND && listed) {
            // a batch listed before any of its payouts was taken in (a dropped file's first rows)
            result = marked ? new BatchResult(Verdict.DONE, 0, List.of(), null)
                    : new BatchResult(Verdict.TOO_LATE, 0, List.of(), "the batch was cancelled already");
        }
        return new BatchResult(result.verdict(), result.changed(), result.references(), result.error(), cancelledAt);
    }

    /**
     * Whether nothing of the batch is left to pay: a dropped file whose results are final (its every
     * row), another batch that has payouts and all of them final.
     */
    private boolean finished(String batchId) {
        if (!references("SELECT id FROM payout_batches WHERE id = ? AND file_id IS NOT NULL", 1, batchId).isEmpty()) {
            return !references("SELECT f.id FROM payout_batches b JOIN batches f ON f.id = b.file_id WHERE b.id = ?"
                    + " AND f.completed_at IS NOT NULL", 1, batchId).isEmpty();
        }
        return !references("SELECT reference FROM payouts WHERE batch_id = ?", 1, batchId).isEmpty()
                && references("SELECT reference FROM payouts WHERE batch_id = ? AND status IN ('PENDING',"
                        + " 'AWAITING_APPROVAL')", 1, batchId).isEmpty();
    }

    /** Approves every payout of the batch that waits for approval; refused whole (403) when the key submitted one. */
    public BatchResult approveBatch(String batchId, String by, String note) {
        return forBatch(batchId, "stage = 'APPROVAL'", by, reference -> approve(reference, by, note),
                "none of its payouts waits for approval");
    }

    /** Rejects every payout of the batch that waits for approval; refused whole (403) when the key submitted one. */
    public BatchResult rejectBatch(String batchId, String by, String note) {
        return forBatch(batchId, "stage = 'APPROVAL'", by, reference -> reject(reference, by, note),
                "none of its payouts waits for approval");
    }

    /**
     * The reconciler: approvals nobody gave within payouts.approval.expires-after end REJECTED with
     * that reason (the deadline is the payout's next_action_at while it waits). Returns how many.
     */
    public int expireApprovals(int limit) {
        Instant now = ledger.clock().instant();
        int expired = 0;
        for (String reference : references("SELECT reference FROM payouts WHERE stage = 'APPROVAL'"
                + " AND next_action_at <= ? ORDER BY next_action_at", limit, at(now))) {
            Payout payout = ledger.find(reference);
            if (payout != null && payout.stage == Stage.APPROVAL && ledger.compareAndSet(
                    payout.changedBy(Payout.WORKER, null, null), Stage.APPROVAL, Stage.FINAL, Payout.REJECTED, Map.of(),
                    "approval expired: nobody approved it within payouts.approval.expires-after ("
                            + ledger.policy().approvalExpiresAfter() + ")", "approval expired", true, null, null,
                    null)) {
                expired++;
            }
        }
        return expired;
    }

    // ---- mechanics ---------------------------------------------------------------------------

    /**
     * One action on one payout: {@code refusal} says why it may not be done to the payout as it is
     * (null: it may), {@code change} tries its compare-and-set. A compare-and-set that lost (a worker
     * moved the payout meanwhile) is tried again on the payout as it is now, as long as the action
     * is still possible; never against a payout that moved past it.
     */
    private Result act(String reference, Function<Payout, Refusal> refusal, Predicate<Payout> change) {
        for (int attempt = 0; attempt < TRIES; attempt++) {
            Payout payout = ledger.find(reference);
            if (payout == null) {
                return new Result(Verdict.NOT_FOUND, null, "no payout with this reference");
            }
            Refusal refused = refusal.apply(payout);
            if (refused != null) {
                return new Result(refused.verdict(), payout, refused.why());
            }
            if (change.test(payout)) {
                return new Result(Verdict.DONE, payout, null);
            }
        }
        return new Result(Verdict.TOO_LATE, ledger.find(reference), "the payout kept changing; try again");
    }

    private Result approval(String reference, String by, Predicate<Payout> change) {
        return act(reference, payout -> {
            if (payout.stage != Stage.APPROVAL) {
                return Refusal.tooLate("the payout is not awaiting approval (it is " + payout.status + ")");
            }
            return payout.submittedBy != null && payout.submittedBy.equals(by) ? new Refusal(Verdict.FORBIDDEN,
                    "this API key submitted the payout: another key with the approve role must decide") : null;
        }, change);
    }

    /**
     * The action on each payout of the batch in {@code condition}. {@code approver}: the key that
     * approves or rejects (null for a cancel): refused whole when it submitted one of them.
     * {@code nothing}: why none changed (TOO_LATE), or null when that is done too.
     */
    private BatchResult forBatch(String batchId, String condition, String approver, Function<String, Result> action,
            String nothing) {
        if (references("SELECT reference FROM payouts WHERE batch_id = ?", 1, batchId).isEmpty()) {
            return new BatchResult(Verdict.NOT_FOUND, 0, List.of(), "no batch with this id");
        }
        List<String> candidates = references("SELECT reference FROM payouts WHERE batch_id = ? AND " + condition
                + " ORDER BY created_at, reference", Integer.MAX_VALUE, batchId);
        if (approver != null && candidates.stream().map(ledger::find).filter(Objects::nonNull)
                .anyMatch(payout -> approver.equals(payout.submittedBy))) {
            return new BatchResult(Verdict.FORBIDDEN, 0, List.of(), "this API key submitted payouts of this batch:"
                    + " another key with the approve role must decide; nothing was changed");
        }
        List<String> changed = new ArrayList<>();
        for (String reference : candidates) {
            if (action.apply(reference).verdict() == Verdict.DONE) {
                changed.add(reference);
            }
        }
        return changed.isEmpty() && nothing != null ? new BatchResult(Verdict.TOO_LATE, 0, List.of(), nothing)
                : new BatchResult(Verdict.DONE, changed.size(), changed, null);
    }

    private List<String> references(String sql, int limit, Object... values) {
        List<String> references = new ArrayList<>();
        try (Connection db = ledger.dataSource().getConnection(); PreparedStatement select = db.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                select.setObject(i + 1, values[i]);
            }
            select.setMaxRows(limit == Integer.MAX_VALUE ? 0 : limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    references.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("could not list payouts", e);
        }
        return references;
    }

    private static String withNote(String note) {
        return note == null || note.isBlank() ? "" : ": " + note;
    }

    private static java.time.OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
