package id.camelpayouts.payout;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.camel.Body;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.StreamCache;
import org.apache.camel.Variable;
import org.apache.camel.WrappedFile;

import id.camelpayouts.ledger.PayoutLedger;
import id.camelpayouts.ledger.PayoutQueries;
import id.camelpayouts.ledger.Submission;

/**
 * Where every input (HTTP, file row, JMS message) hands in an instruction: it is validated and,
 * if valid, written to the ledger. Only after this returns ACCEPTED or REPEATED may the input be
 * acknowledged: acknowledged any earlier, a crash would lose a payout its sender believes taken;
 * acknowledged after, the worst a crash does is make the sender deliver it again, a repeat the
 * ledger recognises by its reference and never pays twice.
 */
public class PayoutIntake {

    /** The intake channels a payout can be taken in from (its {@code intake}). */
    public static final List<String> CHANNELS = List.of("api", "file", "jms", "block");

    /** What the input should answer: the kind decides the HTTP status, the outcome is the body. */
    public record Intake(String kind, String reference, Map<String, Object> outcome) {

        /** Why the instruction was refused (REJECTED or CONFLICT), or null when it was taken. */
        public String refusal() {
            Object why = outcome.get("error") != null ? outcome.get("error") : outcome.get("reason");
            return "REJECTED".equals(kind) || "CONFLICT".equals(kind) ? String.valueOf(why) : null;
        }
    }

    private final InstructionParser parser;
    private final PayoutLedger ledger;
    private final PayoutQueries queries;
    private final Clock clock;
    private final Set<String> providers;

    /** {@code providers}: those this application is configured for; an instruction naming another is REJECTED. */
    public PayoutIntake(InstructionParser parser, PayoutLedger ledger, Clock clock, Set<String> providers) {
        this.parser = parser;
        this.ledger = ledger;
        this.queries = new PayoutQueries(ledger);
        this.clock = clock;
        this.providers = Set.copyOf(providers);
    }

    /**
     * Accepts a JSON text (String or UTF-8 bytes) or an already parsed row (a map of field to value).
     *
     * @param channel     how it came: api, file, jms or block (the payout-submit block's {@code intake})
     * @param batch       the batch the input puts it in (a dropped file's name), or null: then the
     *                    instruction's own {@code batch} field, if any. A file's row naming another
     *                    batch is refused, and so is an instruction naming a file's batch.
     * @param submittedBy the name of the API key that sent it, or null
     */
    @SuppressWarnings("unchecked")
    public Intake accept(@Body Object instruction, @Variable("payoutIntake") String channel,
            @Variable("payoutBatch") String batch, @Variable("apiKeyName") String submittedBy) {
        InstructionParser.Parsed parsed = instruction instanceof Map<?, ?> row
                ? parser.parse((Map<String, ?>) row)
                : instruction instanceof byte[] bytes ? parser.parseJson(bytes)
                : parser.parseJson(instruction == null ? "" : instruction.toString());
        if (!parsed.valid()) {
            return new Intake("REJECTED", parsed.reference(), rejected(parsed.reference(), parsed.problems()));
        }
        String provider = parsed.instruction().provider();
        // A repeat of a payout taken while the provider was on is still answered as a repeat.
        if (provider != null && !providers.contains(provider) && ledger.find(parsed.reference()) == null) {
            return new Intake("REJECTED", parsed.reference(), rejected(parsed.reference(), List.of("provider: "
                    + provider + " is not configured here (configured: " + String.join(", ", providers.stream()
                            .sorted().toList()) + ")")));
        }
        PayoutInstruction valid = parsed.instruction();
        if (batch != null) {
            if (valid.batch() != null && !Objects.equals(valid.batch(), batch)) {
                return new Intake("REJECTED", parsed.reference(), rejected(parsed.reference(), List.of(
                        "batch: a dropped file's rows belong to the batch named after the file; leave batch empty")));
            }
            valid = valid.inBatch(batch);
        } else if (valid.batch() != null && queries.isFileBatch(valid.batch())) {
            return new Intake("REJECTED", parsed.reference(), rejected(parsed.reference(), List.of(
                    "batch: names a dropped file's batch, which holds the file's rows only; use a batch id of your own")));
        }
        Submission submission = ledger.submit(valid, new PayoutLedger.Origin(channel == null ? "block" : channel,
                submittedBy));
        Map<String, Object> outcome = submission.payout().toOutcome();
        // A cash out's token and PIN collect the money: the answer to a submission (a repeat, or
        // another instruction under the reference) never carries them, whoever submits; they go to
        // those who may read (GET, the outcomes queue, the webhook).
        outcome.remove("token");
        outcome.remove("pin");
        if (submission.kind() == Submission.Kind.CONFLICT) {
            outcome.put("error", "reference " + parsed.reference()
                    + " was already used for a different instruction; use a new reference");
        }
        return new Intake(submission.kind().name(), parsed.reference(), outcome);
    }

    /**
     * {@link #accept} as a processor (bound as {@code payoutsAccept}: no bean-method lookup or
     * exchange copy per instruction): sets {@code intake} and, for the block's choices, plain
     * variables: {@code intakeKind}, {@code intakeReference}, {@code intakeRefusal} and
     * {@code intakeOutcome}.
     */
    public Processor acceptStep() {
        return exchange -> {
            Intake intake = accept(instruction(exchange.getMessage()), exchange.getVariable("payoutIntake", String.class),
                    exchange.getVariable("payoutBatch", String.class), exchange.getVariable("apiKeyName", String.class));
            exchange.setVariable("intake", intake);
            exchange.setVariable("intakeKind", intake.kind());
            exchange.setVariable("intakeReference", intake.reference());
            exchange.setVariable("intakeRefusal", intake.refusal());
            exchange.setVariable("intakeOutcome", intake.outcome());
        };
    }

    /**
     * The message's body as {@link #accept} takes it. A source whose body is a stream or a file (a
     * {@code file:} source's message, a streamed HTTP body) is read as its bytes, at most one byte
     * more than the parser takes (a larger one is refused for its size, never read whole); any
     * other body is taken as it is. A stream, read once, is replaced by the bytes read, so that a
     * refused instruction still reaches refusedUri as it came.
     */
    static Object instruction(Message message) throws IOException {
        Object body = message.getBody();
        boolean stream = body instanceof InputStream || body instanceof StreamCache;
        if (stream || body instanceof WrappedFile<?> || body instanceof File || body instanceof Path) {
            byte[] read;
            try (InputStream in = message.getBody(InputStream.class)) {
                if (in == null) {
                    return body;
                }
                read = in.readNBytes(InstructionParser.MAX_JSON + 1);
            }
            if (stream) {
                message.setBody(read);
            }
            return read;
        }
        return body;
    }

    private Map<String, Object> rejected(String reference, List<String> problems) {
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("reference", reference);
        outcome.put("status", "REJECTED");
        outcome.put("reason", String.join("; ", problems));
        outcome.put("problems", problems);
        outcome.put("updatedAt", clock.instant().toString());
        return outcome;
    }
}
