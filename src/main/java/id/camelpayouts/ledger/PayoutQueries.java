package id.camelpayouts.ledger;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * What the ledger answers to people operating payouts (README, "Operating payouts"): the search,
 * a payout's history, and batches. Read only; every list is newest first and paged by keyset (a
 * cursor naming the last item), so a page costs the same on the first page as deep into a ledger
 * of millions, and a traversal neither repeats nor skips an item while new payouts arrive.
 */
public class PayoutQueries {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    /** Payouts read at once for a batch's results. */
    static final int OUTCOMES_PAGE = 1000;
    /** A reference prefix shared by more payouts than this is not looked up by the primary key (see {@link #prefix}). */
    static final int BROAD_PREFIX = 10_000;
    private static final Pattern REFERENCE_PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** A search of payouts; every filter may be null. {@code createdTo} is exclusive, the amounts inclusive. */
    public record Search(String status, String provider, String method, Boolean reviewRequired, String intake,
            String batch, Instant createdFrom, Instant createdTo, Long amountMin, Long amountMax,
            String referencePrefix, int limit, Position after) {
    }

    /**
     * Where a page ended: the creation time and reference of its last payout (or the start and id
     * of its last batch). As a cursor it is opaque to clients: URL-safe base64 of both.
     */
    public record Position(Instant at, String key) {

        public String cursor() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString((at + "|" + key).getBytes(StandardCharsets.UTF_8));
        }

        /** The position a cursor names, or null when the text is not a cursor of this API. */
        public static Position ofCursor(String cursor) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int bar = text.indexOf('|');
                return bar < 0 || bar == text.length() - 1 ? null
                        : new Position(Instant.parse(text.substring(0, bar)), text.substring(bar + 1));
            } catch (IllegalArgumentException | DateTimeParseException notACursor) {
                return null;
            }
        }
    }

    /** One page and where the next starts (null: this was the last). */
    public record Page<T>(List<T> items, Position next) {
        public String nextCursor() {
            return next == null ? null : next.cursor();
        }
    }

    /**
     * A batch as GET /api/batches answers it: {@code rows} is the file's rows (or the batch's
     * payouts), {@code counts} by status the rows taken in so far, as the results file shows them
     * (a dropped file's refused rows count as REJECTED), {@code amounts} by status the money of the
     * batch's own payouts, each once: a refused row adds none, nor does a row that repeats a
     * payout an earlier row of the file (or another batch) holds. Those rows are counted apart
     * ({@code refusedRows}, {@code repeatedRows}). {@code finishedAt} when every row is final (for
     * a file: and its results written).
     */
    public record Batch(String id, String intake, String fileId, int rows, Map<String, Integer> counts,
            Map<String, Long> amounts, int refusedRows, int repeatedRows, Instant startedAt, Instant finishedAt,
            Map<String, Object> funds, Map<String, Object> cancelled) {

        /** Rows in a final status. */
        public int finalRows() {
            return counts.entrySet().stream().filter(count -> Payout.isFinalStatus(count.getKey()))
                    .mapToInt(Map.Entry::getValue).sum();
        }

        /** The answer's fields. */
        public Map<String, Object> toMap() {
            Map<String, Object> batch = new LinkedHashMap<>();
            batch.put("id", id);
            batch.put("intake", intake);
            batch.put("rows", rows);
            batch.put("final", finalRows());
            batch.put("progress", rows == 0 ? 1.0 : Math.floor(10_000.0 * finalRows() / rows) / 10_000);
            batch.put("counts", counts);
            batch.put("amounts", amounts);
            batch.put("refusedRows", refusedRows);
            batch.put("repeatedRows", repeatedRows);
            batch.put("startedAt", startedAt.toString());
            batch.put("finishedAt", finishedAt == null ? null : finishedAt.toString());
            batch.put("funds", funds);
            batch.put("cancelled", cancelled);
            return batch;
        }
    }

    private final PayoutLedger ledger;
    private final int broadPrefix;

    public PayoutQueries(PayoutLedger ledger) {
        this(ledger, BROAD_PREFIX);
    }

    /** With another bound than {@link #BROAD_PREFIX} (tests: a few hundred payouts instead of ten thousand). */
    PayoutQueries(PayoutLedger ledger, int broadPrefix) {
        this.ledger = ledger;
        this.broadPrefix = broadPrefix;
    }

    // ---- search ------------------------------------------------------------------------------

    /**
     * Payouts matching every given filter, newest first (creation time, then reference), at most
     * {@code limit}, after the given position.
     */
    public Page<Payout> search(Search search) {
        StringBuilder sql = new StringBuilder("SELECT * FROM payouts WHERE 1 = 1");
        List<Object> values = new ArrayList<>();
        equal(sql, values, "status", search.status());
        equal(sql, values, "provider", search.provider());
        equal(sql, values, "method", search.method());
        equal(sql, values, "review_required", search.reviewRequired());
        equal(sql, values, "intake", search.intake());
        equal(sql, values, "batch_id", search.batch());
        compare(sql, values, "created_at >= ?", search.createdFrom() == null ? null : at(search.createdFrom()));
        compare(sql, values, "created_at < ?", search.createdTo() == null ? null : at(search.createdTo()));
        compare(sql, values, "amount >= ?", search.amountMin());
        compare(sql, values, "amount <= ?", search.amountMax());
        boolean fewReferences = search.referencePrefix() != null && prefix(sql, values, search.referencePrefix());
        if (search.after() != null) {
            // the first conjunct alone is an index range; the second drops what the last page had
            sql.append(" AND created_at <= ? AND (created_at < ? OR reference < ?)");
            values.add(at(search.after().at()));
            values.add(at(search.after().at()));
            values.add(search.after().key());
        }
        int limit = Math.max(1, Math.min(MAX_LIMIT, search.limit()));
        // The filter's own index is read in order and left after limit + 1 rows: the order names its
        // column first (constant under the filter, so the order is the same), which tells H2 the
        // index is sorted (PostgreSQL sees it either way); LIMIT in the statement itself, so the
        // planner knows it may stop early.
        String leading = leadingColumn(search);
        if (fewReferences) {
            // read by the primary key and sorted: an order no index serves, the same as below
            sql.append(" ORDER BY COALESCE(created_at, created_at) DESC, reference DESC");
        } else {
            sql.append(" ORDER BY ").append(leading == null ? "" : leading + ", ").append("created_at DESC, reference DESC");
        }
        sql.append(" FETCH FIRST ").append(limit + 1).append(" ROWS ONLY");
        List<Payout> payouts = new ArrayList<>();
        try (Connection db = ledger.dataSource().getConnection();
                PreparedStatement select = db.prepareStatement(sql.toString())) {
            bind(select, values);
            try (ResultSet row = select.executeQuery()) {
                PayoutRows columns = PayoutRows.of(row);
                while (row.next()) {
                    payouts.add(columns.read(row));
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new LedgerException("could not search payouts", e);
        }
        if (payouts.size() <= limit) {
            return new Page<>(payouts, null);
        }
        payouts = payouts.subList(0, limit);
        Payout last = payouts.get(limit - 1);
        return new Page<>(payouts, new Position(last.getCreatedAt(), last.getReference()));
    }

    /**
     * A reference prefix. Where the prefix's matches are and how many there are decides how to
     * read them fastest, and neither H2 nor PostgreSQL can tell (PostgreSQL takes matches for
     * spread evenly over time, and may read the creation-time index back for months to find a
     * day's references). So they are counted first, on the primary key (at most
     * {@link #BROAD_PREFIX} + 1 index entries): up to that many are read by the key and sorted
     * (returns true: the order must then be one no index serves, so that the planner takes the
     * key); more are compared in a form no index serves, so that the creation-time index is read
     * and the matches, which are then common, are kept as they come.
     *
     * The LIKE pattern is written into the statement: a planner reads LIKE as a range of an index
     * only when its pattern is a constant. Only reference characters get there (checked), none of
     * which can end the literal.
     */
    private boolean prefix(StringBuilder sql, List<Object> values, String prefix) {
        if (!REFERENCE_PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("a reference prefix is 1-64 of A-Z, a-z, 0-9, '.', '_', '-'");
        }
        // '\' is LIKE's default escape character in H2 and PostgreSQL; '_' is a wildcard
        String like = "reference LIKE '" + prefix.replace("_", "\\_") + "%'";
        boolean few;
        try (Connection db = ledger.dataSource().getConnection();
                PreparedStatement count = db.prepareStatement("SELECT COUNT(*) FROM (SELECT reference FROM payouts"
                        + " WHERE " + like + " FETCH FIRST " + (broadPrefix + 1) + " ROWS ONLY) matches");
                ResultSet row = count.executeQuery()) {
            row.next();
            few = row.getInt(1) <= broadPrefix;
        } catch (SQLException e) {
            throw new LedgerException("could not search payouts", e);
        }
        if (few) {
            sql.append(" AND ").append(like);
        } else {
            compare(sql, values, "SUBSTRING(reference, 1, " + prefix.length() + ") = ?", prefix);
        }
        return few;
    }

    /**
     * The filter whose index the search reads: the one likely to leave the fewest rows (a batch,
     * payouts flagged for review, a status, ...), or null (the creation-time index).
     */
    private static String leadingColumn(Search search) {
        if (search.batch() != null) {
            return "batch_id";
        }
        if (Boolean.TRUE.equals(search.reviewRequired())) {
            return "review_required";
        }
        if (search.status() != null) {
            return "status";
        }
        if (search.intake() != null) {
            return "intake";
        }
        if (search.method() != null) {
            return "method";
        }
        if (search.provider() != null) {
            return "provider";
        }
        return search.reviewRequired() != null ? "review_required" : null;
    }

    // ---- history -----------------------------------------------------------------------------

    /** Every change of the payout, oldest first (see {@link PayoutEvents#entries}), or null when there is no such payout. */
    public List<Map<String, Object>> history(String reference) {
        if (ledger.find(reference) == null) {
            return null;
        }
        List<Map<String, Object>> entries = PayoutEvents.entries(ledger.dataSource(), reference);
        entries.forEach(entry -> entry.remove("stage"));
        return entries;
    }

    // ---- batches -----------------------------------------------------------------------------

    /** Batches newest first (by when they started), at most {@code limit}, after the given position. */
    public Page<Batch> batches(int limit, Position after) {
        int size = Math.max(1, Math.min(MAX_LIMIT, limit));
        String sql = "SELECT id, intake, started_at, file_id FROM payout_batches"
                + (after == null ? "" : " WHERE started_at <= ? AND (started_at < ? OR id < ?)")
                + " ORDER BY started_at DESC, id DESC FETCH FIRST " + (size + 1) + " ROWS ONLY";
        List<Batch> batches = new ArrayList<>();
        try (Connection db = ledger.dataSource().getConnection(); PreparedStatement select = db.prepareStatement(sql)) {
            if (after != null) {
                bind(select, List.of(at(after.at()), at(after.at()), after.key()));
            }
            List<String[]> found = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    found.add(new String[] {row.getString("id"), row.getString("intake"),
                        row.getObject("started_at", OffsetDateTime.class).toInstant().toString(), row.getString("file_id")});
                }
            }
            for (String[] batch : found.subList(0, Math.min(size, found.size()))) {
                batches.add(summary(db, batch[0], batch[1], Instant.parse(batch[2]), batch[3]));
            }
            if (found.size() <= size) {
                return new Page<>(batches, null);
            }
        } catch (SQLException e) {
            throw new LedgerException("could not list batches", e);
        }
        Batch last = batches.get(size - 1);
        return new Page<>(batches, new Position(last.startedAt(), last.id()));
    }

    /** One batch, or null. */
    public Batch batch(String id) {
        try (Connection db = ledger.dataSource().getConnection();
                PreparedStatement select = db.prepareStatement(
                        "SELECT intake, started_at, file_id FROM payout_batches WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                return summary(db, id, row.getString("intake"),
                        row.getObject("started_at", OffsetDateTime.class).toInstant(), row.getString("file_id"));
            }
        } catch (SQLException e) {
            throw new LedgerException("could not read batch " + id, e);
        }
    }

    /**
     * The outcomes of a batch that is not a dropped file (whose results are its rows, see
     * {@link BatchLedger#results}), oldest first, each with its {@code row}: the order it came in.
     */
    public List<Map<String, Object>> batchOutcomes(String id) {
        List<Map<String, Object>> outcomes = new ArrayList<>();
        batchOutcomes(id, outcomes::add);
        return outcomes;
    }

    /** What takes a batch's outcomes one at a time (a results file's writer). */
    @FunctionalInterface
    public interface OutcomeSink {
        void take(Map<String, Object> outcome) throws java.io.IOException;
    }

    /**
     * {@link #batchOutcomes(String)}, each handed to {@code each} as it is read, a page of
     * {@value #OUTCOMES_PAGE} at a time (each page one range of the batch's index): never the
     * whole batch in memory, nor in the database driver's (PostgreSQL's reads a whole result).
     */
    public void batchOutcomes(String id, OutcomeSink each) {
        int row = 0;
        Payout last = null;
        try (Connection db = ledger.dataSource().getConnection()) {
            do {
                String after = last == null ? "" : " AND (created_at > ? OR created_at = ? AND reference > ?)";
                try (PreparedStatement select = db.prepareStatement("SELECT * FROM payouts WHERE batch_id = ?" + after
                        + " ORDER BY created_at, reference FETCH FIRST " + OUTCOMES_PAGE + " ROWS ONLY")) {
                    select.setString(1, id);
                    if (last != null) {
                        select.setObject(2, at(last.createdAt));
                        select.setObject(3, at(last.createdAt));
                        select.setString(4, last.getReference());
                    }
                    int read = 0;
                    try (ResultSet rows = select.executeQuery()) {
                        PayoutRows columns = PayoutRows.of(rows);
                        while (rows.next()) {
                            last = columns.read(rows);
                            Map<String, Object> outcome = new LinkedHashMap<>();
                            outcome.put("row", ++row);
                            outcome.putAll(last.toOutcome());
                            each.take(outcome);
                            read++;
                        }
                    }
                    if (read < OUTCOMES_PAGE) {
                        return;
                    }
                }
            } while (true);
        } catch (SQLException | java.io.IOException e) {
            throw new LedgerException("could not read the outcomes of batch " + id, e);
        }
    }

    /** How many payouts name the batch (one range of its index), before anything of them is read. */
    public long batchSize(String id) {
        try (Connection db = ledger.dataSource().getConnection();
                PreparedStatement select = db.prepareStatement("SELECT COUNT(*) FROM payouts WHERE batch_id = ?")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new LedgerException("could not count the payouts of batch " + id, e);
        }
    }

    /** Whether the batch is a dropped file's (its rows are the file's only). */
    public boolean isFileBatch(String id) {
        try (Connection db = ledger.dataSource().getConnection();
                PreparedStatement select = db.prepareStatement(
                        "SELECT 1 FROM payout_batches WHERE id = ? AND file_id IS NOT NULL")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            throw new LedgerException("could not read batch " + id, e);
        }
    }

    /** Whether a batch of this id is listed. */
    static boolean batchExists(Connection db, String id) throws SQLException {
        try (PreparedStatement select = db.prepareStatement("SELECT 1 FROM payout_batches WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    /**
     * A dropped file's rows by status, as its results file shows them (a refused row, which has no
     * payout, is REJECTED), and how many of them were refused. Bound: the file's id.
     */
    private static final String FILE_ROWS = "SELECT COALESCE(p.status, 'REJECTED'), COUNT(*),"
            + " SUM(CASE WHEN r.reference IS NULL THEN 1 ELSE 0 END) FROM batch_rows r"
            + " LEFT JOIN payouts p ON p.reference = r.reference WHERE r.batch_id = ?"
            + " GROUP BY COALESCE(p.status, 'REJECTED')";
    /**
     * A batch's own payouts by status, each once, with their money (read from the payouts_batch_status
     * index alone). For a dropped file: every row that is neither refused nor its payout's own (a
     * later row with the same instruction, a row repeating another batch's payout, as a file dropped
     * again under a new name) shows a payout but adds no money. Bound: the batch's id.
     */
    private static final String OWN_PAYOUTS = "SELECT status, COUNT(*), SUM(amount) FROM payouts WHERE batch_id = ?"
            + " GROUP BY status";

    /** A dropped file's batch is counted by its rows (as its results file shows them), any other by its payouts. */
    private static Batch summary(Connection db, String id, String intake, Instant startedAt, String fileId)
            throws SQLException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, Long> amounts = new LinkedHashMap<>();
        Payout.STATUSES.forEach(status -> {
            counts.put(status, 0);
            amounts.put(status, 0L);
        });
        int rows = 0;
        int refusedRows = 0;
        int repeatedRows = 0;
        Instant finishedAt = null;
        int ownPayouts = 0;
        try (PreparedStatement own = db.prepareStatement(OWN_PAYOUTS)) {
            own.setString(1, id);
            try (ResultSet row = own.executeQuery()) {
                while (row.next()) {
                    amounts.put(row.getString(1), row.getLong(3));
                    if (fileId == null) {
                        counts.put(row.getString(1), row.getInt(2));
                    }
                    ownPayouts += row.getInt(2);
                }
            }
        }
        rows = ownPayouts;
        if (fileId != null) {
            // a file is counted by its rows, as its results file shows them
            rows = 0;
            try (PreparedStatement count = db.prepareStatement(FILE_ROWS)) {
                count.setString(1, fileId);
                try (ResultSet row = count.executeQuery()) {
                    while (row.next()) {
                        counts.put(row.getString(1), row.getInt(2));
                        rows += row.getInt(2);
                        refusedRows += row.getInt(3);
                    }
                }
            }
            // (a payout taken in a moment before its row is listed would make it negative)
            repeatedRows = Math.max(0, rows - refusedRows - ownPayouts);
        }
        if (fileId != null) {
            try (PreparedStatement file = db.prepareStatement(
                    "SELECT row_count, completed_at FROM batches WHERE id = ?")) {
                file.setString(1, fileId);
                try (ResultSet row = file.executeQuery()) {
                    if (row.next()) {
                        rows = row.getInt(1);
                        OffsetDateTime completed = row.getObject(2, OffsetDateTime.class);
                        finishedAt = completed == null ? null : completed.toInstant();
                    }
                }
            }
        } else if (rows > 0 && counts.entrySet().stream()
                .allMatch(count -> count.getValue() == 0 || Payout.isFinalStatus(count.getKey()))) {
            try (PreparedStatement last = db.prepareStatement("SELECT MAX(updated_at) FROM payouts WHERE batch_id = ?")) {
                last.setString(1, id);
                try (ResultSet row = last.executeQuery()) {
                    row.next();
                    finishedAt = row.getObject(1, OffsetDateTime.class).toInstant();
                }
            }
        }
        // A dropped file's total against its provider's balance before its rows started (null when
        // not compared), and an operator's cancel of the whole batch: when, by whom (the API key's
        // name), their note (null when not cancelled; from then on none of its transfers is claimed).
        Map<String, Object> funds = null;
        Map<String, Object> cancelled = null;
        try (PreparedStatement select = db.prepareStatement("SELECT funds_provider, funds_total, funds_balance,"
                + " cancelled_at, cancelled_by, cancel_note FROM payout_batches WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                boolean listed = row.next();
                if (listed && row.getString(1) != null) {
                    funds = funds(row.getString(1), row.getLong(2), row.getLong(3));
                }
                if (listed && row.getObject(4) != null) {
                    cancelled = new LinkedHashMap<>();
                    cancelled.put("at", row.getObject(4, OffsetDateTime.class).toInstant().toString());
                    cancelled.put("by", row.getString(5));
                    cancelled.put("note", row.getString(6));
                }
            }
        }
        return new Batch(id, intake, fileId, rows, counts, amounts, refusedRows, repeatedRows, startedAt, finishedAt, funds,
                cancelled);
    }

    /** A file's funds: provider, total, balance and shortfall (0 when the balance covered it). */
    private static Map<String, Object> funds(String provider, long total, long balance) {
        Map<String, Object> funds = new LinkedHashMap<>();
        funds.put("provider", provider);
        funds.put("total", total);
        funds.put("balance", balance);
        funds.put("shortfall", Math.max(0, total - balance));
        return funds;
    }

    private static void equal(StringBuilder sql, List<Object> values, String column, Object value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            values.add(value);
        }
    }

    private static void compare(StringBuilder sql, List<Object> values, String condition, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            values.add(value);
        }
    }

    private static void bind(PreparedStatement statement, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            statement.setObject(i + 1, values.get(i));
        }
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
