package id.camelpayouts.files;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Processor;
import org.apache.camel.Variable;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import id.camelpayouts.duitku.DuitkuSignature;
import id.camelpayouts.input.LastingFailure;
import id.camelpayouts.ledger.BatchLedger;
import id.camelpayouts.ledger.Payout;
import id.camelpayouts.payout.PayoutIntake;

/**
 * The file drop's mechanics, called by routes/gateway/file-drop-payouts.camel.yaml and
 * routes/gateway/write-results-files.camel.yaml: reading a dropped file into a batch, remembering which payout
 * each row became, and rendering {@code <name>.results.csv} from the ledger.
 */
public class PayoutFiles {

    /** Columns of a results file: the row number, then the outcome's fields. */
    public static final List<String> RESULT_COLUMNS = List.of("row", "reference", "status", "hold", "provider", "method",
            "providerReference", "responseCode", "responseDesc", "accountName", "amount", "reason", "updatedAt");

    private static final Logger LOG = LoggerFactory.getLogger(PayoutFiles.class);
    /**
     * Reading and rendering a big batch's results costs time proportional to its rows, every
     * results interval: a batch is read again only after this many times its last reading took
     * (so that rewriting stays a small share of the work, however big the file: at most a tenth of
     * one core; at 4, a fifth, it was 3% of a 10,000-row file's CPU on 2 cores, issue 17). A small
     * file (milliseconds) is still rewritten every interval, and a file's last version is written as
     * soon as its last rows turn final, whatever the pause.
     */
    private static final long RESULTS_PAUSE_FACTOR = 9;
    private static final String RESULTS_SUFFIX = ".results.csv";
    /**
     * Rows are recorded in the ledger this many at a time (and the file's last row at once): one
     * commit per row cost as much as the payout's own intake. Nothing is lost by the wait: a file
     * is moved out of the inbox only after its last row is recorded, and a file read again (after
     * a crash or a failure) has its rows recorded afresh.
     */
    static final int ROWS_PER_COMMIT = 200;
    private static final ObjectWriter CSV_WRITER;
    /** First characters that make a spreadsheet evaluate a cell (tab and CR can hide one behind them). */
    private static final String FORMULA_STARTS = "=+-@\t\r";

    static {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        RESULT_COLUMNS.forEach(schema::addColumn);
        CSV_WRITER = new CsvMapper().writer(schema.build());
    }

    /**
     * A dropped file read into rows; its id is the same for the same name and content.
     * {@code unrecorded}: rows taken in but not yet recorded in the ledger (the split is sequential).
     */
    public record Batch(String id, String fileName, List<Object> rows, Instant startedAt,
            List<BatchLedger.Row> unrecorded) {
    }

    /**
     * A results file to (re)write: its content staged in {@code staged}, with the SHA-256 of it;
     * {@code complete} when every row is final.
     */
    public record ResultsFile(String batchId, String name, File staged, String digest, boolean complete) {
    }

    private final BatchLedger batches;
    /** The SHA-256 of each open batch's results file as last written. */
    private final Map<String, String> lastWritten = new ConcurrentHashMap<>();
    /** The files the last {@link #resultsToWrite} staged (the results route runs one call at a time). */
    private final List<Path> staged = new ArrayList<>();
    private final Map<String, Instant> lastProgressLog = new ConcurrentHashMap<>();
    /** System.nanoTime() before which a batch's results are not read again. */
    private final Map<String, Long> nextReadAt = new ConcurrentHashMap<>();
    /** Per open file, by name: how near its last row is, as far as this instance can tell. */
    private final Map<String, Progress> progress = new ConcurrentHashMap<>();
    private final long resultsIntervalNanos;
    /** payouts.files.max-rows: a file with more is refused whole, before any row is taken in. */
    private final long maxRows;
    /** The open batches (id, file name) as last listed, and when they are listed again. */
    private volatile List<String[]> listed = List.of();
    private long nextListingAt = System.nanoTime();
    private volatile Runnable lastRowsFinal = () -> { };
    /**
     * The results route's failures (an outbox unwritable, a full disk): retried every interval, so
     * each one logged would be a line, and with Camel's handlers a stack trace, twice a second.
     */
    private final LastingFailure writeFailures = new LastingFailure(LOG, "Results files", Duration.ofMinutes(1));

    /**
     * {@code resultsInterval}: how often open batches are listed and their results rewritten. A
     * batch whose last rows this instance has seen turn final is written at once instead (see
     * {@link #whenLastRowsFinal}): whoever waits for a file's last row does not also wait for the
     * interval.
     */
    public PayoutFiles(BatchLedger batches, Duration resultsInterval, long maxRows) {
        this.batches = batches;
        this.resultsIntervalNanos = resultsInterval.toNanos();
        this.maxRows = maxRows;
    }

    /**
     * Rows of an open file counted down as this instance sees its payouts turn final (told by the
     * ledger, after the commit). Payouts other gateways settle are not seen: their rows are found at
     * the next interval.
     */
    private static final class Progress {
        /** Rows not final at the last reading (all, before the first). */
        volatile int unfinalAtLastRead = Integer.MAX_VALUE;
        final AtomicInteger finalSinceRead = new AtomicInteger();

        boolean neverRead() {
            return unfinalAtLastRead == Integer.MAX_VALUE;
        }

        /**
         * Rows were left at the last reading and have all turned final since. Not when none was left:
         * that file was complete at its reading, and written then; read again at every look (100 ms),
         * a file whose write keeps failing (a full disk) would be read from the ledger 10 times a
         * second; it is retried at the interval instead.
         */
        boolean lastRowsFinal() {
            int left = unfinalAtLastRead;
            return left > 0 && finalSinceRead.get() >= left;
        }
    }

    /**
     * The ledger's word that {@code payout} is final: counts down its file's rows, and when they are
     * its last, has the results written at once (the results route's schedule woken).
     */
    public void payoutFinal(Payout payout) {
        Progress file = payout.getBatchId() == null ? null : progress.get(payout.getBatchId());
        if (file != null) {
            file.finalSinceRead.incrementAndGet();
            if (file.lastRowsFinal()) {
                lastRowsFinal.run();
            }
        }
    }

    /** What to do when an open file's last rows have just turned final: wake the results route. */
    public void whenLastRowsFinal(Runnable wake) {
        lastRowsFinal = wake;
    }

    /**
     * Reads the file and opens its batch (a re-dropped file reopens the same batch). The batch's id
     * is the file's name: a file whose name is already the id of another batch (a file dropped
     * before under that name with other content, or instructions that named that batch) cannot be
     * told from it, and is refused whole, before any row is paid.
     */
    public Batch open(@Header("CamelFileName") String fileName, byte[] content) {
        List<Object> rows = PayoutFileReader.read(fileName, content, maxRows);
        String id = DuitkuSignature.sha256Hex(fileName + "\n" + DuitkuSignature.sha256Hex(new String(content,
                java.nio.charset.StandardCharsets.ISO_8859_1)));
        if (batches.nameTaken(fileName, id)) {
            throw new UnreadableFileException("a batch named after this file exists already (a file dropped"
                    + " before under this name with other content, or instructions with this batch id): drop it"
                    + " under a name of its own; nothing in it was paid");
        }
        batches.open(id, fileName, rows.size());
        lastWritten.remove(id);
        nextReadAt.remove(id);
        progress.put(fileName, new Progress());
        if (listed.stream().noneMatch(open -> open[0].equals(id))) {
            listed = java.util.stream.Stream.concat(listed.stream(), java.util.stream.Stream.<String[]>of(
                    new String[] {id, fileName})).toList(); // its first results without waiting for the listing
        }
        LOG.info("File {}: {} rows", fileName, rows.size());
        return new Batch(id, fileName, rows, Instant.now(), new ArrayList<>());
    }

    /** Remembers what the intake made of row {@code index} (0-based) of the batch. */
    public void recordRow(@Variable("batch") Batch batch, @Variable("intake") PayoutIntake.Intake intake,
            @ExchangeProperty("CamelSplitIndex") int index) {
        Map<String, Object> refusal = null;
        if ("REJECTED".equals(intake.kind()) || "CONFLICT".equals(intake.kind())) {
            // A refused row never reaches the ledger's payouts: its REJECTED outcome is kept with the row.
            refusal = new java.util.LinkedHashMap<>(intake.outcome());
            refusal.put("status", "REJECTED");
            if ("CONFLICT".equals(intake.kind())) {
                refusal = new java.util.LinkedHashMap<>(Map.of("reference", intake.reference(), "status", "REJECTED",
                        "reason", intake.outcome().get("error")));
            }
            refusal.keySet().retainAll(RESULT_COLUMNS);
            if (refusal.get("reference") instanceof String reference && reference.length() > 100) {
                refusal.put("reference", reference.substring(0, 100) + "...");
            }
        }
        int taken = index + 1;
        batch.unrecorded().add(new BatchLedger.Row(taken, refusal == null ? intake.reference() : null, refusal));
        if (batch.unrecorded().size() >= ROWS_PER_COMMIT || taken == batch.rows().size()) {
            batches.recordRows(batch.id(), batch.unrecorded());
            batch.unrecorded().clear();
        }
        if (taken == batch.rows().size()) {
            // Every row recorded: read once more, and from then on count down exactly (a payout final
            // before its row was recorded, or a refused row, is seen by that reading).
            progress.put(batch.fileName(), new Progress());
        }
        if (taken % 1000 == 0 || taken == batch.rows().size()) {
            double seconds = Math.max(0.001, Duration.between(batch.startedAt(), Instant.now()).toMillis() / 1000.0);
            LOG.info("File {}: {}/{} rows taken in ({} rows/s)", batch.fileName(), taken, batch.rows().size(),
                    Math.round(taken / seconds));
        }
    }

    /** {@link #recordRow} as a processor (bound as {@code payoutsRecordRow}: no bean-method lookup per row). */
    public Processor recordRowStep() {
        return exchange -> recordRow(exchange.getVariable("batch", Batch.class),
                exchange.getVariable("intake", PayoutIntake.Intake.class),
                exchange.getProperty(Exchange.SPLIT_INDEX, Integer.class));
    }

    /**
     * The results files whose content changed since they were last written, each rendered row by
     * row into a staged file (not into a string: a big file's results are never held whole in
     * memory); the route copies it to the outbox and {@link #written} deletes it.
     */
    public List<ResultsFile> resultsToWrite() throws IOException {
        deleteStaged();
        long now = System.nanoTime();
        boolean intervalDue = now - nextListingAt >= 0;
        if (intervalDue) {
            listed = batches.openBatches();
            nextListingAt = now + resultsIntervalNanos;
        }
        List<ResultsFile> files = new ArrayList<>();
        for (String[] open : listed) {
            String batchId = open[0];
            Progress rows = progress.computeIfAbsent(open[1], name -> new Progress());
            long began = System.nanoTime();
            Long next = nextReadAt.get(batchId);
            boolean due = intervalDue && (next == null || began - next >= 0) || rows.neverRead();
            if (!due && !rows.lastRowsFinal()) {
                continue;
            }
            rows.finalSinceRead.set(0); // before the reading: a row final meanwhile is counted, never missed
            Path staging = Files.createTempFile("camel-payouts-results-", ".csv");
            staged.add(staging);
            BatchLedger.BatchResults results;
            String digest;
            try (OutputStream out = Files.newOutputStream(staging); ResultsCsv csv = new ResultsCsv(out)) {
                results = batches.results(batchId, csv::write);
                digest = csv.finish();
            }
            rows.unfinalAtLastRead = results.rowCount() - results.finalRows();
            long took = System.nanoTime() - began;
            nextReadAt.put(batchId, System.nanoTime() + RESULTS_PAUSE_FACTOR * took);
            if (!digest.equals(lastWritten.get(batchId)) || results.complete()) {
                files.add(new ResultsFile(batchId, open[1] + RESULTS_SUFFIX, staging.toFile(), digest,
                        results.complete()));
                logProgress(open[1], results);
            }
        }
        return files;
    }

    public void written(@Variable("results") ResultsFile file) {
        lastWritten.put(file.batchId(), file.digest());
        if (file.complete()) {
            batches.complete(file.batchId());
            lastWritten.remove(file.batchId());
            nextReadAt.remove(file.batchId());
            lastProgressLog.remove(file.batchId());
            listed = listed.stream().filter(open -> !open[0].equals(file.batchId())).toList();
            progress.remove(file.name().substring(0, file.name().length() - RESULTS_SUFFIX.length()));
            LOG.info("File {}: every row final", file.name());
        }
    }

    /**
     * The end of a results round that wrote everything it had to: a failure before, if any, is over.
     * (A round with nothing to write proves nothing about the outbox.)
     */
    public void allWritten(List<ResultsFile> files) {
        if (files != null && !files.isEmpty()) {
            writeFailures.succeeded();
        }
    }

    /**
     * The results route's consumer's exception handler (bound as {@code payoutsResultsFailures}):
     * a failed round, logged by {@link LastingFailure}. The route has no error handler of its own,
     * so the round's exchange still counts as failed in camel_exchanges_failed_total.
     */
    public ExceptionHandler failures() {
        return new ExceptionHandler() {
            @Override
            public void handleException(Throwable exception) {
                writeFailures.failed(exception);
            }

            @Override
            public void handleException(String message, Throwable exception) {
                writeFailures.failed(exception);
            }

            @Override
            public void handleException(String message, Exchange exchange, Throwable exception) {
                writeFailures.failed(exception);
            }
        };
    }

    /** Whether the last results round failed. */
    public boolean writesFailing() {
        return writeFailures.failing();
    }

    /** Deletes the files staged by the last {@link #resultsToWrite} (written or not: a failed write is retried afresh). */
    private void deleteStaged() {
        for (Path file : staged) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("Staged results file {} not deleted: {}", file, e.getMessage());
            }
        }
        staged.clear();
    }

    private void logProgress(String fileName, BatchLedger.BatchResults results) {
        Instant last = lastProgressLog.get(fileName);
        if (results.rowCount() >= 500 && (last == null || last.isBefore(Instant.now().minusSeconds(5)))) {
            LOG.info("File {}: {}/{} rows final", fileName, results.finalRows(), results.rowCount());
            lastProgressLog.put(fileName, Instant.now());
        }
    }

    /** The results file of the dropped file's batch {@code fileId} as it is now (for GET /api/batches/{id}/results). */
    public String resultsNow(String fileId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ResultsCsv csv = new ResultsCsv(out)) {
            batches.results(fileId, csv::write);
        } catch (IOException e) {
            throw new IllegalStateException("results not renderable", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * The results file's text: the result columns of each row, nothing else (an outcome's other keys,
     * a cash out's token and PIN or the review flag, stay out of a file on disk), each cell made safe
     * for a spreadsheet by {@link #spreadsheetSafe}.
     */
    public static String render(List<Map<String, Object>> rows) {
        return render(sink -> {
            for (Map<String, Object> row : rows) {
                try {
                    sink.take(row);
                } catch (IOException e) {
                    throw new IllegalStateException("results not renderable", e);
                }
            }
        });
    }

    /** {@link #render(List)} of the rows {@code source} hands to its sink one at a time, never all held at once. */
    public static String render(java.util.function.Consumer<id.camelpayouts.ledger.PayoutQueries.OutcomeSink> source) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ResultsCsv csv = new ResultsCsv(out)) {
            source.accept(csv::write);
        } catch (IOException e) {
            throw new IllegalStateException("results not renderable", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * A results file written (as {@link #render}) one row at a time into a stream, with the SHA-256
     * of what was written, by which a changed file is told from an unchanged one.
     */
    static final class ResultsCsv implements Closeable {
        private final MessageDigest sha256;
        private final SequenceWriter writer;
        private final Map<String, Object> cells = new LinkedHashMap<>();

        ResultsCsv(OutputStream out) throws IOException {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            writer = CSV_WRITER.writeValues(new DigestOutputStream(out, sha256));
        }

        void write(Map<String, Object> row) throws IOException {
            RESULT_COLUMNS.forEach(column -> cells.put(column, spreadsheetSafe(row.get(column))));
            writer.write(cells);
        }

        /** Ends the file; the SHA-256 of everything written (hex). */
        String finish() throws IOException {
            writer.close();
            return HexFormat.of().formatHex(sha256.digest());
        }

        @Override
        public void close() throws IOException {
            writer.close();
        }
    }

    /**
     * A cell a spreadsheet would take for a formula (starting with {@code = + - @}, or a tab or CR
     * before one) gets a {@code '} in front, as OWASP advises against CSV injection: it then opens as
     * text. A refused row's reference can be anything, and even a valid reference may start with
     * {@code -} ({@code -A1} is a formula). Our numbers are never negative, so no number changes.
     */
    private static Object spreadsheetSafe(Object cell) {
        if (cell == null) {
            return null;
        }
        String text = cell.toString();
        return !text.isEmpty() && FORMULA_STARTS.indexOf(text.charAt(0)) >= 0 ? "'" + text : cell;
    }
}
