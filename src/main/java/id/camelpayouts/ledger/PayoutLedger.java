package id.camelpayouts.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Variable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import id.camelpayouts.ledger.Payout.Stage;
import id.camelpayouts.payout.PayoutInstruction;

/**
 * The payout ledger (README, "How a payout stays safe"): one row per reference, written before
 * any provider call, moved on only by compare-and-set updates so that two threads or two
 * instances can never both send a transfer. Every change appends to {@code payout_events}.
 *
 * Methods taking {@code @Variable} parameters are called from the YAML routes, which keep the
 * payout in the {@code payout} variable and the provider's answer in {@code answer}.
 */
public class PayoutLedger {

    private static final String COLUMNS = PayoutRows.COLUMNS;
    /**
     * A transfer is claimed only while its provider is not paused (README, "Operating payouts"): the
     * provider the worker routed the payout to, bound as a value (the row may not hold it yet, see
     * {@link #route}).
     */
    private static final String PROVIDER_NOT_PAUSED = "NOT EXISTS (SELECT 1 FROM providers pp WHERE pp.name = ?"
            + " AND pp.paused = TRUE)";
    /**
     * Nor once an operator cancelled the payout's batch (payout_batches.cancelled_at, found by the
     * batch's primary key): a batch's cancel holds for its rows taken in after it, too.
     */
    private static final String BATCH_CANCELLED = "EXISTS (SELECT 1 FROM payout_batches cb"
            + " WHERE cb.id = payouts.batch_id AND cb.cancelled_at IS NOT NULL)";
    private static final String BATCH_NOT_CANCELLED = "NOT " + BATCH_CANCELLED;
    private static final Logger LOG = LoggerFactory.getLogger(PayoutLedger.class);
    /** The intake of a dropped file's rows (the file-drop-payouts route's payoutIntake). */
    private static final String FILE = "file";
    private static final int LISTED_BATCHES_KEPT = 10_000;
    /** Final payouts kept for callbacks, per key: a few minutes of a provider's repeats. */
    private static final int FINAL_PAYOUTS_KEPT = 4_096;

    private final DurableDataSource dataSource;
    private final Clock clock;
    private final LedgerPolicy policy;
    private final String instanceId;
    private final PayoutOutbox outbox;
    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    /**
     * Batches known to be listed (payout_batches): a batch is never unlisted, so each instruction of
     * a batch does not look it up again. Forgotten, all at once, past {@link #LISTED_BATCHES_KEPT}.
     */
    private final Set<String> listedBatches = ConcurrentHashMap.newKeySet();
    /**
     * Batches this instance saw cancelled, with their cancel (its own cancels, and another instance's
     * found by a worker's lease): a mark is never undone. The intake reads it here, not in the
     * ledger: a statement of its own would cost every row of every file. A payout the intake took in
     * before it knew (the mark committed meanwhile, or made by another instance) is cancelled at its
     * worker's lease, before any provider call ({@link #claim}). Forgotten, all at once, past
     * {@link #LISTED_BATCHES_KEPT}: what is forgotten is found again at the next lease.
     */
    private final Map<String, BatchCancel> cancelledBatches = new ConcurrentHashMap<>();
    /** Final payouts a callback found, by its provider reference (Duitku's disburseId) and by our reference. */
    private final FinalPayouts finalByProviderReference = new FinalPayouts(FINAL_PAYOUTS_KEPT);
    private final FinalPayouts finalByReference = new FinalPayouts(FINAL_PAYOUTS_KEPT);
    /** Told of each payout that reached a final status, once its change is committed (metrics). */
    private volatile Consumer<Payout> whenFinal = payout -> { };

    public PayoutLedger(DataSource dataSource, Clock clock, LedgerPolicy policy, String instanceId) {
        this(dataSource, clock, policy, instanceId, List.of());
    }

    /** {@code outboxChannels}: where every outcome change is delivered (e.g. "jms", "webhook"). */
    public PayoutLedger(DataSource dataSource, Clock clock, LedgerPolicy policy, String instanceId,
            List<String> outboxChannels) {
        this.dataSource = DurableDataSource.of(dataSource);
        this.clock = clock;
        this.policy = policy;
        this.instanceId = instanceId;
        this.outbox = new PayoutOutbox(this.dataSource, outboxChannels);
    }

    /**
     * {@code listener} is told of each payout that reaches a final status, after the commit, besides
     * the listeners added before; it must not throw.
     */
    public void whenFinal(Consumer<Payout> listener) {
        this.whenFinal = this.whenFinal.andThen(Objects.requireNonNull(listener));
    }

    /**
     * At startup: leases this instance held before it stopped belong to work that died with it,
     * so they are released at once instead of waiting for them to expire.
     */
    public int releaseOwnLeases() {
        int released = update("UPDATE payouts SET lease_until = NULL WHERE lease_owner = ? AND lease_until IS NOT NULL",
                instanceId);
        // Payouts taken in but not at their transfer yet (queued in memory, or interrupted after the
        // inquiry) died with the process: due now. With several instances some may be another's;
        // the lease decides who works on each.
        update("UPDATE payouts SET next_action_at = ? WHERE stage IN ('NEW', 'INQUIRED') AND lease_until IS NULL"
                + " AND next_action_at > ?", at(clock.instant()), at(clock.instant()));
        return released;
    }

    // ---- intake -------------------------------------------------------------------------

    /**
     * Where a payout came from: its intake channel (api, file, jms, block) and, for the API, the
     * name of the key that submitted it.
     */
    public record Origin(String intake, String submittedBy) {
        /** A host's own code or block. */
        public static final Origin BLOCK = new Origin("block", null);
    }

    /** Records a new payout taken in by a host's own code (intake {@code block}); see {@link #submit(PayoutInstruction, Origin)}. */
    public Submission submit(PayoutInstruction instruction) {
        return submit(instruction, Origin.BLOCK);
    }

    /**
     * Records a new payout, or tells a repeat (same content) from a conflict (other content).
     * The payout is read back only after its connection is returned: a caller never holds two of
     * the pool's connections (with every connection held by a submit waiting for a second one,
     * the pool would deadlock).
     */
    public Submission submit(PayoutInstruction instruction, Origin origin) {
        Payout inserted;
        try {
            if (instruction.batch() != null) {
                joinBatch(instruction.batch(), origin.intake());
            }
            inserted = FILE.equals(origin.intake()) ? Durability.deferred(() -> insertOrFail(instruction, origin))
                    : insert(instruction, origin);
        } catch (SQLException | JsonProcessingException e) {
            throw new LedgerException("could not record payout " + instruction.reference(), e);
        }
        if (inserted != null) {
            // as inserted: not read back
            return new Submission(Submission.Kind.ACCEPTED, inserted);
        }
        Payout payout = find(instruction.reference());
        if (payout == null) {
            throw new LedgerException("could not record payout " + instruction.reference(), null);
        }
        boolean sameContent = instruction.fingerprint().equals(fingerprintOf(instruction.reference()));
        return new Submission(sameContent ? Submission.Kind.REPEATED : Submission.Kind.CONFLICT, payout);
    }

    /**
     * Lists the batch (GET /api/batches) from its first instruction on. Its own short transaction,
     * before the payout's: two first instructions of a new batch arriving at once must not fail
     * each other's intake, and a batch listed without payouts (its first instruction turned out a
     * repeat) is harmless. A dropped file's batch is opened by {@link BatchLedger#open}.
     */
    private void joinBatch(String batchId, String intake) throws SQLException {
        if (listedBatches.contains(batchId)) {
            return;
        }
        try (Connection db = dataSource.getConnection()) {
            if (!PayoutQueries.batchExists(db, batchId)) {
                try (PreparedStatement insert = db.prepareStatement(
                        "INSERT INTO payout_batches (id, intake, started_at) VALUES (?, ?, ?)")) {
                    bind(insert, batchId, intake, at(clock.instant()));
                    insert.executeUpdate();
                } catch (SQLException taken) {
                    if (!PayoutQueries.batchExists(db, batchId)) {
                        throw taken;
                    }
                }
            }
        }
        if (listedBatches.size() >= LISTED_BATCHES_KEPT) {
            listedBatches.clear();
        }
        listedBatches.add(batchId);
    }

    /**
     * A dropped file's row, written without waiting for the disk: the file's rows are recorded
     * durably every few hundred rows and before the file leaves the inbox
     * ({@link BatchLedger#recordRows}), which puts the rows before them on disk too, and so does
     * the durable claim of any of their transfers. A crash before that leaves the file in the
     * inbox, read again: its rows the ledger kept are repeats, the others are taken in again.
     */
    private Payout insertOrFail(PayoutInstruction instruction, Origin origin) {
        try {
            return insert(instruction, origin);
        } catch (SQLException | JsonProcessingException e) {
            throw new LedgerException("could not record payout " + instruction.reference(), e);
        }
    }

    /**
     * Inserts the payout with its first event and outcome, and returns it as inserted; null when its
     * reference is taken. A payout of a batch known to be cancelled ({@link #cancelledBatches}: a
     * dropped file's rows taken in after its cancel) is inserted CANCELLED by that cancel, with the
     * cancel's line in its history and outcome, as the cancel would have ended it: no worker leases
     * it, so nothing of it reaches a provider, not even its inquiry.
     */
    private Payout insert(PayoutInstruction instruction, Origin origin) throws SQLException, JsonProcessingException {
        // the precision the ledger keeps (microseconds), so that the payout returned is the one stored
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try (Connection db = dataSource.getConnection()) {
            db.setAutoCommit(false);
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO payouts (reference, fingerprint,"
                    + " instruction, provider, method, amount, stage, status, next_action_at, created_at, updated_at,"
                    + " intake, batch_id, submitted_by, reason)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                BatchCancel cancel = instruction.batch() == null ? null : cancelledBatches.get(instruction.batch());
                String cancelled = cancel == null ? null : cancel.reason();
                insert.setString(1, instruction.reference());
                insert.setString(2, instruction.fingerprint());
                insert.setString(3, json.writeValueAsString(instruction.toMap()));
                insert.setString(4, instruction.provider());
                insert.setString(5, instruction.method());
                insert.setLong(6, instruction.amount());
                insert.setString(7, (cancel == null ? Stage.NEW : Stage.FINAL).name());
                insert.setString(8, cancel == null ? Payout.PENDING : Payout.CANCELLED);
                // The intake hands the payout straight to a worker; the reconciler picks it up
                // only if that worker is gone (crash) by then.
                insert.setObject(9, cancel == null ? at(now.plus(policy.resumeAfter())) : null);
                insert.setObject(10, at(now));
                insert.setObject(11, at(now));
                insert.setString(12, origin.intake());
                insert.setString(13, instruction.batch());
                insert.setString(14, origin.submittedBy());
                insert.setString(15, cancelled);
                insert.executeUpdate();
                PayoutEvents.append(db, new PayoutEvents.Event(instruction.reference(), Stage.NEW, Payout.PENDING,
                        Payout.INTAKE, origin.submittedBy(), null, null, "received", null, null), now);
                Payout received = new Payout(instruction.reference(), instruction);
                received.provider = instruction.provider();
                received.method = instruction.method();
                received.stage = Stage.NEW;
                received.status = Payout.PENDING;
                received.createdAt = now;
                received.updatedAt = now;
                received.intake = origin.intake();
                received.batchId = instruction.batch();
                received.submittedBy = origin.submittedBy();
                outbox.enqueueIfNoticed(db, received, now);
                if (cancel != null) {
                    received.stage = Stage.FINAL;
                    received.status = Payout.CANCELLED;
                    received.reason = cancelled;
                    PayoutEvents.append(db, new PayoutEvents.Event(instruction.reference(), Stage.FINAL,
                            Payout.CANCELLED, Payout.OPERATOR, cancel.by(), null, null, cancelled, cancel.note(), null),
                            now);
                    outbox.enqueueIfNoticed(db, received, now);
                }
                db.commit();
                if (cancel != null) {
                    whenFinal.accept(received);
                }
                return received;
            } catch (SQLException insertFailed) {
                db.rollback();
                // a taken reference (a repeat or a conflict) when the payout exists; else a real failure
                if (!exists(db, instruction.reference())) {
                    throw insertFailed;
                }
                return null;
            }
        }
    }

    private static boolean exists(Connection db, String reference) throws SQLException {
        try (PreparedStatement select = db.prepareStatement("SELECT 1 FROM payouts WHERE reference = ?")) {
            select.setString(1, reference);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    public Payout find(String reference) {
        List<Payout> found = query("SELECT " + COLUMNS + " FROM payouts WHERE reference = ?", reference);
        return found.isEmpty() ? null : found.get(0);
    }

    // ---- work ---------------------------------------------------------------------------

    /**
     * Takes a lease on a payout that still needs inquiry or transfer, or on one whose transfer
     * awaits a status check. Returns null when it is final, waits for an approver, or another
     * worker holds it.
     */
    public Payout claim(String reference) {
        Instant now = clock.instant();
        // Not flushed on its own (Durability): a lease lost to a crash leaves the payout free, which a
        // restart would make it anyway.
        int claimed = Durability.deferred(() -> update("UPDATE payouts SET lease_until = ?, lease_owner = ?,"
                + " version = version + 1 WHERE reference = ? AND stage NOT IN ('FINAL', 'APPROVAL')"
                + " AND (lease_until IS NULL OR lease_until < ?)",
                at(now.plus(policy.lease())), instanceId, reference, at(now)));
        if (claimed != 1) {
            return null;
        }
        // The worker's changes are the worker's; a transfer sent already is back for a status inquiry.
        Leased leased = findLeased(reference);
        Payout payout = leased.payout();
        payout.cause = payout.stage == Stage.TRANSFER_SENT ? Payout.STATUS_INQUIRY : Payout.WORKER;
        if (leased.batchCancelled() && payout.stage != Stage.TRANSFER_SENT) {
            // its batch was cancelled after it was taken in, and the cancel did not find it (or not yet):
            // cancelled now, before the worker asks anything of a provider
            cancelWithItsBatch(payout);
            return null;
        }
        return payout;
    }

    /** A payout as its worker's lease reads it, and whether its batch is cancelled (read in the same statement). */
    private record Leased(Payout payout, boolean batchCancelled) {
    }

    private Leased findLeased(String reference) {
        try (Connection db = dataSource.forReads().getConnection(); PreparedStatement select = db.prepareStatement(
                "SELECT " + COLUMNS + ", CASE WHEN " + BATCH_CANCELLED + " THEN 1 ELSE 0 END FROM payouts"
                        + " WHERE reference = ?")) {
            select.setString(1, reference);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return new Leased(PayoutRows.inOrder().read(row), row.getInt(PayoutRows.COUNT + 1) > 0);
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new LedgerException("could not read payout " + reference, e);
        }
    }

    /**
     * The reconciler's question: the unfinished stages named one by one (not "NOT IN ('FINAL',
     * 'APPROVAL')"), so that the database reads each stage's due range of the payouts_due index
     * (stage, next_action_at): with NOT IN, H2 scanned the whole table at every reconciler tick
     * (issue 17).
     */
    static final String DUE = "SELECT reference FROM payouts WHERE stage IN ('NEW', 'INQUIRED', 'TRANSFER_SENT')"
            + " AND next_action_at <= ? AND (lease_until IS NULL OR lease_until < ?) ORDER BY next_action_at";

    /** Payouts the reconciler should look at now: due, unfinished and not leased. */
    public List<String> due(int limit) {
        Instant now = clock.instant();
        List<String> references = new ArrayList<>();
        try (Connection db = dataSource.getConnection();
                PreparedStatement select = db.prepareStatement(DUE)) {
            select.setObject(1, at(now));
            select.setObject(2, at(now));
            select.setMaxRows(limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    references.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("could not list due payouts", e);
        }
        return references;
    }

    /**
     * Records which provider and rail the routing chose: on the worker's copy, written with the
     * worker's next change of the payout (every change writes them, {@link #compareAndSet}), which
     * comes before anything is sent. No write of its own: a crash before that change loses the
     * choice, which the worker makes again.
     */
    public void route(@Variable("payout") Payout payout, @Variable("provider") String provider,
            @Variable("method") String method) {
        payout.provider = provider;
        payout.method = method;
    }

    /**
     * The provider confirmed the account: remember its reference and the holder's name. Kept on the
     * worker's copy (stage INQUIRED) and written with the worker's next change of the payout, which
     * follows at once (the transfer claim, a rejection, a hold): one update of the row and one
     * transaction instead of two ({@link #compareAndSet}). Lost to a crash before that change, the
     * payout is back at NEW and its inquiry asked again: nothing was sent yet.
     */
    public void recordInquiry(@Variable("payout") Payout payout, @Variable("answer") Map<String, Object> answer) {
        if (payout.stage != Stage.NEW && payout.stage != Stage.INQUIRED) {
            throw new IllegalStateException("payout " + payout.getReference() + " is past inquiry: " + payout.stage);
        }
        String code = text(answer, "responseCode");
        String desc = text(answer, "responseDesc");
        Stage stored = payout.unwrittenInquiry != null ? payout.unwrittenInquiry.storedStage() : payout.stage;
        payout.providerReference = text(answer, "providerReference") != null ? text(answer, "providerReference")
                : id(answer, "disburseId");
        payout.custRefNumber = text(answer, "custRefNumber");
        payout.accountName = text(answer, "accountName");
        payout.inquiryAttempts++;
        payout.stage = Stage.INQUIRED;
        payout.status = Payout.PENDING;
        payout.responseCode = code == null ? payout.responseCode : code;
        payout.responseDesc = desc == null ? payout.responseDesc : desc;
        payout.reason = null;
        payout.unwrittenInquiry = new Payout.UnwrittenInquiry(stored, code, desc);
    }

    /** The columns an unwritten inquiry sets, in {@link #compareAndSet}'s update. */
    private static final String INQUIRY_SET = "provider_reference = ?, cust_ref_number = ?, account_name = ?,"
            + " inquiry_attempts = inquiry_attempts + 1";

    /**
     * Writes the copy's unwritten inquiry on its own, as it was recorded before inquiries were
     * written with the next change (for a change it cannot join: one that does not start at INQUIRED,
     * or sets the inquiry's columns itself). Not flushed on its own, as before.
     */
    private void writeInquiry(Payout payout) {
        Payout.UnwrittenInquiry inquiry = payout.unwrittenInquiry;
        payout.unwrittenInquiry = null;
        payout.stage = inquiry.storedStage();
        Map<String, Object> answer = new java.util.HashMap<>();
        answer.put("responseCode", inquiry.code());
        answer.put("responseDesc", inquiry.description());
        Durability.deferred(() -> transition(payout, inquiry.storedStage(), Stage.INQUIRED, Payout.PENDING, answer,
                null, "inquiry succeeded", false, INQUIRY_SET, payout.providerReference, payout.custRefNumber,
                payout.accountName));
    }

    /**
     * An inquiry that may be asked again later (it moves no money). After the last scheduled
     * attempt the payout fails with the given reason.
     */
    public void retryInquiry(@Variable("payout") Payout payout, @Variable("answer") Map<String, Object> answer,
            @Variable("reason") String reason, @Variable("inquirySchedule") String schedule) {
        int attempt = payout.inquiryAttempts + 1;
        // a provider's own schedule (e.g. Durianpay's "2s,10s,30s,1m,5m"), else payouts.inquiry.backoff
        List<Duration> backoff = schedule == null || schedule.isBlank() ? policy.inquiryBackoff()
                : Arrays.stream(schedule.split(",")).map(String::trim)
                        .map(text -> Duration.ofMillis(org.apache.camel.util.TimeUtils.toMilliSeconds(text))).toList();
        payout.inquiryAttempts = attempt;
        if (attempt > backoff.size()) {
            transition(payout, payout.stage, Stage.FINAL, Payout.FAILED, answer,
                    reason + " (after " + attempt + " inquiries)", "failed", "inquiry_attempts = ?", attempt);
            return;
        }
        Instant next = clock.instant().plus(backoff.get(attempt - 1));
        // lost to a crash, the inquiry is only asked again sooner (a failure after the last one is durable)
        Durability.deferred(() -> transition(payout, payout.stage, Stage.NEW, Payout.PENDING, answer, reason,
                "inquiry will be retried", true, "inquiry_attempts = ?, next_action_at = ?", attempt, at(next)));
    }

    /**
     * Claims the one and only transfer of this payout. True for exactly one caller ever: the
     * stage moves INQUIRED to TRANSFER_SENT before a byte is sent, so a crash after this point
     * leads to a status inquiry, never to a second transfer.
     */
    public boolean claimTransfer(@Variable("payout") Payout payout) {
        return claimMoneyMovingCall(payout, Stage.INQUIRED, "transfer sent");
    }

    /** Cash out has no inquiry: its one call moves the money, so it is claimed straight from NEW. */
    public boolean claimCashOut(@Variable("payout") Payout payout) {
        return claimMoneyMovingCall(payout, Stage.NEW, "cash out sent");
    }

    /**
     * The claim itself: one compare-and-set from {@code from} to TRANSFER_SENT, on the version the
     * worker holds, only while the payout's provider is not paused. A cancel (a person's) and this
     * claim are compare-and-sets on the same row: one of them wins, never both. Nor is it claimed
     * once its batch was cancelled: a claim committed before the batch's cancel stands (it may have
     * been sent); one after it is refused and the payout ends CANCELLED by that cancel, nothing sent.
     * A claim refused because the provider was paused meanwhile puts the payout on hold instead.
     */
    private boolean claimMoneyMovingCall(Payout payout, Stage from, String detail) {
        Instant now = clock.instant();
        boolean claimed = compareAndSet(payout, from, Stage.TRANSFER_SENT, Payout.PENDING, Map.of(), null, detail, false,
                null, PROVIDER_NOT_PAUSED + " AND " + BATCH_NOT_CANCELLED, Collections.singletonList(payout.provider),
                "transfer_attempts = transfer_attempts + 1, transfer_sent_at = ?, next_action_at = ?", at(now),
                at(now.plus(policy.statusCheckAfter())));
        if (claimed) {
            payout.transferSentAt = now;
        } else if (!cancelWithItsBatch(payout)) {
            String hold = ProviderPauses.holdFor(dataSource, payout.provider);
            if (hold != null) {
                hold(payout, hold, ProviderPauses.holdReason(payout.provider, hold));
            }
        }
        return claimed;
    }

    /** An operator's cancel of a whole batch: who, when, with what note. */
    record BatchCancel(Instant at, String by, String note) {
        /** The reason of a payout this cancel ends (its operator's name and note). */
        String reason() {
            return "cancelled by " + by + " with its batch" + (note == null || note.isBlank() ? "" : ": " + note);
        }
    }

    /**
     * Marks the batch cancelled (durable, before its payouts are cancelled): from the commit on, no
     * transfer of its payouts is claimed. False when it was marked before (the first cancel stands).
     */
    boolean markBatchCancelled(String batchId, String by, String note) {
        return update("UPDATE payout_batches SET cancelled_at = ?, cancelled_by = ?, cancel_note = ? WHERE id = ?"
                + " AND cancelled_at IS NULL", at(clock.instant()), by, note, batchId) == 1;
    }

    /** The cancel of the batch, or null when it was not cancelled (or is no batch). */
    BatchCancel batchCancel(String batchId) {
        if (batchId == null) {
            return null;
        }
        try (Connection db = dataSource.getConnection(); PreparedStatement select = db.prepareStatement(
                "SELECT cancelled_at, cancelled_by, cancel_note FROM payout_batches WHERE id = ?"
                        + " AND cancelled_at IS NOT NULL")) {
            select.setString(1, batchId);
            try (ResultSet row = select.executeQuery()) {
                BatchCancel cancel = row.next() ? new BatchCancel(row.getObject(1, OffsetDateTime.class).toInstant(),
                        row.getString(2), row.getString(3)) : null;
                if (cancel != null) {
                    if (cancelledBatches.size() >= LISTED_BATCHES_KEPT) {
                        cancelledBatches.clear();
                    }
                    cancelledBatches.put(batchId, cancel);
                }
                return cancel;
            }
        } catch (SQLException e) {
            throw new LedgerException("could not read batch " + batchId, e);
        }
    }

    /**
     * A step refused because the payout's batch was cancelled (its transfer claim, its lease, a wait
     * it was to begin): the payout ends CANCELLED as the operator's cancel would have ended it (their
     * name and note, cause operator), nothing sent. Only before any money-moving call was claimed
     * (a transfer claimed, perhaps sent, settles as usual). False when its batch was not cancelled,
     * or the payout moved meanwhile.
     */
    private boolean cancelWithItsBatch(Payout payout) {
        if (payout.stage != Stage.NEW && payout.stage != Stage.INQUIRED && payout.stage != Stage.APPROVAL) {
            return false;
        }
        BatchCancel cancel = batchCancel(payout.batchId);
        return cancel != null && compareAndSet(payout.changedBy(Payout.OPERATOR, cancel.by(), cancel.note()),
                payout.stage, Stage.FINAL, Payout.CANCELLED, Map.of(), cancel.reason(), "cancelled", true, null, null,
                null);
    }

    /**
     * A wait the payout begins before anything is sent (approval, a paused provider, Bank Indonesia's
     * window): only while its batch is not cancelled. A wait that began after the cancel's listing
     * would last until approval expires or the provider is resumed: the payout ends CANCELLED by the
     * cancel instead ({@link #cancelWithItsBatch}).
     */
    private void beginWait(Payout payout, Stage to, String status, String reason, String detail, String hold,
            String extraSet, Object... extraValues) {
        if (!compareAndSet(payout, payout.stage, to, status, Map.of(), reason, detail, true, hold, BATCH_NOT_CANCELLED,
                extraSet, extraValues) && payout.batchId != null) {
            cancelWithItsBatch(payout);
        }
    }

    /**
     * Duitku issued the cash-out token: the outcome comes by callback when the customer collects.
     * The custRefNumber Duitku answers is kept: we send our reference as it, but the document makes
     * it optional and answers one, and the callback names (and signs) the one Duitku answered.
     */
    public void recordCashOut(@Variable("payout") Payout payout, @Variable("answer") Map<String, Object> answer,
            @Variable("reason") String reason) {
        payout.providerReference = id(answer, "disburseId");
        payout.token = id(answer, "token");
        payout.pin = text(answer, "pin");
        payout.accountName = text(answer, "accountName");
        payout.custRefNumber = id(answer, "custRefNumber");
        if (!transition(payout, Stage.TRANSFER_SENT, Stage.TRANSFER_SENT, Payout.PENDING, answer, reason,
                "token issued", true,
                "provider_reference = ?, token = ?, pin = ?, account_name = ?, cust_ref_number = ?, next_action_at = ?",
                payout.providerReference, payout.token, payout.pin, payout.accountName, payout.custRefNumber,
                at(clock.instant().plus(policy.callbackWait())))) {
            recordCashOutAfterItsCallback(payout, answer);
        }
    }

    /**
     * The cash out's callback came before its answer (Duitku may call back at once) and moved the
     * payout on: its status stays as the callback left it, but the token, PIN and ids the answer
     * brings are still the payout's (the merchant delivers the token), kept beside it.
     */
    private void recordCashOutAfterItsCallback(Payout payout, Map<String, Object> answer) {
        Payout current = find(payout.getReference());
        if (current == null) {
            return;
        }
        current.changedBy(payout.cause, null, null);
        updateWithEvent("UPDATE payouts SET token = ?, pin = ?,"
                + " provider_reference = COALESCE(provider_reference, ?), account_name = COALESCE(account_name, ?),"
                + " cust_ref_number = COALESCE(cust_ref_number, ?) WHERE reference = ? AND token IS NULL",
                new Object[] {payout.token, payout.pin, payout.providerReference, payout.accountName,
                    payout.custRefNumber, payout.getReference()},
                current, current.stage, current.status, answer, "token issued (its callback came first)",
                clock.instant(), "the cash out");
        forgetKept(payout);
    }

    /**
     * A fact written beside a payout's status: one UPDATE and, when it changed the payout, its line
     * in the history, in one transaction. Returns whether it changed the payout.
     */
    private boolean updateWithEvent(String sql, Object[] values, Payout payout, Stage stage, String status,
            Map<String, Object> answer, String detail, Instant at, String what) {
        try (Connection db = dataSource.getConnection()) {
            db.setAutoCommit(false);
            int updated;
            try (PreparedStatement update = db.prepareStatement(sql)) {
                bind(update, values);
                updated = update.executeUpdate();
            }
            if (updated == 1) {
                PayoutEvents.append(db, payout, stage, status, text(answer, "responseCode"),
                        text(answer, "responseDesc"), detail, at, null);
            }
            db.commit();
            return updated == 1;
        } catch (SQLException e) {
            throw new LedgerException("could not record " + what + " of payout " + payout.getReference(), e);
        }
    }

    /** LLG/RTGS outside Bank Indonesia's window: the payout waits, PENDING, until it opens. */
    public void waitForWindow(@Variable("payout") Payout payout, @Variable("opensIn") Duration opensIn,
            @Variable("reason") String reason) {
        beginWait(payout, payout.stage, Payout.PENDING, reason, "waiting for the window", Payout.HOLD_BANK_WINDOW,
                "next_action_at = ?", at(clock.instant().plus(opensIn)));
    }

    /**
     * The payout waits before anything is sent ({@code hold}: its provider is paused, by a person
     * or for lack of funds): PENDING, held, looked at again only when the provider is resumed
     * ({@link ProviderPauses#resume}; the reconciler releases any it missed).
     */
    public void hold(@Variable("payout") Payout payout, @Variable("hold") String hold,
            @Variable("reason") String reason) {
        if (!Payout.HOLDS.contains(hold)) {
            throw new IllegalArgumentException("not a hold: " + hold);
        }
        beginWait(payout, payout.stage, Payout.PENDING, reason, "held: " + hold, hold, "next_action_at = NULL");
    }

    /**
     * Maker-checker: the payout waits for a key with the approve role other than its submitter's
     * ({@link OperatorActions#approve}); nothing is sent meanwhile, not even the inquiry. Past
     * payouts.approval.expires-after it ends REJECTED ({@link OperatorActions#expireApprovals}).
     */
    public void awaitApproval(@Variable("payout") Payout payout, @Variable("reason") String reason) {
        beginWait(payout, Stage.APPROVAL, Payout.AWAITING_APPROVAL, reason, "awaiting approval", null,
                "next_action_at = ?", at(clock.instant().plus(policy.approvalExpiresAfter())));
    }

    /**
     * The provider refused the transfer for lack of funds, and its balance confirms it: the one
     * case where a claim is undone. The refusal is documented as made before anything happened
     * (Duitku {@code -510}: the balance is validated before the transfer is executed; SNAP
     * {@code 403xx14} Insufficient Funds), so the money did not move, as for a FAILED payout; but
     * instead of failing (and the rest of a payroll failing after it), the payout goes back to the
     * start, held until its provider is resumed after a top-up: the inquiry is asked again (a new
     * disburseId) and the transfer claimed again, once. Only that answer undoes a claim.
     */
    public void holdForFunds(@Variable("payout") Payout payout, @Variable("answer") Map<String, Object> answer,
            @Variable("reason") String reason) {
        String code = text(answer, "responseCode");
        if (!isInsufficientFunds(code)) {
            throw new IllegalStateException("payout " + payout.getReference() + ": a transfer claim is undone only"
                    + " after a refusal for insufficient funds, not after " + code);
        }
        String refused = payout.providerReference;
        if (compareAndSet(payout, Stage.TRANSFER_SENT, Stage.NEW, Payout.PENDING, answer, reason,
                "transfer refused for lack of funds (" + (refused == null ? "" : "disburseId " + refused + ", ")
                        + "nothing moved): its claim is undone; inquiry and transfer again once resumed", true,
                Payout.HOLD_INSUFFICIENT_FUNDS, null, "transfer_attempts = transfer_attempts - 1,"
                        + " transfer_sent_at = NULL, acknowledged_at = NULL, provider_reference = NULL,"
                        + " cust_ref_number = NULL, inquiry_attempts = 0, next_action_at = NULL")) {
            payout.transferSentAt = null;
            payout.acknowledgedAt = null;
            payout.providerReference = null;
            payout.custRefNumber = null;
            payout.inquiryAttempts = 0;
        }
    }

    /** Duitku's -510 and SNAP's 403xx14 (Insufficient Funds, any service code). */
    static boolean isInsufficientFunds(String code) {
        return "-510".equals(code) || code != null && code.matches("403\\d\\d14");
    }

    /** The payout Duitku knows by this disburseId, or null. */
    public Payout findByProviderReference(String providerReference) {
        List<Payout> found = query("SELECT " + COLUMNS + " FROM payouts WHERE provider_reference = ?",
                providerReference);
        return found.isEmpty() ? null : found.get(0);
    }

    /**
     * {@link #findByProviderReference} for a provider's callback: a payout a callback found final
     * before is not read again ({@link FinalPayouts}); what the callback compares never changes on it.
     */
    public Payout findByProviderReferenceForCallback(String providerReference) {
        return finalByProviderReference.orRead(providerReference, this::findByProviderReference);
    }

    /**
     * {@link #findByProviderReferenceForCallback} for a Duitku callback, which names its kind by
     * where it arrives: a cash out's ({@code cashOut}) or a transfer's (clearing). Cash out runs on
     * its own Duitku host, so its disburseIds may meet a transfer's: of the payouts Duitku knows by
     * this disburseId, the one of the callback's kind; when there is none of that kind, any (which
     * the callback may then not touch), or null.
     */
    public Payout findByDisburseIdForCallback(String disburseId, boolean cashOut) {
        return finalByProviderReference.orRead(kindKey(disburseId, cashOut), key -> {
            List<Payout> found = query("SELECT " + COLUMNS + " FROM payouts WHERE provider_reference = ?", disburseId);
            return found.stream().filter(payout -> "CASHOUT".equals(payout.method) == cashOut).findFirst()
                    .orElse(found.isEmpty() ? null : found.get(0));
        });
    }

    private static String kindKey(String disburseId, boolean cashOut) {
        return disburseId == null ? null : (cashOut ? "cashout " : "transfer ") + disburseId;
    }

    /** {@link #find} for a provider's callback, as {@link #findByProviderReferenceForCallback}. */
    public Payout findForCallback(String reference) {
        return finalByReference.orRead(reference, this::find);
    }

    /** A fact was written beside the payout's status: callbacks read it again. */
    private void forgetKept(Payout payout) {
        finalByReference.forget(payout.getReference());
        finalByProviderReference.forget(payout.providerReference);
        finalByProviderReference.forget(kindKey(payout.providerReference, true));
        finalByProviderReference.forget(kindKey(payout.providerReference, false));
    }

    /** The transfer's outcome is not known yet: keep it PENDING and ask the status API later. */
    public void awaitStatus(@Variable("payout") Payout payout, @Variable("answer") Map<String, Object> answer,
            @Variable("reason") String reason) {
        Instant next = clock.instant().plus(policy.statusCheckAfter());
        afterTransfer(payout, () -> transition(payout, Stage.TRANSFER_SENT, Stage.TRANSFER_SENT, Payout.PENDING,
                answer, reason, "awaiting status", POSTPONE, payout.failureClaims, at(next)));
    }

    /**
     * As {@link #awaitStatus}, after an answer that says the provider has the transfer though its
     * outcome is not known (Duitku's "do not retry" answers TO, 68, -100): acknowledged, so that a
     * later "not found" is no evidence that it failed ({@link #transferNotFound}). Not deferred: the
     * acknowledgement is what keeps a later "not found" from failing it.
     */
    public void awaitStatusAcknowledged(@Variable("payout") Payout payout, @Variable("answer") Map<String, Object> answer,
            @Variable("reason") String reason) {
        Instant next = clock.instant().plus(policy.statusCheckAfter());
        payout.acknowledgedAt = payout.acknowledgedAt == null ? clock.instant() : payout.acknowledgedAt;
        transition(payout, Stage.TRANSFER_SENT, Stage.TRANSFER_SENT, Payout.PENDING, answer, reason, "awaiting status",
                POSTPONE + ", acknowledged_at = COALESCE(acknowledged_at, ?)", payout.failureClaims, at(next),
                at(payout.acknowledgedAt));
    }

    /**
     * A status inquiry answered "still in progress". Recorded in the history only when the answer
     * changed, so a payout that waits long does not fill it with identical checks.
     */
    public void stillPending(@Variable("payout") Payout payout, @Variable("answer") Map<String, Object> answer,
            @Variable("reason") String reason) {
        afterTransfer(payout, () -> {
            checkedAgainLater(payout, answer, reason, policy.statusCheckAfter());
            return true;
        });
    }

    /**
     * A status inquiry says the provider is waiting for the bank's callback: the provider has the
     * transfer (see {@link #transferNotFound}); ask again only much later.
     */
    public void stillAwaitingCallback(@Variable("payout") Payout payout, @Variable("answer") Map<String, Object> answer,
            @Variable("reason") String reason) {
        acknowledge(payout);
        checkedAgainLater(payout, answer, reason, policy.callbackWait());
    }

    /**
     * The provider refuses the status inquiry this payout can make (Durianpay's needs the transfer's
     * referenceNo, which only its lost answer carried): the callback is the way to learn the
     * outcome, so the status is asked again only after payouts.reconcile.callback-wait, not at every
     * round. Not acknowledged (nothing says the provider has the transfer), and never failed for it;
     * a payout nobody hears about is flagged for review after payouts.reconcile.review-after.
     */
    public void statusNotAskable(@Variable("payout") Payout payout, @Variable("answer") Map<String, Object> answer,
            @Variable("reason") String reason) {
        afterTransfer(payout, () -> {
            checkedAgainLater(payout, answer, reason, policy.callbackWait());
            return true;
        });
    }

    /**
     * A payout whose outcome comes only by the provider's callback (a cash out: Duitku documents no
     * status inquiry for it): nothing to ask, so the reconciler only looks again after
     * payouts.reconcile.callback-wait. Its reason and history stay as they are; one nobody hears
     * from is flagged for review after payouts.reconcile.review-after ({@link #flagOverdueForReview}).
     */
    public void keepWaitingForCallback(@Variable("payout") Payout payout) {
        update("UPDATE payouts SET " + POSTPONE + ", lease_until = NULL, version = version + 1"
                + " WHERE reference = ? AND version = ? AND stage = 'TRANSFER_SENT'", payout.failureClaims,
                at(clock.instant().plus(policy.callbackWait())), payout.getReference(), payout.version);
        payout.version++;
    }

    /**
     * A failure claim that cannot be confirmed (a Duitku cash-out callback {@code 01}: its signature
     * does not cover the status, and Duitku documents no status inquiry for cash outs). The payout
     * stays PENDING, the claim is recorded in its history, and it is flagged for review now, with
     * an outcome that says so: a person decides, since a false FAILED would invite paying again.
     * Applied to the payout as it is now when a worker moved it meanwhile; nothing when it is final,
     * or when it is held already and a callback claimed this code before.
     */
    public void holdForReview(@Variable("payout") Payout payout, @Variable("answer") Map<String, Object> answer,
            @Variable("reason") String reason) {
        String code = text(answer, "responseCode");
        applyToCurrent(payout, current -> {
            if (current.reviewRequired && (Objects.equals(reason, current.reason)
                    || code != null && claimedByCallback(current.getReference(), List.of(code)))) {
                // held already: the provider repeating itself, or claims taking turns (each is in the
                // history once; a sender of the same callback again and again grows nothing)
                return true;
            }
            current.reviewRequired = true;
            // the lease is a worker's, if any: a callback leaves it alone
            return transition(current, current.stage, current.stage, Payout.PENDING, answer, reason, "held for review",
                    false, "review_required = TRUE");
        });
    }

    /**
     * A verified callback claims the transfer failed; only the status API may confirm it, and the
     * callback is answered before that is asked (a provider that waits for our answer before it
     * serves anything else would wait for our timeout). The claim is recorded in the history and on
     * the PENDING payout, which is made due now: durable before the callback is answered, so that a
     * crash after the answer still leaves it for the reconciler's status inquiry. The provider's
     * reference of the transfer, from the callback's signed words, is kept when the transfer's own
     * answer was lost, for that inquiry.
     *
     * Every claim, a repeat included, counts ({@code failure_claims}) and makes the payout due now: a
     * worker that read the payout before it (its status inquiry may have been asked before the claim)
     * does not put the next inquiry off ({@link #POSTPONE}), so a genuine failure that comes while a
     * worker asks about an earlier, forged one is asked about at the reconciler's next round.
     * Returns whether it is a new claim (its line in the history; hand it to the workers): false for
     * a payout no longer PENDING or a repeat of a claim still waiting for its inquiry. The version
     * stays: a worker's change in flight still lands.
     */
    public boolean recordFailureClaim(@Variable("payout") Payout payout, @Variable("answer") Map<String, Object> answer,
            @Variable("reason") String reason) {
        Instant now = clock.instant();
        String reference = text(answer, "providerReference");
        String sent = " WHERE reference = ? AND stage = 'TRANSFER_SENT' AND status = 'PENDING'";
        boolean recorded = updateWithEvent("UPDATE payouts SET " + CLAIMED + ", reason = ?, updated_at = ?" + sent
                + " AND (reason IS NULL OR reason <> ?)",
                new Object[] {at(now), reference, reason, at(now), payout.getReference(), reason},
                payout, Stage.TRANSFER_SENT, Payout.PENDING, answer, reason, now, "the failure claim");
        if (recorded) {
            payout.reason = reason;
            payout.updatedAt = now;
        }
        if (recorded || update("UPDATE payouts SET " + CLAIMED + sent, at(now), reference, payout.getReference()) == 1) {
            payout.providerReference = firstNonNull(payout.providerReference, reference);
        }
        return recorded;
    }

    /** What every failure claim sets: counted, due now, and the provider's reference when the payout has none. */
    private static final String CLAIMED = "failure_claims = failure_claims + 1, next_action_at = ?,"
            + " provider_reference = COALESCE(provider_reference, ?)";

    /**
     * How a worker puts a transfer's next status inquiry off: only when no failure claim came since
     * it read the payout; after one, the payout stays due now (the claim made it so). Bound to the
     * worker's count of claims, then the time.
     */
    private static final String POSTPONE = "next_action_at = CASE WHEN failure_claims = ? THEN ? ELSE next_action_at END";

    /**
     * A provider's claim that changes nothing now (a Duitku success callback after a failure claim,
     * which its status answer did not settle) is kept in the payout's history, cause
     * {@code callback}, its status as it is, for the person who reviews it. Nothing when the payout
     * is final, or when this code was claimed already (the provider repeating itself).
     */
    public void recordClaim(Payout payout, Map<String, Object> answer, String detail) {
        String code = text(answer, "responseCode");
        Payout current = find(payout.getReference());
        if (current == null || current.isFinal() || code == null || claimedByCallback(payout.getReference(),
                List.of(code))) {
            return;
        }
        try (Connection db = dataSource.getConnection()) {
            db.setAutoCommit(false);
            PayoutEvents.append(db, current.changedBy(Payout.CALLBACK, null, null), current.stage, current.status, code,
                    text(answer, "responseDesc"), detail, clock.instant(), null);
            db.commit();
        } catch (SQLException e) {
            throw new LedgerException("could not record a claim about payout " + payout.getReference(), e);
        }
    }

    /**
     * Whether a provider's callback claimed the payout's transfer failed (one of {@code codes}). A
     * transfer's failure claims are counted on its row ({@code failure_claims}), read with it: no
     * further read. A cash out's (held for review, never counted) are in its history only.
     */
    public boolean failureClaimed(Payout payout, java.util.Collection<String> codes) {
        return payout.failureClaims > 0
                || "CASHOUT".equals(payout.getMethod()) && claimedByCallback(payout.getReference(), codes);
    }

    /** Whether a provider's callback claimed one of these codes for the payout (its history says so). */
    public boolean claimedByCallback(String reference, java.util.Collection<String> codes) {
        Set<String> claimed = codesClaimedByCallback(reference);
        return codes.stream().anyMatch(claimed::contains);
    }

    /** The codes the payout's history records from providers' callbacks (a few lines at most). */
    public Set<String> codesClaimedByCallback(String reference) {
        Set<String> codes = new java.util.HashSet<>();
        try (Connection db = dataSource.forReads().getConnection();
                PreparedStatement select = db.prepareStatement("SELECT DISTINCT response_code FROM payout_events"
                        + " WHERE reference = ? AND cause = ? AND response_code IS NOT NULL")) {
            bind(select, reference, Payout.CALLBACK);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    codes.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("could not read the history of payout " + reference, e);
        }
        return codes;
    }

    private void checkedAgainLater(Payout payout, Map<String, Object> answer, String reason, Duration wait) {
        payout.statusChecks++;
        String code = text(answer, "responseCode");
        Instant next = clock.instant().plus(wait);
        boolean changed = !java.util.Objects.equals(code, payout.responseCode)
                || !java.util.Objects.equals(reason, payout.reason);
        if (!changed) {
            update("UPDATE payouts SET status_checks = status_checks + 1, " + POSTPONE + ", lease_until = NULL,"
                    + " version = version + 1 WHERE reference = ? AND version = ? AND stage = 'TRANSFER_SENT'",
                    payout.failureClaims, at(next), payout.getReference(), payout.version);
            payout.version++;
            return;
        }
        transition(payout, Stage.TRANSFER_SENT, Stage.TRANSFER_SENT, Payout.PENDING, answer, reason,
                "status still pending", true, "status_checks = status_checks + 1, " + POSTPONE,
                payout.failureClaims, at(next));
    }

    /**
     * The provider will tell the outcome by callback (H2H answered 80): its status is asked only
     * after payouts.reconcile.callback-wait, the callback being the expected way.
     */
    public void awaitCallback(@Variable("payout") Payout payout, @Variable("answer") Map<String, Object> answer,
            @Variable("reason") String reason) {
        Instant next = clock.instant().plus(policy.callbackWait());
        String reference = text(answer, "providerReference");
        if (reference != null) {
            payout.providerReference = reference;
        }
        payout.acknowledgedAt = payout.acknowledgedAt == null ? clock.instant() : payout.acknowledgedAt;
        transition(payout, Stage.TRANSFER_SENT, Stage.TRANSFER_SENT, Payout.PENDING, answer, reason,
                "awaiting callback", POSTPONE + ", provider_reference = COALESCE(?, provider_reference),"
                        + " acknowledged_at = COALESCE(acknowledged_at, ?)",
                payout.failureClaims, at(next), reference, at(payout.acknowledgedAt));
    }

    /** The provider said it has the transfer (its outcome comes by callback). */
    private void acknowledge(Payout payout) {
        if (payout.acknowledgedAt == null) {
            payout.acknowledgedAt = clock.instant();
            update("UPDATE payouts SET acknowledged_at = COALESCE(acknowledged_at, ?) WHERE reference = ?",
                    at(payout.acknowledgedAt), payout.getReference());
        }
    }

    /**
     * The provider's own ids of the transfer, from a status answer that describes it: its
     * {@code transactionId}, {@code referenceNumber} and, when the transfer's own answer was lost,
     * its {@code originalReferenceNo} (the providerReference). Kept on the payout and, when new, in
     * its history. Facts added beside the status: the payout's version does not change, so the
     * status change that follows is not disturbed.
     */
    public void recordTransferIds(@Variable("payout") Payout payout, @Variable("answer") Map<String, Object> answer) {
        String transactionId = firstNonNull(payout.transactionId, text(answer, "transactionId"));
        String referenceNumber = firstNonNull(payout.referenceNumber, text(answer, "referenceNumber"));
        String providerReference = firstNonNull(payout.providerReference, text(answer, "originalReferenceNo"));
        if (java.util.Objects.equals(transactionId, payout.transactionId)
                && java.util.Objects.equals(referenceNumber, payout.referenceNumber)
                && java.util.Objects.equals(providerReference, payout.providerReference)) {
            return;
        }
        Instant now = clock.instant();
        try (Connection db = dataSource.getConnection()) {
            db.setAutoCommit(false);
            try (PreparedStatement update = db.prepareStatement("UPDATE payouts SET transaction_id = ?,"
                    + " reference_number = ?, provider_reference = ? WHERE reference = ?")) {
                bind(update, transactionId, referenceNumber, providerReference, payout.getReference());
                update.executeUpdate();
            }
            PayoutEvents.append(db, payout, payout.stage, payout.status, text(answer, "responseCode"),
                    text(answer, "responseDesc"), "provider ids: referenceNo " + providerReference + ", transactionId "
                            + transactionId + ", referenceNumber " + referenceNumber, now, null);
            db.commit();
        } catch (SQLException e) {
            throw new LedgerException("could not record the transfer ids of payout " + payout.getReference(), e);
        }
        payout.transactionId = transactionId;
        payout.referenceNumber = referenceNumber;
        payout.providerReference = providerReference;
        forgetKept(payout);
    }

    private static String firstNonNull(String kept, String offered) {
        return kept != null ? kept : offered;
    }

    /**
     * The provider does not know the transfer. Right after sending that may just be lag, so the
     * payout fails only once the transfer has been unknown for the configured grace period, and
     * only while the send itself is in doubt: once the provider acknowledged the transfer (it said
     * the outcome comes by callback, or not to send it again), "not found" is no evidence that money did not move, and the
     * payout waits for the callback or for a person (review after payouts.reconcile.review-after).
     */
    public void transferNotFound(@Variable("payout") Payout payout, @Variable("answer") Map<String, Object> answer,
            @Variable("reason") String reason) {
        Instant sent = payout.transferSentAt == null ? Instant.EPOCH : payout.transferSentAt;
        if (payout.acknowledgedAt != null) {
            checkedAgainLater(payout, answer, reason + "; the provider acknowledged the transfer earlier, so this is"
                    + " no evidence that it failed: waiting for its callback, its status or a person", policy.callbackWait());
        } else if (clock.instant().isAfter(sent.plus(policy.notFoundGrace()))) {
            fail(payout, answer, reason);
        } else {
            stillPending(payout, answer, reason + "; waiting before treating it as failed");
        }
    }

    public void succeed(@Variable("payout") Payout payout, @Variable("answer") Map<String, Object> answer) {
        if (!afterTransfer(payout, () -> transition(payout, payout.stage, Stage.FINAL, Payout.SUCCEEDED, answer, null,
                "succeeded", null))) {
            lateSuccessIfEndedFailed(payout, answer);
        }
    }

    /**
     * A success (the worker's, or a callback's) lost its compare-and-set: someone ended the payout
     * meanwhile. When that was FAILED (a person's resolution, while the worker was asking the
     * provider or the callback was on its way), the provider's word that the money went out is late
     * evidence: kept as a conflict, never dropped. Returns true when it raised the conflict.
     */
    private boolean lateSuccessIfEndedFailed(Payout payout, Map<String, Object> answer) {
        Payout current = find(payout.getReference());
        if (current == null || !Payout.FAILED.equals(current.status)) {
            return false;
        }
        current.changedBy(payout.cause, null, null);
        boolean raised = recordConflict(current, answer, "LATE_SUCCESS", "the provider says the transfer succeeded"
                + " after the payout was ended FAILED");
        if (raised) {
            LOG.error("CONFLICT LATE_SUCCESS on payout {} ({} {}): the provider's answer says the transfer succeeded"
                    + " ({}) after the payout was ended FAILED. It stays FAILED, flagged for review; the merchant's"
                    + " outcome says conflict LATE_SUCCESS.", current.getReference(), current.provider,
                    current.providerReference, text(answer, "responseCode"));
        }
        return raised;
    }

    /**
     * Settled by the provider's (verified) callback; the history says so. The callback may arrive
     * while a worker is moving the same payout on: then it is read again and applied, as long as
     * the payout is still PENDING. When it was ended FAILED meanwhile (a person's resolution, or a
     * confirmed failure, between the callback's read and this change), the provider's word that
     * the money went out is late evidence, kept as a conflict: dropped, the merchant would be told
     * FAILED while the provider, answered SUCCESS, never calls back. Returns true when it raised
     * that conflict.
     */
    public boolean succeedByCallback(@Variable("payout") Payout payout, @Variable("answer") Map<String, Object> answer) {
        if (applyToCurrent(payout, current -> afterTransfer(current, () -> transition(current, current.stage,
                Stage.FINAL, Payout.SUCCEEDED, answer, null, "succeeded by callback",
                "provider_reference = COALESCE(provider_reference, ?)", text(answer, "providerReference"))))) {
            return false;
        }
        return lateSuccessIfEndedFailed(payout, answer);
    }

    /**
     * For callbacks, which arrive whenever the provider sends them (no lease): applies a change to
     * the payout, reading it again when a worker moved it on meanwhile, as long as it is not final.
     * Returns whether the change was applied.
     */
    private boolean applyToCurrent(Payout payout, Predicate<Payout> change) {
        Payout current = payout;
        for (int attempt = 0; attempt < 5 && !current.isFinal(); attempt++) {
            if (change.test(current)) {
                if (current != payout) {
                    payout.stage = current.stage;
                    payout.status = current.status;
                    payout.reviewRequired = current.reviewRequired;
                    payout.version = current.version;
                }
                return true;
            }
            current = find(payout.getReference());
            if (current == null) {
                return false;
            }
        }
        return false;
    }

    public void fail(@Variable("payout") Payout payout, @Variable("answer") Map<String, Object> answer,
            @Variable("reason") String reason) {
        if (!afterTransfer(payout, () -> transition(payout, payout.stage, Stage.FINAL, Payout.FAILED, answer, reason,
                "failed", null))) {
            lateFailureIfEndedSucceeded(payout, answer, reason);
        }
    }

    /**
     * A failure lost its compare-and-set: someone ended the payout meanwhile. When that was
     * SUCCEEDED (a person's resolution, or a callback, while the worker was asking the provider),
     * the provider's word that the transfer failed is late evidence: kept as a conflict, never
     * dropped, so that somebody checks whether the beneficiary was paid.
     */
    private void lateFailureIfEndedSucceeded(Payout payout, Map<String, Object> answer, String reason) {
        Payout current = find(payout.getReference());
        if (current == null || !Payout.SUCCEEDED.equals(current.status)) {
            return;
        }
        current.changedBy(payout.cause, null, null);
        if (recordConflict(current, answer, "LATE_FAILURE", "the provider says the transfer failed after the payout"
                + " was ended SUCCEEDED" + (reason == null ? "" : ": " + reason))) {
            LOG.error("CONFLICT LATE_FAILURE on payout {} ({} {}): the provider's answer says the transfer failed"
                    + " ({}) after the payout was ended SUCCEEDED. It stays SUCCEEDED, flagged for review; the"
                    + " merchant's outcome says conflict LATE_FAILURE.", current.getReference(), current.provider,
                    current.providerReference, text(answer, "responseCode"));
        }
    }

    /**
     * A change a status inquiry re-derives after a crash, made without waiting for the disk: the
     * payout's transfer is claimed durably already (so a lost change leads to a status inquiry of
     * that transfer, never to a second one), and it is not a cash out (which has no status inquiry:
     * its changes stay durable). Anything else, e.g. a failure before the transfer, stays durable.
     */
    private boolean afterTransfer(Payout payout, Supplier<Boolean> change) {
        boolean rederivable = payout.stage == Stage.TRANSFER_SENT && !"CASHOUT".equals(payout.method);
        return rederivable ? Durability.deferred(change) : change.get();
    }

    /** The provider refused the inquiry for good (invalid account, limit, ...): counted, and failed. */
    public void refuseAtInquiry(@Variable("payout") Payout payout, @Variable("answer") Map<String, Object> answer,
            @Variable("reason") String reason) {
        payout.inquiryAttempts++;
        transition(payout, payout.stage, Stage.FINAL, Payout.FAILED, answer, reason, "failed",
                "inquiry_attempts = inquiry_attempts + 1");
    }

    /**
     * Late evidence: the provider now says the opposite of the payout's final status (a genuine
     * success for a FAILED payout, a failure for a SUCCEEDED one). Final stays final, but the merchant
     * must learn before paying again: the payout is flagged for review, the conflict is kept on it and
     * in its history, and an outcome that names it is forwarded. Returns false when this conflict was
     * recorded already (the provider repeating itself), so that it is raised once.
     */
    public boolean recordConflict(@Variable("payout") Payout payout, @Variable("answer") Map<String, Object> answer,
            @Variable("conflict") String conflict, @Variable("reason") String evidence) {
        if (!payout.isFinal()) {
            throw new IllegalStateException("payout " + payout.getReference() + " is not final: no conflict");
        }
        Instant now = clock.instant();
        try (Connection db = dataSource.getConnection()) {
            db.setAutoCommit(false);
            int flagged;
            try (PreparedStatement update = db.prepareStatement("UPDATE payouts SET conflict = ?, review_required = TRUE,"
                    + " updated_at = ?, version = version + 1 WHERE reference = ? AND stage = 'FINAL'"
                    + " AND (conflict IS NULL OR conflict <> ?)")) {
                bind(update, conflict, at(now), payout.getReference(), conflict);
                flagged = update.executeUpdate();
            }
            if (flagged == 1) {
                payout.conflict = conflict;
                payout.reviewRequired = true;
                payout.updatedAt = now;
                payout.version++;
                PayoutEvents.append(db, payout, Stage.FINAL, payout.status, text(answer, "responseCode"),
                        text(answer, "responseDesc"), evidence, now, conflict);
                outbox.enqueueIfNoticed(db, payout, now);
            }
            db.commit();
            if (flagged == 1) {
                forgetKept(payout);
            }
            return flagged == 1;
        } catch (SQLException e) {
            throw new LedgerException("could not record the conflict of payout " + payout.getReference(), e);
        }
    }

    public void reject(@Variable("payout") Payout payout, @Variable("reason") String reason) {
        transition(payout, payout.stage, Stage.FINAL, Payout.REJECTED, Map.of(), reason, "rejected", null);
    }

    /**
     * Flags payouts PENDING for longer than the review window, each with its outcome (a person must
     * look); returns how many are flagged in all.
     */
    public int flagOverdueForReview() {
        Instant now = clock.instant();
        for (Payout overdue : query("SELECT " + COLUMNS + " FROM payouts WHERE status = 'PENDING'"
                + " AND review_required = FALSE AND created_at < ?", at(now.minus(policy.reviewAfter())))) {
            flagForReview(overdue.changedBy(Payout.WORKER, null, null), now);
        }
        return countWhere("status = 'PENDING' AND review_required = TRUE");
    }

    /**
     * One overdue payout flagged, in the transaction of its outcome. Its version stays as it is: a
     * worker holding the payout goes on undisturbed (the flag is a fact beside its work).
     */
    private void flagForReview(Payout payout, Instant now) {
        try (Connection db = dataSource.getConnection()) {
            db.setAutoCommit(false);
            int flagged;
            try (PreparedStatement update = db.prepareStatement("UPDATE payouts SET review_required = TRUE,"
                    + " updated_at = ? WHERE reference = ? AND status = 'PENDING' AND review_required = FALSE")) {
                bind(update, at(now), payout.getReference());
                flagged = update.executeUpdate();
            }
            if (flagged == 1) {
                payout.reviewRequired = true;
                payout.updatedAt = now;
                PayoutEvents.append(db, payout, payout.stage, payout.status, null, null,
                        "flagged for review: PENDING longer than payouts.reconcile.review-after", now, null);
                outbox.enqueueIfNoticed(db, payout, now);
            }
            db.commit();
        } catch (SQLException e) {
            throw new LedgerException("could not flag payout " + payout.getReference() + " for review", e);
        }
    }

    /**
     * The highest all-digit provider reference of this provider's payouts (Duitku's disburseIds),
     * 0 when there is none: where a local twin started again on this ledger goes on numbering (the
     * twin is for development: this reads the provider's payouts, longest reference first).
     */
    public long highestNumericProviderReference(String provider) {
        return query("SELECT " + COLUMNS + " FROM payouts WHERE provider = ? AND provider_reference IS NOT NULL"
                + " ORDER BY LENGTH(provider_reference) DESC, provider_reference DESC FETCH FIRST 20 ROWS ONLY",
                provider).stream().map(Payout::getProviderReference)
                .filter(reference -> reference.length() <= 18 && reference.chars().allMatch(Character::isDigit))
                .mapToLong(Long::parseLong).findFirst().orElse(0);
    }

    public int countWhere(String condition) {
        try (Connection db = dataSource.getConnection();
                PreparedStatement count = db.prepareStatement("SELECT COUNT(*) FROM payouts WHERE " + condition);
                ResultSet rows = count.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        } catch (SQLException e) {
            throw new LedgerException("could not count payouts", e);
        }
    }

    /** The event history of one payout, oldest first: "stage status code detail" per line. */
    public List<String> history(String reference) {
        return PayoutEvents.lines(dataSource, reference);
    }

    /**
     * The reason of the payout's latest history line that begins with {@code prefix} (e.g. a
     * failure claim's, whose words the payout's reason no longer carries once a later answer
     * replaced it), or null.
     */
    public String lastReason(String reference, String prefix) {
        try (Connection db = dataSource.getConnection();
                PreparedStatement select = db.prepareStatement("SELECT detail FROM payout_events WHERE reference = ?"
                        + " AND detail LIKE ? ORDER BY reference DESC, id DESC FETCH FIRST 1 ROW ONLY")) {
            select.setString(1, reference);
            select.setString(2, prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new LedgerException("could not read the history of payout " + reference, e);
        }
    }

    // ---- outbox (PayoutOutbox) ----------------------------------------------------------------

    /** The oldest outcomes not yet delivered to {@code channel}, oldest first (the payout-outcomes block). */
    public PayoutOutbox.OutboxBatch outbox(String channel, int limit) {
        return outbox.read(channel, limit);
    }

    /** The channel took this outcome of the batch. */
    public void sent(PayoutOutbox.OutboxBatch batch, long outboxId) {
        batch.sent(outboxId);
    }

    /** Forgets the outcomes the channel has taken (delivery is at least once). */
    public void delivered(PayoutOutbox.OutboxBatch batch) {
        outbox.delivered(batch);
    }

    // ---- mechanics ----------------------------------------------------------------------

    /**
     * Moves a payout from one stage to another if (and only if) nobody else has moved it since it
     * was read, and never out of a final state. Releases the lease. Returns whether it moved.
     */
    private boolean transition(Payout payout, Stage from, Stage to, String status, Map<String, Object> answer,
            String reason, String detail, String extraSet, Object... extraValues) {
        return transition(payout, from, to, status, answer, reason, detail, true, extraSet, extraValues);
    }

    /**
     * As above; {@code release} false keeps the worker's lease, for steps in the middle of its
     * work (inquiry recorded, transfer claimed) so that nobody else picks the payout up meanwhile.
     * An outcome is emitted when {@link OutcomeRule} says the change is one its consumers act on.
     */
    private boolean transition(Payout payout, Stage from, Stage to, String status, Map<String, Object> answer,
            String reason, String detail, boolean release, String extraSet, Object... extraValues) {
        return compareAndSet(payout, from, to, status, answer, reason, detail, release, null, null, extraSet, extraValues);
    }

    /**
     * As above, the one compare-and-set every change of a payout goes through: {@code hold} is the
     * payout's hold after the change (null: it goes on), {@code condition} a further condition of
     * the compare-and-set (e.g. that its provider is not paused), or null.
     */
    boolean compareAndSet(Payout payout, Stage from, Stage to, String status, Map<String, Object> answer,
            String reason, String detail, boolean release, String hold, String condition, String extraSet,
            Object... extraValues) {
        return compareAndSet(payout, from, to, status, answer, reason, detail, release, hold, condition, List.of(),
                extraSet, extraValues);
    }

    /**
     * As above, {@code conditionValues} bound to the condition's parameters. Every change also writes
     * the provider and rail on the caller's copy when it has them ({@link #route} writes nothing of
     * its own): the same values for a copy read from the ledger, the routing's choice for a worker's.
     */
    private boolean compareAndSet(Payout payout, Stage from, Stage to, String status, Map<String, Object> answer,
            String reason, String detail, boolean release, String hold, String condition, List<Object> conditionValues,
            String extraSet, Object... extraValues) {
        Payout.UnwrittenInquiry inquiry = payout.unwrittenInquiry;
        if (inquiry != null && (from != Stage.INQUIRED || extraSet != null && (extraSet.contains("provider_reference")
                || extraSet.contains("cust_ref_number") || extraSet.contains("account_name")
                || extraSet.contains("inquiry_attempts")))) {
            writeInquiry(payout);
            inquiry = null;
        }
        Instant now = clock.instant();
        String code = text(answer, "responseCode");
        String desc = text(answer, "responseDesc");
        StringBuilder sql = new StringBuilder("UPDATE payouts SET stage = ?, status = ?, response_code = COALESCE(?,"
                + " response_code), response_desc = COALESCE(?, response_desc), reason = ?, updated_at = ?,"
                + " version = version + 1, hold = ?, provider = COALESCE(?, provider), method = COALESCE(?, method)");
        if (inquiry != null) {
            sql.append(", ").append(INQUIRY_SET);
        }
        if (release) {
            sql.append(", lease_until = NULL");
        }
        if (to == Stage.FINAL) {
            sql.append(", next_action_at = NULL");
        }
        if (extraSet != null) {
            sql.append(", ").append(extraSet);
        }
        sql.append(" WHERE reference = ? AND stage = ? AND status IN ('PENDING', 'AWAITING_APPROVAL') AND version = ?");
        if (condition != null) {
            sql.append(" AND ").append(condition);
        }
        List<Object> values = new ArrayList<>(List.of(to.name(), status));
        // the inquiry's code stays on the payout unless the change brings its own
        values.add(code == null && inquiry != null ? inquiry.code() : code);
        values.add(desc == null && inquiry != null ? inquiry.description() : desc);
        values.add(reason == null ? null : reason.length() <= 1000 ? reason : reason.substring(0, 1000));
        values.add(at(now));
        values.add(hold);
        values.add(payout.provider);
        values.add(payout.method);
        if (inquiry != null) {
            values.addAll(Arrays.asList(payout.providerReference, payout.custRefNumber, payout.accountName));
        }
        values.addAll(Arrays.asList(extraValues)); // values may be null (a field the provider left out)
        values.add(payout.getReference());
        values.add(inquiry != null ? inquiry.storedStage().name() : from.name());
        values.add(payout.version);
        values.addAll(conditionValues);
        try (Connection db = dataSource.getConnection()) {
            db.setAutoCommit(false);
            int moved;
            try (PreparedStatement update = db.prepareStatement(sql.toString())) {
                bind(update, values.toArray());
                moved = update.executeUpdate();
            }
            if (moved == 1) {
                if (inquiry != null) {
                    // the history as if the inquiry had been written on its own, just before
                    PayoutEvents.append(db, payout, Stage.INQUIRED, Payout.PENDING, inquiry.code(),
                            inquiry.description(), "inquiry succeeded", now, null);
                    payout.unwrittenInquiry = null;
                }
                payout.stage = to;
                payout.status = status;
                payout.responseCode = code == null ? payout.responseCode : code;
                payout.responseDesc = desc == null ? payout.responseDesc : desc;
                payout.reason = reason;
                payout.updatedAt = now;
                payout.version++;
                payout.hold = hold;
                PayoutEvents.append(db, payout, to, status, code, desc, reason == null ? detail : reason, now, null);
                outbox.enqueueIfNoticed(db, payout, now);
            }
            db.commit();
            if (moved == 1 && to == Stage.FINAL) {
                whenFinal.accept(payout);
            }
            return moved == 1;
        } catch (SQLException e) {
            throw new LedgerException("could not move payout " + payout.getReference() + " to " + to, e);
        }
    }

    private String fingerprintOf(String reference) {
        try (Connection db = dataSource.getConnection();
                PreparedStatement select = db.prepareStatement("SELECT fingerprint FROM payouts WHERE reference = ?")) {
            select.setString(1, reference);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new LedgerException("could not read payout " + reference, e);
        }
    }

    /** The payouts a statement selecting {@link PayoutRows#COLUMNS}, in that order, finds. */
    private List<Payout> query(String sql, Object... values) {
        List<Payout> payouts = new ArrayList<>();
        try (Connection db = dataSource.forReads().getConnection();
                PreparedStatement select = db.prepareStatement(sql)) {
            bind(select, values);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    payouts.add(PayoutRows.inOrder().read(row));
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new LedgerException("could not read payouts", e);
        }
        return payouts;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** The ledger's database, with its counts of durable and deferred writes and of flushes. */
    public DurableDataSource database() {
        return dataSource;
    }

    LedgerPolicy policy() {
        return policy;
    }

    Clock clock() {
        return clock;
    }

    private int update(String sql, Object... values) {
        try (Connection db = dataSource.getConnection(); PreparedStatement update = db.prepareStatement(sql)) {
            bind(update, values);
            return update.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerException("ledger update failed", e);
        }
    }

    private static void bind(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, values[i]);
        }
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private static String text(Map<String, Object> answer, String key) {
        Object value = answer == null ? null : answer.get(key);
        return value == null ? null : value.toString();
    }

    /**
     * An id (Duitku's disburseId, a cash out's token) that may come as a JSON number: Duitku's
     * document types the cash out's token as a double, so 230426073103.0 is the token 230426073103.
     * A number with a real fraction, and text, are kept as they are.
     */
    private static String id(Map<String, Object> answer, String key) {
        Object value = answer == null ? null : answer.get(key);
        if (value instanceof java.math.BigDecimal number && number.signum() >= 0) {
            java.math.BigDecimal whole = number.stripTrailingZeros();
            if (whole.scale() <= 0 && whole.precision() - whole.scale() <= 19) {
                return whole.toPlainString();
            }
        }
        return value == null ? null : value.toString();
    }
}
