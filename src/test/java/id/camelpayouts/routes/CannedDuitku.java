package id.camelpayouts.routes;

import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Stands where duitku-call sends its HTTP request: answers each Duitku operation (inquiry,
 * transfer, cashout, inquirystatus) with the answers a test queued for it, in order, and keeps
 * every request it was sent. An operation with nothing queued is "no answer" (as a dropped
 * connection), and noted as unexpected.
 */
final class CannedDuitku implements Processor {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: an HTTP status and a JSON body, or {@code body} null for no answer at all. */
    record Canned(int httpStatus, Map<String, Object> body) {
    }

    private final Map<String, Deque<Canned>> queued = new ConcurrentHashMap<>();
    private final List<String> sent = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Deque<Meanwhile>> meanwhile = new ConcurrentHashMap<>();

    /** What happens while an operation is asked, before its answer comes back. */
    interface Meanwhile {
        void happen() throws Exception;
    }

    /** The next call of {@code operation} gets {@code answer} (HTTP 200). */
    CannedDuitku answer(String operation, Map<String, Object> answer) {
        return answer(operation, 200, answer);
    }

    CannedDuitku answer(String operation, int httpStatus, Map<String, Object> body) {
        queued.computeIfAbsent(operation, any -> new ConcurrentLinkedDeque<>()).add(new Canned(httpStatus, body));
        return this;
    }

    /**
     * While the next call of {@code operation} is asked (on the asking thread, before its answer
     * is returned), {@code event} happens: e.g. a callback arriving while a worker waits for Duitku.
     */
    CannedDuitku meanwhile(String operation, Meanwhile event) {
        meanwhile.computeIfAbsent(operation, any -> new ConcurrentLinkedDeque<>()).add(event);
        return this;
    }

    /** The next call of {@code operation} gets no answer (timeout, dropped connection). */
    CannedDuitku noAnswer(String operation) {
        return answer(operation, 0, null);
    }

    /** Operations called so far, in order ("inquiry", "transfer", "inquirystatus", ...). */
    List<String> sent() {
        return List.copyOf(sent);
    }

    long sent(String operation) {
        return sent().stream().filter(operation::equals).count();
    }

    List<String> unexpected() {
        return List.copyOf(unexpected);
    }

    /** Answers not asked for yet. */
    int left() {
        return queued.values().stream().mapToInt(Deque::size).sum();
    }

    void reset() {
        queued.clear();
        meanwhile.clear();
        sent.clear();
        unexpected.clear();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String operation = exchange.getVariable("duitkuOperation", String.class);
        sent.add(operation);
        Deque<Meanwhile> events = meanwhile.get(operation);
        Meanwhile event = events == null ? null : events.poll();
        if (event != null) {
            event.happen();
        }
        Deque<Canned> answers = queued.get(operation);
        Canned canned = answers == null ? null : answers.poll();
        if (canned == null) {
            unexpected.add(operation);
        }
        if (canned == null || canned.body() == null) {
            throw new java.net.SocketTimeoutException("no answer (canned)");
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, canned.httpStatus());
        exchange.getMessage().setBody(JSON.writeValueAsString(canned.body()));
    }

    /** A request body as sent (after marshalling), for assertions. */
    static Map<String, Object> json(Object body) throws Exception {
        return JSON.readValue(body.toString(), new TypeReference<LinkedHashMap<String, Object>>() {
        });
    }
}
