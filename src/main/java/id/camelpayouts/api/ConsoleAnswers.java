package id.camelpayouts.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import org.apache.camel.Variable;

import id.camelpayouts.api.ReadAnswers.Answer;
import id.camelpayouts.ledger.PayoutStats;

/**
 * The two small reads the console needs beside the API's read side
 * (routes/gateway/console-api.camel.yaml): who the caller's key is, so that the console shows only
 * the actions its roles permit, and the overview's figures, so that the browser need not page
 * through the search to count a day's payouts.
 */
public class ConsoleAnswers {

    static final List<String> STATS_PARAMETERS = List.of("from", "to", "bucket");
    /** The longest range counted (the overview asks for today and the last 7 days). */
    static final Duration MAX_RANGE = Duration.ofDays(31);
    /** The most buckets in one answer (a day of minutes). */
    static final int MAX_BUCKETS = 1440;
    private static final Map<String, Duration> BUCKETS = Map.of("minute", Duration.ofMinutes(1),
            "hour", Duration.ofHours(1));

    private final PayoutStats stats;
    private final Clock clock;

    public ConsoleAnswers(PayoutStats stats, Clock clock) {
        this.stats = stats;
        this.clock = clock;
    }

    /** GET /api/whoami: {"name", "roles"} of the caller's key (never the key). */
    public Answer whoami(@Variable("apiCaller") ApiKeyGuard.Caller caller) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("name", caller.name());
        answer.put("roles", new ArrayList<>(new TreeSet<>(caller.roles())));
        return ReadAnswers.json(200, answer);
    }

    /**
     * GET /api/stats?from=&to=&bucket=: counts and amounts by status of the payouts created in
     * [from, to) (to: now when not given), the success rate, the review queue, and with
     * {@code bucket} (minute or hour) the counts per bucket.
     */
    public Answer stats(@Variable("requestQuery") String query) {
        QueryParameters.Read read = QueryParameters.read(query, STATS_PARAMETERS);
        List<String> problems = new ArrayList<>(read.problems());
        ReadAnswers.Checked checked = new ReadAnswers.Checked(read, problems);
        Instant from = checked.instant("from");
        Instant to = read.get("to") == null ? clock.instant() : checked.instant("to");
        String bucketName = checked.oneOf("bucket", List.copyOf(new TreeSet<>(BUCKETS.keySet())), text -> text.toLowerCase(Locale.ROOT));
        Duration bucket = bucketName == null ? null : BUCKETS.get(bucketName);
        if (from == null && read.get("from") == null) {
            problems.add("from: required, an ISO-8601 instant (the start of the range, inclusive)");
        }
        if (from != null && to != null) {
            if (!from.isBefore(to)) {
                problems.add("to: must be after from (from is inclusive, to exclusive)");
            } else if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
                problems.add("to: the range may be at most " + MAX_RANGE.toDays() + " days");
            } else if (bucket != null && Duration.between(from, to).dividedBy(bucket) > MAX_BUCKETS) {
                problems.add("bucket: at most " + MAX_BUCKETS + " buckets (a day of minutes); use hour");
            }
        }
        if (!problems.isEmpty()) {
            return ReadAnswers.problems(problems);
        }
        PayoutStats.Figures figures = stats.figures(from, to, bucket);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("from", figures.from().toString());
        answer.put("to", figures.to().toString());
        answer.put("counts", figures.counts());
        answer.put("amounts", figures.amounts());
        answer.put("successRate", figures.successRate());
        answer.put("reviewRequired", figures.reviewRequired());
        answer.put("conflicts", figures.conflicts());
        answer.put("bucket", bucketName);
        answer.put("series", figures.series() == null ? null : figures.series().stream().map(slot -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("at", slot.at().toString());
            entry.put("counts", slot.counts());
            return entry;
        }).toList());
        return ReadAnswers.json(200, answer);
    }
}
