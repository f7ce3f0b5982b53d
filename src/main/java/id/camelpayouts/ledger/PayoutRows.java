package id.camelpayouts.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import id.camelpayouts.ledger.Payout.Stage;
import id.camelpayouts.payout.PayoutInstruction;

/** A {@code payouts} row as a {@link Payout}: the columns the ledger reads, and how. */
final class PayoutRows {

    static final String COLUMNS = "reference, instruction, provider, method, stage, status, provider_reference,"
            + " cust_ref_number, account_name, token, pin, response_code, response_desc, reason, inquiry_attempts, status_checks,"
            + " review_required, conflict, transaction_id, reference_number, transfer_sent_at, acknowledged_at,"
            + " updated_at, version, intake, batch_id, submitted_by, created_at, hold, approved_by";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private PayoutRows() {
    }

    /**
     * Reads one payout from a result set holding the {@code payouts} columns, taking the instruction
     * from {@code instructions} (by reference, null: none) when it is there, and putting it there
     * when not: a payout's instruction never changes after intake, so who reads the same payouts
     * again and again (results files) parses each only once.
     */
    static Payout read(ResultSet row, Map<String, PayoutInstruction> instructions) throws SQLException,
            JsonProcessingException {
        String reference = row.getString("reference");
        PayoutInstruction instruction = instructions == null ? null : instructions.get(reference);
        if (instruction == null) {
            instruction = JSON.readValue(row.getString("instruction"), PayoutInstruction.class);
            if (instructions != null) {
                instructions.put(reference, instruction);
            }
        }
        Payout payout = new Payout(reference, instruction);
        payout.provider = row.getString("provider");
        payout.method = row.getString("method");
        payout.stage = Stage.valueOf(row.getString("stage"));
        payout.status = row.getString("status");
        payout.providerReference = row.getString("provider_reference");
        payout.custRefNumber = row.getString("cust_ref_number");
        payout.accountName = row.getString("account_name");
        payout.token = row.getString("token");
        payout.pin = row.getString("pin");
        payout.responseCode = row.getString("response_code");
        payout.responseDesc = row.getString("response_desc");
        payout.reason = row.getString("reason");
        payout.inquiryAttempts = row.getInt("inquiry_attempts");
        payout.statusChecks = row.getInt("status_checks");
        payout.reviewRequired = row.getBoolean("review_required");
        payout.conflict = row.getString("conflict");
        payout.transactionId = row.getString("transaction_id");
        payout.referenceNumber = row.getString("reference_number");
        payout.transferSentAt = instant(row.getObject("transfer_sent_at", OffsetDateTime.class));
        payout.acknowledgedAt = instant(row.getObject("acknowledged_at", OffsetDateTime.class));
        payout.updatedAt = instant(row.getObject("updated_at", OffsetDateTime.class));
        payout.version = row.getInt("version");
        payout.intake = row.getString("intake");
        payout.batchId = row.getString("batch_id");
        payout.submittedBy = row.getString("submitted_by");
        payout.createdAt = instant(row.getObject("created_at", OffsetDateTime.class));
        payout.hold = row.getString("hold");
        payout.approvedBy = row.getString("approved_by");
        payout.stored = OutcomeRule.Noticed.of(payout);
        return payout;
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
