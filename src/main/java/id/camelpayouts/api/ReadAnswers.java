package id.camelpayouts.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Variable;

import id.camelpayouts.files.PayoutFiles;
import id.camelpayouts.ledger.Payout;
import id.camelpayouts.ledger.PayoutQueries;
import id.camelpayouts.ledger.PayoutQueries.Position;
import id.camelpayouts.payout.InstructionParser;
import id.camelpayouts.payout.PayoutIntake;

/**
 * The answers of the API's read side (routes/gateway/api-payout-search.camel.yaml and
 * api-batches.camel.yaml): the search, a payout's history, batches and a batch's results. Each
 * parameter is checked before the ledger is asked; every bad one is a named problem (400).
 */
public class ReadAnswers {

    /**
     * What the route answers: status, media type and body, as sent; and the payouts the answer's
     * action handed back to the worker ({@code handOver}: approved, released, to be rechecked).
     */
    public record Answer(int status, String contentType, String body, List<String> handOver) {
        public Answer(int status, String contentType, String body) {
            this(status, contentType, body, List.of());
        }
    }

    static final List<String> SEARCH_PARAMETERS = List.of("status", "provider", "method", "reviewRequired", "intake",
            "batch", "createdFrom", "createdTo", "amountMin", "amountMax", "referencePrefix", "limit", "cursor");
    static final List<String> PAGE_PARAMETERS = List.of("limit", "cursor");
    private static final Pattern REFERENCE_PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern AMOUNT = Pattern.compile("\\d{1,13}");
    private static final Pattern LIMIT = Pattern.compile("\\d{1,4}");
    private static final long MAX_AMOUNT = 1_000_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PayoutQueries queries;
    private final PayoutFiles files;
    private final long maxRows;

    /**
     * @param maxRows payouts.files.max-rows: the most rows a dropped file may have, and so the most
     *        payouts of another batch whose results are answered (each is made whole in memory)
     */
    public ReadAnswers(PayoutQueries queries, PayoutFiles files, long maxRows) {
        this.queries = queries;
        this.files = files;
        this.maxRows = maxRows;
    }

    /** GET /api/payouts: {"items": [outcome...], "nextCursor": ... | null}, newest first. */
    public Answer search(@Variable("requestQuery") String query) {
        QueryParameters.Read read = QueryParameters.read(query, SEARCH_PARAMETERS);
        List<String> problems = new ArrayList<>(read.problems());
        Checked checked = new Checked(read, problems);
        PayoutQueries.Search search = new PayoutQueries.Search(
                checked.oneOf("status", Payout.STATUSES, text -> text.toUpperCase(Locale.ROOT)),
                checked.oneOf("provider", List.copyOf(new java.util.TreeSet<>(InstructionParser.PROVIDERS)),
                        text -> text.toLowerCase(Locale.ROOT)),
                checked.oneOf("method", List.copyOf(new java.util.TreeSet<>(InstructionParser.METHODS)),
                        text -> text.toUpperCase(Locale.ROOT)),
                checked.bool("reviewRequired"),
                checked.oneOf("intake", PayoutIntake.CHANNELS, text -> text.toLowerCase(Locale.ROOT)),
                checked.batch("batch"),
                checked.instant("createdFrom"), checked.instant("createdTo"),
                checked.amount("amountMin"), checked.amount("amountMax"),
                checked.matching("referencePrefix", REFERENCE_PREFIX,
                        "must be 1-64 of A-Z, a-z, 0-9, '.', '_' or '-' (the start of a reference)"),
                checked.limit(), checked.cursor());
        if (search.createdFrom() != null && search.createdTo() != null
                && !search.createdFrom().isBefore(search.createdTo())) {
            problems.add("createdTo: must be after createdFrom (createdFrom is inclusive, createdTo exclusive)");
        }
        if (search.amountMin() != null && search.amountMax() != null && search.amountMin() > search.amountMax()) {
            problems.add("amountMax: must not be below amountMin");
        }
        if (!problems.isEmpty()) {
            return problems(problems);
        }
        PayoutQueries.Page<Payout> page = queries.search(search);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("items", page.items().stream().map(Payout::toOutcome).toList());
        answer.put("nextCursor", page.nextCursor());
        return json(200, answer);
    }

    /** GET /api/payouts/{reference}/history: {"reference", "entries": [...]} oldest first, or 404. */
    public Answer history(@Variable("reference") String reference) {
        List<Map<String, Object>> entries = InstructionParser.isReference(reference) ? queries.history(reference) : null;
        if (entries == null) {
            return error(404, "no payout with this reference");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("reference", reference);
        answer.put("entries", entries);
        return json(200, answer);
    }

    /** GET /api/batches: {"items": [batch...], "nextCursor": ... | null}, newest first. */
    public Answer batches(@Variable("requestQuery") String query) {
        QueryParameters.Read read = QueryParameters.read(query, PAGE_PARAMETERS);
        List<String> problems = new ArrayList<>(read.problems());
        Checked checked = new Checked(read, problems);
        int limit = checked.limit();
        Position after = checked.cursor();
        if (!problems.isEmpty()) {
            return problems(problems);
        }
        PayoutQueries.Page<PayoutQueries.Batch> page = queries.batches(limit, after);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("items", page.items().stream().map(PayoutQueries.Batch::toMap).toList());
        answer.put("nextCursor", page.nextCursor());
        return json(200, answer);
    }

    /** GET /api/batches/{id}: the batch, or 404. */
    public Answer batch(@Variable("batchId") String id) {
        PayoutQueries.Batch batch = InstructionParser.isBatchId(id) ? queries.batch(id) : null;
        return batch == null ? error(404, "no batch with this id") : json(200, batch.toMap());
    }

    /**
     * GET /api/batches/{id}/results: the results file as CSV: a dropped file's, as the outbox has
     * it; for any other batch the same columns, a row per payout in the order they came in, read a
     * page at a time. Such a batch has as many payouts as instructions named it: one of more than a
     * file may have rows (payouts.files.max-rows) is 409 before any of them is read (its answer,
     * made whole in memory, would take the heap a file of that size is refused for).
     */
    public Answer batchResults(@Variable("batchId") String id) {
        PayoutQueries.Batch batch = InstructionParser.isBatchId(id) ? queries.batch(id) : null;
        if (batch == null) {
            return error(404, "no batch with this id");
        }
        if (batch.fileId() == null) {
            long size = queries.batchSize(id);
            if (size > maxRows) {
                return error(409, "the batch has " + size + " payouts, more than payouts.files.max-rows (" + maxRows
                        + ") that a results file may have: read them with GET /api/payouts?batch=<id>&limit=500,"
                        + " a page at a time");
            }
        }
        String csv = batch.fileId() != null ? files.resultsNow(batch.fileId())
                : PayoutFiles.render(sink -> queries.batchOutcomes(id, sink));
        return new Answer(200, "text/csv; charset=utf-8", csv);
    }

    static Answer problems(List<String> problems) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", String.join("; ", problems));
        body.put("problems", problems);
        return json(400, body);
    }

    static Answer error(int status, String message) {
        return json(status, Map.of("error", message));
    }

    static Answer json(int status, Object body) {
        try {
            return new Answer(status, ErrorAnswers.JSON_UTF8, JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("answer not serialisable", e);
        }
    }

    /** The parameters read, each checked once; every problem goes to {@code problems}. Values are never echoed. */
    record Checked(QueryParameters.Read read, List<String> problems) {

        String oneOf(String name, List<String> allowed, Function<String, String> normal) {
            String value = read.get(name);
            if (value == null) {
                return null;
            }
            String normalised = normal.apply(value);
            if (!allowed.contains(normalised)) {
                problems.add(name + ": must be one of " + String.join(", ", allowed));
                return null;
            }
            return normalised;
        }

        Boolean bool(String name) {
            String value = read.get(name);
            if (value == null) {
                return null;
            }
            if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                problems.add(name + ": must be true or false");
                return null;
            }
            return Boolean.parseBoolean(value);
        }

        String batch(String name) {
            String value = read.get(name);
            if (value != null && !InstructionParser.isBatchId(value)) {
                problems.add(name + ": must be a batch id (1-255 characters, no control characters, / or \\)");
                return null;
            }
            return value;
        }

        String matching(String name, Pattern pattern, String rule) {
            String value = read.get(name);
            if (value != null && !pattern.matcher(value).matches()) {
                problems.add(name + ": " + rule);
                return null;
            }
            return value;
        }

        Instant instant(String name) {
            String value = read.get(name);
            if (value == null) {
                return null;
            }
            if (value.length() <= 40) {
                try {
                    return OffsetDateTime.parse(value).toInstant();
                } catch (DateTimeParseException notAnOffsetTime) {
                    // below: an instant written with Z
                }
                try {
                    return Instant.parse(value);
                } catch (DateTimeParseException notAnInstant) {
                    // named below
                }
            }
            problems.add(name + ": must be an ISO-8601 instant, e.g. 2026-06-03T10:00:00Z or 2026-06-03T17:00:00+07:00"
                    + " (a + in a URL is written %2B)");
            return null;
        }

        Long amount(String name) {
            String value = read.get(name);
            if (value == null) {
                return null;
            }
            if (!AMOUNT.matcher(value).matches() || Long.parseLong(value) > MAX_AMOUNT) {
                problems.add(name + ": must be a whole number of rupiah, 0 to " + MAX_AMOUNT);
                return null;
            }
            return Long.parseLong(value);
        }

        int limit() {
            String value = read.get("limit");
            if (value == null) {
                return PayoutQueries.DEFAULT_LIMIT;
            }
            if (!LIMIT.matcher(value).matches() || Integer.parseInt(value) < 1
                    || Integer.parseInt(value) > PayoutQueries.MAX_LIMIT) {
                problems.add("limit: must be a whole number from 1 to " + PayoutQueries.MAX_LIMIT);
                return PayoutQueries.DEFAULT_LIMIT;
            }
            return Integer.parseInt(value);
        }

        Position cursor() {
            String value = read.get("cursor");
            if (value == null) {
                return null;
            }
            Position position = value.length() <= 512 ? Position.ofCursor(value) : null;
            if (position == null) {
                problems.add("cursor: not a cursor of this list; use nextCursor of the previous page as it came");
            }
            return position;
        }
    }
}
