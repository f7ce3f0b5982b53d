package id.camelpayouts.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.Variable;

import id.camelpayouts.api.ReadAnswers.Answer;
import id.camelpayouts.input.StrictJson;
import id.camelpayouts.ledger.OperatorActions;
import id.camelpayouts.ledger.OperatorActions.Verdict;
import id.camelpayouts.ledger.Payout;
import id.camelpayouts.ledger.ProviderPauses;
import id.camelpayouts.payout.InstructionParser;

/**
 * The answers of the API's write side (routes/gateway/api-operate.camel.yaml): cancel, resolve,
 * recheck, approve and reject a payout or a batch, pause and resume a provider. The request body
 * is checked before anything changes (an optional {"note"}; resolve's {"status", "note"}); the
 * person is the API key's name ({@code apiKeyName}), never the key. Answers: 200 with the payout
 * (or the batch's changes, the provider), 400 a bad body, 403 not by this key, 404 nothing by that
 * name, 409 not now, with the payout as it is.
 */
public class OperatorAnswers {

    /** A note is a person's few words for the history, not a document. */
    static final int MAX_NOTE = 500;
    private static final int MAX_BODY = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OperatorActions actions;
    private final ProviderPauses providers;

    public OperatorAnswers(OperatorActions actions, ProviderPauses providers) {
        this.actions = actions;
        this.providers = providers;
    }

    /** What the body says, or why it cannot be read (400). */
    record Request(String status, String note, String problem) {
    }

    public Answer cancel(@Variable("reference") String reference, @Variable("apiKeyName") String by, @Body String body) {
        return onPayout(reference, body, false, request -> payout(actions.cancel(reference, by, request.note())));
    }

    public Answer resolve(@Variable("reference") String reference, @Variable("apiKeyName") String by, @Body String body) {
        return onPayout(reference, body, true, request -> payout(actions.resolve(reference, request.status(), by,
                request.note())));
    }

    /** Approve: 200 with the payout, which the route hands to the worker. */
    public Answer approve(@Variable("reference") String reference, @Variable("apiKeyName") String by, @Body String body) {
        return onPayout(reference, body, false, request -> {
            Answer answer = payout(actions.approve(reference, by, request.note()));
            return answer.status() == 200 ? handingOver(answer, reference) : answer;
        });
    }

    public Answer reject(@Variable("reference") String reference, @Variable("apiKeyName") String by, @Body String body) {
        return onPayout(reference, body, false, request -> payout(actions.reject(reference, by, request.note())));
    }

    /** Recheck: 202 with the payout when a status inquiry may be asked now (the route hands it to the worker). */
    public Answer recheck(@Variable("reference") String reference, @Body String body) {
        return onPayout(reference, body, false, request -> {
            OperatorActions.Result result = actions.recheckable(reference);
            return result.verdict() == Verdict.DONE ? handingOver(json(202, shown(result.payout())), reference)
                    : payout(result);
        });
    }

    public Answer cancelBatch(@Variable("batchId") String batchId, @Variable("apiKeyName") String by, @Body String body) {
        return onBatch(batchId, body, request -> batch(batchId, actions.cancelBatch(batchId, by, request.note()), false));
    }

    /** Approve a batch: the payouts approved are handed to the worker. */
    public Answer approveBatch(@Variable("batchId") String batchId, @Variable("apiKeyName") String by, @Body String body) {
        return onBatch(batchId, body, request -> batch(batchId, actions.approveBatch(batchId, by, request.note()), true));
    }

    public Answer rejectBatch(@Variable("batchId") String batchId, @Variable("apiKeyName") String by, @Body String body) {
        return onBatch(batchId, body, request -> batch(batchId, actions.rejectBatch(batchId, by, request.note()), false));
    }

    /** The body checked (400), then the reference (404), then the action. */
    private static Answer onPayout(String reference, String body, boolean resolve, Function<Request, Answer> action) {
        Request request = read(body, resolve);
        return request.problem() != null ? error(400, request.problem()) : !InstructionParser.isReference(reference)
                ? error(404, "no payout with this reference") : action.apply(request);
    }

    private static Answer onBatch(String batchId, String body, Function<Request, Answer> action) {
        Request request = read(body, false);
        return request.problem() != null ? error(400, request.problem()) : !InstructionParser.isBatchId(batchId)
                ? error(404, "no batch with this id") : action.apply(request);
    }

    /** GET /api/providers: {"items": [{"provider", "paused", "reason", "since", "by", "note"}]}. */
    public Answer providers() {
        return json(200, Map.of("items", providers.list().stream().map(ProviderPauses.State::toMap).toList()));
    }

    public Answer pause(@Variable("provider") String provider, @Variable("apiKeyName") String by, @Body String body) {
        Request request = read(body, false);
        if (request.problem() != null) {
            return error(400, request.problem());
        }
        ProviderPauses.Change change = providers.pause(provider, ProviderPauses.OPERATOR, by, request.note());
        return change == null ? error(404, "no provider with this name is configured") : json(200,
                change.state().toMap());
    }

    /** Resume: the provider, and its held payouts in {@code released} (the route hands them to the worker). */
    public Answer resume(@Variable("provider") String provider, @Variable("apiKeyName") String by, @Body String body) {
        Request request = read(body, false);
        if (request.problem() != null) {
            return error(400, request.problem());
        }
        ProviderPauses.Change change = providers.resume(provider, by, request.note());
        if (change == null) {
            return error(404, "no provider with this name is configured");
        }
        Map<String, Object> answer = new LinkedHashMap<>(change.state().toMap());
        answer.put("released", change.released().size());
        return new Answer(200, ErrorAnswers.JSON_UTF8, write(answer), change.released());
    }

    // ---- mechanics ---------------------------------------------------------------------------

    /**
     * The body: none or a JSON object with an optional {@code note} (at most {@value #MAX_NOTE}
     * characters; control characters are refused) and, for resolve, a mandatory {@code status}
     * SUCCEEDED or FAILED and a mandatory note. Nothing else is taken.
     */
    static Request read(String body, boolean resolve) {
        Map<String, Object> fields = Map.of();
        if (body != null && !body.isBlank()) {
            StrictJson.Read read = StrictJson.object(body, MAX_BODY);
            if (!read.ok()) {
                return new Request(null, null, "the body must be a JSON object of at most " + MAX_BODY
                        + " characters: " + read.problem());
            }
            fields = read.fields();
        }
        List<String> allowed = resolve ? List.of("status", "note") : List.of("note");
        for (String name : fields.keySet()) {
            if (!allowed.contains(name)) {
                return new Request(null, null, "unknown field (the body takes " + String.join(", ", allowed) + ")");
            }
        }
        Object note = fields.get("note");
        if (note != null && !(note instanceof String)) {
            return new Request(null, null, "note: must be text");
        }
        String text = note == null ? null : ((String) note).strip();
        if (text != null && (text.length() > MAX_NOTE || text.chars().anyMatch(Character::isISOControl))) {
            return new Request(null, null, "note: at most " + MAX_NOTE + " characters, on one line");
        }
        if (!resolve) {
            return new Request(null, text == null || text.isEmpty() ? null : text, null);
        }
        Object status = fields.get("status");
        if (!Payout.SUCCEEDED.equals(status) && !Payout.FAILED.equals(status)) {
            return new Request(null, null, "status: must be SUCCEEDED or FAILED");
        }
        if (text == null || text.isEmpty()) {
            return new Request(null, null, "note: mandatory: say why you resolve the payout " + status);
        }
        return new Request((String) status, text, null);
    }

    /**
     * The payout as an action's answer names it: without a cash out's token and PIN, which collect
     * the money and go only to keys with the read role (an operator or approver may have neither).
     */
    private static Map<String, Object> shown(Payout payout) {
        Map<String, Object> outcome = payout.toOutcome();
        outcome.remove("token");
        outcome.remove("pin");
        return outcome;
    }

    private static Answer payout(OperatorActions.Result result) {
        return switch (result.verdict()) {
            case DONE -> json(200, shown(result.payout()));
            case NOT_FOUND -> error(404, result.error());
            case FORBIDDEN, TOO_LATE -> {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("error", result.error());
                answer.put("payout", shown(result.payout()));
                yield json(result.verdict() == Verdict.FORBIDDEN ? 403 : 409, answer);
            }
        };
    }

    /** {@code toWorker}: the payouts changed go to the worker now (approved). */
    private static Answer batch(String batchId, OperatorActions.BatchResult result, boolean toWorker) {
        if (result.verdict() == Verdict.NOT_FOUND) {
            return error(404, result.error());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("batch", batchId);
        answer.put("changed", result.changed());
        answer.put("references", result.references());
        if (result.cancelledAt() != null) {
            answer.put("cancelledAt", result.cancelledAt().toString());
        }
        if (result.error() != null) {
            answer.put("error", result.error());
        }
        int status = switch (result.verdict()) {
            case DONE -> 200;
            case FORBIDDEN, NOT_FOUND -> 403;
            case TOO_LATE -> 409;
        };
        Answer made = json(status, answer);
        return toWorker ? new Answer(made.status(), made.contentType(), made.body(), result.references()) : made;
    }

    private static Answer handingOver(Answer answer, String reference) {
        return new Answer(answer.status(), answer.contentType(), answer.body(), List.of(reference));
    }

    private static Answer error(int status, String message) {
        return json(status, Map.of("error", message));
    }

    private static Answer json(int status, Object body) {
        return new Answer(status, ErrorAnswers.JSON_UTF8, write(body));
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("answer not serialisable", e);
        }
    }
}
