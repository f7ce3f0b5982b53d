package id.camelpayouts.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import id.camelpayouts.payout.PayoutInstruction;

/**
 * Which payout each row of a dropped file became (or why the row was refused), so that the
 * file's results can be written from the ledger at any moment, also after a restart.
 */
public class BatchLedger {

    private final PayoutLedger ledger;
    private final ObjectMapper json = new ObjectMapper();
    /**
     * The instructions of each open batch's payouts, parsed once: results are read again every
     * results interval until every row is final, and the instructions never change.
     */
    private final Map<String, Map<String, PayoutInstruction>> instructions = new ConcurrentHashMap<>();

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
        instructions.remove(batchId);
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
     * The outcome of every recorded row, in row order; {@code complete} when all rows are recorded
     * and final; {@code finalRows}: how many are final (a refused row is).
     */
    public record BatchResults(int rowCount, List<Map<String, Object>> rows, boolean complete, int finalRows) {
    }

    public BatchResults results(String batchId) {
        return results(batchId, instructions.computeIfAbsent(batchId, id -> new ConcurrentHashMap<>()));
    }

    /** The results as {@link #results(String)}, read once (for the API: nothing kept for later). */
    public BatchResults resultsNow(String batchId) {
        return results(batchId, new java.util.HashMap<>());
    }

    private BatchResults results(String batchId, Map<String, PayoutInstruction> parsed) {
        List<Map<String, Object>> outcomes = new ArrayList<>();
        int rowCount;
        int finalRows = 0;
        try (Connection db = ledger.dataSource().getConnection()) {
            try (PreparedStatement count = db.prepareStatement("SELECT row_count FROM batches WHERE id = ?")) {
                count.setString(1, batchId);
                try (ResultSet rows = count.executeQuery()) {
                    rowCount = rows.next() ? rows.getInt(1) : 0;
                }
            }
            try (PreparedStatement select = db.prepareStatement("SELECT r.row_no, r.refused_outcome, p.*"
                    + " FROM batch_rows r LEFT JOIN payouts p ON p.reference = r.reference"
                    + " WHERE r.batch_id = ? ORDER BY r.row_no")) {
                select.setString(1, batchId);
                try (ResultSet row = select.executeQuery()) {
                    PayoutRows columns = PayoutRows.of(row);
                    while (row.next()) {
                        Map<String, Object> outcome = new LinkedHashMap<>();
                        outcome.put("row", row.getInt(1));
                        String refused = row.getString(2);
                        if (refused != null) {
                            outcome.putAll(json.readValue(refused, new TypeReference<Map<String, Object>>() {
                            }));
                            finalRows++;
                        } else {
                            Payout payout = columns.read(row, parsed);
                            outcome.putAll(payout.toOutcome());
                            finalRows += payout.isFinal() ? 1 : 0;
                        }
                        outcomes.add(outcome);
                    }
                }
            }
        } catch (Exception e) {
            throw new LedgerException("could not read the results of batch " + batchId, e);
        }
        return new BatchResults(rowCount, outcomes, finalRows == rowCount && outcomes.size() == rowCount, finalRows);
    }

    public void complete(String batchId) {
        instructions.remove(batchId);
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
