package id.camelpayouts.ledger;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Which payout each row of a dropped file became (or why the row was refused), so that the
 * file's results can be written from the ledger at any moment, also after a restart.
 */
public class BatchLedger {

    private final PayoutLedger ledger;
    private final ObjectMapper json = new ObjectMapper();

    public BatchLedger(PayoutLedger ledger) {
        this.ledger = ledger;
    }

    /**
     * Whether the file's name is the id of a batch that is not this file: another file dropped
     * under the same name with other content, or a group of instructions that named it. A batch's
     * id is its file's name, so such a file is refused (see PayoutFiles#open).
     */
    public boolean nameTaken(String fileName, String batchId) {
        try (Connection db = ledger.dataSource().getConnection();
                PreparedStatement select = db.prepareStatement("SELECT file_id FROM payout_batches WHERE id = ?")) {
            select.setString(1, fileName);
            try (ResultSet row = select.executeQuery()) {
                return row.next() && !batchId.equals(row.getString(1));
            }
        } catch (SQLException e) {
            throw new LedgerException("could not look up batch " + fileName, e);
        }
    }

    /**
     * Starts (or, for a file seen before, restarts) a batch: its rows are recorded afresh. The
     * file's first drop lists it, under its name, among the batches (GET /api/batches).
     */
    public void open(String batchId, String fileName, int rowCount) {
        try (Connection db = ledger.dataSource().getConnection()) {
            db.setAutoCommit(false);
            execute(db, "DELETE FROM batch_rows WHERE batch_id = ?", batchId);
            execute(db, "DELETE FROM batches WHERE id = ?", batchId);
            execute(db, "INSERT INTO batches (id, file_name, row_count, created_at) VALUES (?, ?, ?, ?)", batchId,
                    fileName, rowCount, ledger.clock().instant().atOffset(ZoneOffset.UTC));
            if (!PayoutQueries.batchExists(db, fileName)) {
                execute(db, "INSERT INTO payout_batches (id, intake, started_at, file_id) VALUES (?, 'file', ?, ?)",
                        fileName, ledger.clock().instant().atOffset(ZoneOffset.UTC), batchId);
            }
            db.commit();
        } catch (SQLException e) {
            throw new LedgerException("could not open batch " + fileName, e);
        }
    }

    /**
     * What a file's total was compared with before its rows started: the rupiah of its rows for
     * {@code provider} and that provider's balance then (shown on the batch: GET /api/batches/{id}).
     */
    public void recordFunds(String fileName, String provider, long total, long balance) {
        try (Connection db = ledger.dataSource().getConnection()) {
            execute(db, "UPDATE payout_batches SET funds_provider = ?, funds_total = ?, funds_balance = ? WHERE id = ?",
                    provider, total, balance, fileName);
        } catch (SQLException e) {
            throw new LedgerException("could not record the funds of batch " + fileName, e);
        }
    }

    /** Row {@code rowNo} (1-based) became the payout {@code reference}, or was refused with {@code refusedOutcome}. */
    public record Row(int rowNo, String reference, Map<String, Object> refusedOutcome) {
    }

    /** Several rows at once, in one transaction (one ledger commit instead of one per row). */
    public void recordRows(String batchId, List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        try (Connection db = ledger.dataSource().getConnection()) {
            db.setAutoCommit(false);
            try (PreparedStatement insert = db.prepareStatement(
                    "INSERT INTO batch_rows (batch_id, row_no, reference, refused_outcome) VALUES (?, ?, ?, ?)")) {
                for (Row row : rows) {
                    insert.setString(1, batchId);
                    insert.setInt(2, row.rowNo());
                    insert.setString(3, row.reference());
                    insert.setString(4, row.refusedOutcome() == null ? null
                            : json.writeValueAsString(row.refusedOutcome()));
                    insert.addBatch();
                }
                insert.executeBatch();
                db.commit();
            } catch (Exception e) {
                db.rollback();
                throw e;
            }
        } catch (Exception e) {
            throw new LedgerException("could not record rows " + rows.get(0).rowNo() + " to "
                    + rows.get(rows.size() - 1).rowNo() + " of batch " + batchId, e);
        }
    }

    /** Batches whose results are not final yet. */
    public List<String[]> openBatches() {
        List<String[]> open = new ArrayList<>();
        try (Connection db = ledger.dataSource().getConnection();
                PreparedStatement select = db.prepareStatement(
                        "SELECT id, file_name FROM batches WHERE completed_at IS NULL ORDER BY created_at");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                open.add(new String[] {rows.getString(1), rows.getString(2)});
            }
        } catch (SQLException e) {
            throw new LedgerException("could not list open batches", e);
        }
        return open;
    }

    /**
     * A batch's results as read: its rows, how many are recorded (a file's rows are recorded as
     * they are taken in) and how many final (a refused row is).
     */
    public record BatchResults(int rowCount, int recordedRows, int finalRows) {
        public boolean complete() {
            return recordedRows == rowCount && finalRows == rowCount;
        }
    }

    /** Takes a batch's result rows one at a time, in row order. */
    @FunctionalInterface
    public interface ResultRows {
        void accept(Map<String, Object> row) throws IOException;
    }

    /**
     * Hands the result of every recorded row to {@code sink}, in row order, as it is read: a big
     * file's rows are never all in memory, and no instruction is parsed (the results show the
     * payout's own columns). Keys: row, reference, status, hold, provider, method,
     * providerReference, responseCode, responseDesc, accountName, amount, reason, updatedAt (a
     * refused row: what its refusal recorded).
     */
    public BatchResults results(String batchId, ResultRows sink) {
        int rowCount;
        int recorded = 0;
        int finalRows = 0;
        try (Connection db = ledger.dataSource().getConnection()) {
            try (PreparedStatement count = db.prepareStatement("SELECT row_count FROM batches WHERE id = ?")) {
                count.setString(1, batchId);
                try (ResultSet rows = count.executeQuery()) {
                    rowCount = rows.next() ? rows.getInt(1) : 0;
                }
            }
            try (PreparedStatement select = db.prepareStatement("SELECT r.row_no, r.refused_outcome, r.reference,"
                    + " p.status, p.hold, p.provider, p.method, p.provider_reference, p.response_code, p.response_desc,"
                    + " p.account_name, p.amount, p.reason, p.updated_at, p.stage"
                    + " FROM batch_rows r LEFT JOIN payouts p ON p.reference = r.reference"
                    + " WHERE r.batch_id = ? ORDER BY r.row_no")) {
                select.setString(1, batchId);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        recorded++;
                        Map<String, Object> result = new LinkedHashMap<>();
                        result.put("row", row.getInt(1));
                        String refused = row.getString(2);
                        if (refused != null) {
                            result.putAll(json.readValue(refused, new TypeReference<Map<String, Object>>() {
                            }));
                            finalRows++;
                        } else {
                            finalRows += payoutResult(row, result) ? 1 : 0;
                        }
                        sink.accept(result);
                    }
                }
            }
        } catch (Exception e) {
            throw new LedgerException("could not read the results of batch " + batchId, e);
        }
        return new BatchResults(rowCount, recorded, finalRows);
    }

    /** Puts the payout's result columns of the row at hand into {@code result}; whether it is final. */
    private static boolean payoutResult(ResultSet row, Map<String, Object> result) throws SQLException {
        result.put("reference", row.getString(3));
        result.put("status", row.getString(4));
        result.put("hold", row.getString(5));
        result.put("provider", row.getString(6));
        result.put("method", row.getString(7));
        result.put("providerReference", row.getString(8));
        result.put("responseCode", row.getString(9));
        result.put("responseDesc", row.getString(10));
        result.put("accountName", row.getString(11));
        long amount = row.getLong(12);
        result.put("amount", row.wasNull() ? null : amount);
        result.put("reason", row.getString(13));
        OffsetDateTime updated = row.getObject(14, OffsetDateTime.class);
        result.put("updatedAt", updated == null ? null : updated.toInstant().toString());
        return Payout.Stage.FINAL.name().equals(row.getString(15));
    }

    public void complete(String batchId) {
        try (Connection db = ledger.dataSource().getConnection()) {
            execute(db, "UPDATE batches SET completed_at = ? WHERE id = ?",
                    ledger.clock().instant().atOffset(ZoneOffset.UTC), batchId);
        } catch (SQLException e) {
            throw new LedgerException("could not complete batch " + batchId, e);
        }
    }

    private static void execute(Connection db, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }
}
