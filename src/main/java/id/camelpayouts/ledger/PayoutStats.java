package id.camelpayouts.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Figures for the console's overview (GET /api/stats): payouts counted and summed by status over
 * a time range, optionally per minute or per hour, in one grouped query on the creation-time
 * index, however many payouts the range holds. A payout counts in the range (and the bucket) it
 * was created in, under the status it has now.
 */
public class PayoutStats {

    /** A range's figures; {@code series} is null unless buckets were asked for. */
    public record Figures(Instant from, Instant to, Map<String, Long> counts, Map<String, Long> amounts,
            Duration bucket, List<Bucket> series, long reviewRequired, long conflicts) {

        /** SUCCEEDED out of SUCCEEDED and FAILED (what was sent and settled), or null when none is. */
        public Double successRate() {
            long succeeded = counts.getOrDefault(Payout.SUCCEEDED, 0L);
            long settled = succeeded + counts.getOrDefault(Payout.FAILED, 0L);
            return settled == 0 ? null : Math.floor(10_000.0 * succeeded / settled) / 10_000;
        }
    }

    /** The payouts created in [at, at + bucket), by status. */
    public record Bucket(Instant at, Map<String, Long> counts) {
    }

    private final PayoutLedger ledger;

    public PayoutStats(PayoutLedger ledger) {
        this.ledger = ledger;
    }

    /**
     * Counts and amounts by status of the payouts created in [from, to), each status of
     * {@link Payout#STATUSES} present (zero when none); with a bucket, the same counts per bucket
     * from {@code from} on, every bucket present. Besides, the ledger's whole review queue: payouts
     * PENDING and flagged for a person, and flagged conflicts (late evidence against a final status).
     */
    public Figures figures(Instant from, Instant to, Duration bucket) {
        Map<String, Long> counts = zeroes();
        Map<String, Long> amounts = zeroes();
        TreeMap<Long, Map<String, Long>> buckets = new TreeMap<>();
        long seconds = bucket == null ? 0 : bucket.toSeconds();
        // The bucket is the creation time's epoch second divided by the bucket's length (a constant
        // checked here, so written into the statement): the same in every time zone, on H2 and PostgreSQL.
        String sql = bucket == null
                ? "SELECT status, COUNT(*), COALESCE(SUM(amount), 0) FROM payouts"
                        + " WHERE created_at >= ? AND created_at < ? GROUP BY status"
                : "SELECT status, COUNT(*), COALESCE(SUM(amount), 0), slot FROM (SELECT status, amount,"
                        + " FLOOR(EXTRACT(EPOCH FROM created_at) / " + seconds + ") AS slot FROM payouts"
                        + " WHERE created_at >= ? AND created_at < ?) created GROUP BY status, slot";
        try (Connection db = ledger.dataSource().getConnection(); PreparedStatement select = db.prepareStatement(sql)) {
            select.setObject(1, from.atOffset(ZoneOffset.UTC));
            select.setObject(2, to.atOffset(ZoneOffset.UTC));
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    String status = row.getString(1);
                    counts.merge(status, row.getLong(2), Long::sum);
                    amounts.merge(status, row.getLong(3), Long::sum);
                    if (bucket != null) {
                        buckets.computeIfAbsent(row.getLong(4), slot -> new LinkedHashMap<>())
                                .merge(status, row.getLong(2), Long::sum);
                    }
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("could not count payouts", e);
        }
        List<Bucket> series = bucket == null ? null : series(from, to, seconds, buckets);
        return new Figures(from, to, counts, amounts, bucket, series,
                ledger.countWhere("review_required = TRUE AND status = 'PENDING'"),
                ledger.countWhere("review_required = TRUE AND conflict IS NOT NULL"));
    }

    /** Every bucket from the one holding {@code from} to the one before {@code to}, empty ones with zeroes. */
    private static List<Bucket> series(Instant from, Instant to, long seconds, TreeMap<Long, Map<String, Long>> found) {
        List<Bucket> series = new ArrayList<>();
        for (long slot = Math.floorDiv(from.getEpochSecond(), seconds);
                Instant.ofEpochSecond(slot * seconds).isBefore(to); slot++) {
            Map<String, Long> counts = zeroes();
            found.getOrDefault(slot, Map.of()).forEach((status, count) -> counts.merge(status, count, Long::sum));
            series.add(new Bucket(Instant.ofEpochSecond(slot * seconds), counts));
        }
        return series;
    }

    private static Map<String, Long> zeroes() {
        Map<String, Long> zeroes = new LinkedHashMap<>();
        Payout.STATUSES.forEach(status -> zeroes.put(status, 0L));
        return zeroes;
    }
}
