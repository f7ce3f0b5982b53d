package id.camelpayouts.ledger;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import id.camelpayouts.ledger.Payout.Stage;
import id.camelpayouts.payout.PayoutInstruction;

/**
 * A {@code payouts} row as a {@link Payout}: the columns the ledger reads, and how. Columns are
 * read by position, found by name once per result set ({@link #of}): by name at every row, the
 * driver looked each of some thirty names up again (H2 upper-cases each), a sizeable share of
 * reading a batch's results.
 */
final class PayoutRows {

    /** The columns a {@link Payout} is read from, in the order {@link #COLUMNS} selects them. */
    private static final List<String> NAMES = List.of("reference", "instruction", "provider", "method", "stage",
            "status", "provider_reference", "cust_ref_number", "account_name", "token", "pin", "response_code",
            "response_desc", "reason", "inquiry_attempts", "status_checks", "review_required", "conflict",
            "transaction_id", "reference_number", "transfer_sent_at", "acknowledged_at", "updated_at", "version",
            "intake", "batch_id", "submitted_by", "created_at", "hold", "approved_by", "failure_claims");
    static final String COLUMNS = String.join(", ", NAMES);
    /** How many columns {@link #COLUMNS} selects. */
    static final int COUNT = NAMES.size();
    /** Where each column is in a result set that selects {@link #COLUMNS} (from its first column on). */
    private static final PayoutRows IN_ORDER = new PayoutRows(positionsInOrder());
    /**
     * Prepared for the instruction's type: {@code readValue(text, type)} looked the type up in
     * Jackson's type cache at every read, a quarter of reading a payout the worker reads first
     * (issue 17).
     */
    private static final ObjectReader INSTRUCTION = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false).readerFor(PayoutInstruction.class);

    /**
     * Instructions parsed lately, by their JSON text: the same payout is read again and again (each
     * repeat of a provider's callback, the worker's and the reconciler's reads), and parsing its
     * instruction was about a quarter of such a read (issue 17). Keyed by the whole text, so an entry
     * can only ever stand for that very instruction; emptied when full.
     */
    private static final Map<String, PayoutInstruction> PARSED = new ConcurrentHashMap<>();
    private static final int PARSED_MAX = 1024;

    private final Map<String, Integer> positions;

    private PayoutRows(Map<String, Integer> positions) {
        this.positions = positions;
    }

    /** For a result set selecting {@link #COLUMNS}, in that order, from its first column on. */
    static PayoutRows inOrder() {
        return IN_ORDER;
    }

    /** For any result set holding the {@code payouts} columns ({@code p.*}, {@code *}): found by name, once. */
    static PayoutRows of(ResultSet rows) throws SQLException {
        ResultSetMetaData columns = rows.getMetaData();
        Map<String, Integer> byName = new HashMap<>();
        for (int i = columns.getColumnCount(); i >= 1; i--) {
            byName.put(columns.getColumnLabel(i).toLowerCase(Locale.ROOT), i);
        }
        Map<String, Integer> positions = new HashMap<>();
        for (String name : NAMES) {
            Integer position = byName.get(name);
            if (position == null) {
                throw new SQLException("the result has no column " + name + " of payouts");
            }
            positions.put(name, position);
        }
        return new PayoutRows(positions);
    }

    private static Map<String, Integer> positionsInOrder() {
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < NAMES.size(); i++) {
            positions.put(NAMES.get(i), i + 1);
        }
        return positions;
    }

    private static PayoutInstruction parsed(String json) throws JsonProcessingException {
        PayoutInstruction instruction = PARSED.get(json);
        if (instruction == null) {
            instruction = INSTRUCTION.readValue(json);
            if (PARSED.size() >= PARSED_MAX) {
                PARSED.clear();
            }
            PARSED.put(json, instruction);
        }
        return instruction;
    }

    /** Reads the payout at the result set's current row. */
    Payout read(ResultSet row) throws SQLException, JsonProcessingException {
        String reference = text(row, "reference");
        PayoutInstruction instruction = parsed(text(row, "instruction"));
        Payout payout = new Payout(reference, instruction);
        payout.provider = text(row, "provider");
        payout.method = text(row, "method");
        payout.stage = Stage.valueOf(text(row, "stage"));
        payout.status = text(row, "status");
        payout.providerReference = text(row, "provider_reference");
        payout.custRefNumber = text(row, "cust_ref_number");
        payout.accountName = text(row, "account_name");
        payout.token = text(row, "token");
        payout.pin = text(row, "pin");
        payout.responseCode = text(row, "response_code");
        payout.responseDesc = text(row, "response_desc");
        payout.reason = text(row, "reason");
        payout.inquiryAttempts = row.getInt(at("inquiry_attempts"));
        payout.statusChecks = row.getInt(at("status_checks"));
        payout.reviewRequired = row.getBoolean(at("review_required"));
        payout.conflict = text(row, "conflict");
        payout.transactionId = text(row, "transaction_id");
        payout.referenceNumber = text(row, "reference_number");
        payout.transferSentAt = instant(row, "transfer_sent_at");
        payout.acknowledgedAt = instant(row, "acknowledged_at");
        payout.updatedAt = instant(row, "updated_at");
        payout.version = row.getInt(at("version"));
        payout.intake = text(row, "intake");
        payout.batchId = text(row, "batch_id");
        payout.submittedBy = text(row, "submitted_by");
        payout.createdAt = instant(row, "created_at");
        payout.hold = text(row, "hold");
        payout.approvedBy = text(row, "approved_by");
        payout.failureClaims = row.getInt(at("failure_claims"));
        payout.stored = OutcomeRule.Noticed.of(payout);
        return payout;
    }

    private int at(String column) {
        return positions.get(column);
    }

    private String text(ResultSet row, String column) throws SQLException {
        return row.getString(at(column));
    }

    private Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime time = row.getObject(at(column), OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
