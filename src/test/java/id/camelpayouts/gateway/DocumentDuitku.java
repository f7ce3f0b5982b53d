package id.camelpayouts.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import id.camelpayouts.duitku.DuitkuSignature;

/**
 * A Duitku written from its disbursement document alone, not from the gateway's twin: every
 * request is checked as the document describes it (POST, application/json, each field's JSON
 * type, required fields, no nulls, string lengths, the timestamp in milliseconds within five
 * minutes, the signature of that call) and every breach is kept in {@link #violations}. Answers
 * as the document's examples do (ids and amounts as numbers, 50000.0), unless a test scripts
 * another answer for an operation ({@link #script}); a script sees the request and may post a
 * callback before it answers.
 */
final class DocumentDuitku implements AutoCloseable {

    static final String BASE_PATH = "/webapi/api/disbursement";
    static final String CASHOUT_PATH = "/api/cashout";
    static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: HTTP status, content type and the raw body. */
    record Answer(int status, String contentType, String body) {
        static Answer json(Map<String, Object> body) {
            try {
                return new Answer(200, "application/json", JSON.writeValueAsString(body));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A request as it arrived: the operation (last path part), its headers' content type, the body. */
    record Request(String operation, String method, String contentType, JsonNode body) {
        String text(String field) {
            JsonNode value = body.get(field);
            return value == null || value.isNull() ? null : value.asText();
        }
    }

    private final long userId;
    private final String email;
    private final String secret;
    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicLong disburseIds = new AtomicLong(880000);
    private final Map<String, JsonNode> inquiries = new ConcurrentHashMap<>();
    private final Map<String, Function<Request, Answer>> scripts = new ConcurrentHashMap<>();
    private final java.util.concurrent.ExecutorService many = Executors.newCachedThreadPool();
    private final java.util.concurrent.ExecutorService one = Executors.newSingleThreadExecutor();
    private volatile boolean oneAtATime;
    final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    DocumentDuitku(long userId, String email, String secret) throws IOException {
        this.userId = userId;
        this.email = email;
        this.secret = secret;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(task -> (oneAtATime ? one : many).execute(task));
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + BASE_PATH;
    }

    String cashOutUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + CASHOUT_PATH;
    }

    /** The next calls of {@code operation} (e.g. "transfersandbox") are answered by {@code script}. */
    void script(String operation, Function<Request, Answer> script) {
        scripts.put(operation, script);
    }

    /**
     * A strict Duitku: one thread serves every request, and a callback it sends ({@link
     * #postFromServerThread}) is sent from that thread, which waits for the gateway's answer before
     * it serves anything else. Off again at {@link #reset}.
     */
    void serveOneAtATime() {
        oneAtATime = true;
    }

    /** {@link #post}, from the thread that serves requests when {@link #serveOneAtATime}: nothing else is served meanwhile. */
    String postFromServerThread(String url, ObjectNode callback) {
        try {
            return one.submit(() -> post(url, callback)).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void reset() {
        oneAtATime = false;
        scripts.clear();
        violations.clear();
        requests.clear();
    }

    long calls(String operation) {
        return requests.stream().filter(r -> r.operation().equals(operation)).count();
    }

    @Override
    public void close() {
        server.stop(0);
        many.shutdownNow();
        one.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String operation = path.startsWith(CASHOUT_PATH + "/") ? "cashout"
                : path.substring(path.lastIndexOf('/') + 1);
        byte[] raw = exchange.getRequestBody().readAllBytes();
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        Answer answer;
        try {
            JsonNode body = JSON.readTree(raw);
            Request request = new Request(operation, exchange.getRequestMethod(), contentType, body);
            requests.add(request);
            check(request, path);
            Function<Request, Answer> script = scripts.get(operation);
            answer = script != null ? script.apply(request) : standard(request);
        } catch (IOException | RuntimeException e) {
            violations.add(operation + ": not a JSON body (" + e.getMessage() + ")");
            answer = new Answer(400, "application/json", "{\"responseCode\":\"-952\",\"responseDesc\":\"Invalid Parameter\"}");
        }
        byte[] out = answer.body() == null ? new byte[0] : answer.body().getBytes(StandardCharsets.UTF_8);
        if (answer.contentType() != null) {
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        }
        exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            exchange.getResponseBody().write(out);
        }
        exchange.close();
    }

    // ---- what the document asks of each request -------------------------------------------------

    private static final Map<String, List<String>> REQUIRED = Map.of(
            "inquirysandbox", List.of("userId", "amountTransfer", "bankAccount", "bankCode", "email", "timestamp",
                    "signature"),
            "transfersandbox", List.of("disburseId", "userId", "email", "bankCode", "bankAccount", "amountTransfer",
                    "accountName", "custRefNumber", "purpose", "timestamp", "signature"),
            "inquiryclearingsandbox", List.of("userId", "email", "bankCode", "bankAccount", "amountTransfer", "type",
                    "timestamp", "signature"),
            "transferclearingsandbox", List.of("disburseId", "userId", "email", "bankCode", "bankAccount",
                    "amountTransfer", "accountName", "custRefNumber", "purpose", "type", "timestamp", "signature"),
            "cashout", List.of("userId", "amountTransfer", "bankCode", "accountName", "accountIdentity", "email",
                    "phoneNumber", "timestamp", "signature"),
            "inquirystatus", List.of("disburseId", "userId", "email", "timestamp", "signature"),
            "checkbalance", List.of("userId", "email", "timestamp", "signature"),
            "listBank", List.of("userId", "email", "timestamp", "signature"));
    /** Fields the document types as int (a JSON integer). */
    private static final Set<String> INTS = Set.of("userId", "amountTransfer", "senderId");
    private static final Set<String> NUMBERS = Set.of("timestamp");

    private void check(Request request, String path) {
        String op = request.operation();
        if (!"POST".equals(request.method())) {
            violations.add(op + ": method " + request.method());
        }
        if (request.contentType() == null || !request.contentType().startsWith("application/json")) {
            violations.add(op + ": Content-Type " + request.contentType());
        }
        List<String> required = REQUIRED.get(op);
        boolean pathKnown = "cashout".equals(op) ? path.equals(CASHOUT_PATH + "/inquiry")
                : path.equals(BASE_PATH + "/" + op) && required != null;
        if (!pathKnown || required == null) {
            violations.add("unknown path " + path);
            return;
        }
        JsonNode body = request.body();
        if (!body.isObject()) {
            violations.add(op + ": body is not a JSON object");
            return;
        }
        for (String field : required) {
            if (body.get(field) == null || body.get(field).isNull()) {
                violations.add(op + ": " + field + " required");
            }
        }
        body.fields().forEachRemaining(field -> {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                violations.add(op + ": " + name + " is null");
            } else if (INTS.contains(name)) {
                if (!value.isIntegralNumber()) {
                    violations.add(op + ": " + name + " must be an int, is " + value);
                }
            } else if (NUMBERS.contains(name)) {
                if (!value.isNumber()) {
                    violations.add(op + ": " + name + " must be a number, is " + value);
                }
            } else if (!value.isTextual()) {
                violations.add(op + ": " + name + " must be a string, is " + value);
            } else if (value.asText().length() > ("phoneNumber".equals(name) ? 50 : 255)) {
                violations.add(op + ": " + name + " too long");
            }
        });
        JsonNode timestamp = body.get("timestamp");
        if (timestamp != null && timestamp.isNumber()
                && Math.abs(System.currentTimeMillis() - timestamp.asLong()) > 5 * 60_000) {
            violations.add(op + ": timestamp not in milliseconds within 5 minutes: " + timestamp);
        }
        if (body.has("userId") && body.get("userId").asLong() != userId) {
            violations.add(op + ": another userId");
        }
        if (!email.equals(request.text("email"))) {
            violations.add(op + ": another email");
        }
        String bankCode = request.text("bankCode");
        if (bankCode != null && !"cashout".equals(op) && !bankCode.matches("\\d{3,4}")) {
            violations.add(op + ": bankCode " + bankCode);
        }
        if (body.has("type") && !Set.of("LLG", "RTGS", "H2H", "BIFAST").contains(request.text("type"))) {
            violations.add(op + ": type " + request.text("type"));
        }
        String expected = DuitkuSignature.sha256Hex(String.join("", signed(request)) + secret);
        if (!expected.equals(request.text("signature"))) {
            violations.add(op + ": wrong signature");
        }
    }

    /** The document's formula of each call, without the secret key. */
    private List<String> signed(Request r) {
        String ts = r.body().path("timestamp").asText();
        return switch (r.operation()) {
            case "inquirysandbox" -> list(email, ts, r.text("bankCode"), r.text("bankAccount"),
                    r.text("amountTransfer"), r.text("purpose"));
            case "transfersandbox" -> list(email, ts, r.text("bankCode"), r.text("bankAccount"),
                    r.text("accountName"), r.text("custRefNumber"), r.text("amountTransfer"), r.text("purpose"),
                    r.text("disburseId"));
            case "inquiryclearingsandbox" -> list(email, ts, r.text("bankCode"), r.text("type"),
                    r.text("bankAccount"), r.text("amountTransfer"), r.text("purpose"));
            case "transferclearingsandbox" -> list(email, ts, r.text("bankCode"), r.text("type"),
                    r.text("bankAccount"), r.text("accountName"), r.text("custRefNumber"), r.text("amountTransfer"),
                    r.text("purpose"), r.text("disburseId"));
            case "cashout" -> list(email, ts, r.text("amountTransfer"), r.text("purpose"));
            case "inquirystatus" -> list(email, ts, r.text("disburseId"));
            default -> list(email, ts);
        };
    }

    private static List<String> list(String... parts) {
        List<String> list = new ArrayList<>();
        for (String part : parts) {
            list.add(part == null ? "" : part);
        }
        return list;
    }

    // ---- the document's answers --------------------------------------------------------------

    /** As the document's examples answer a valid request. */
    Answer standard(Request request) {
        Map<String, Object> answer = new LinkedHashMap<>();
        switch (request.operation()) {
            case "inquirysandbox", "inquiryclearingsandbox" -> {
                long disburseId = disburseIds.incrementAndGet();
                inquiries.put(String.valueOf(disburseId), request.body());
                answer.put("email", email);
                answer.put("bankCode", request.text("bankCode"));
                answer.put("bankAccount", request.text("bankAccount"));
                answer.put("amountTransfer", request.body().get("amountTransfer").asDouble());
                answer.put("accountName", "Test Account");
                answer.put("custRefNumber", String.format("%012d", disburseId));
                answer.put("disburseId", disburseId);
                if (request.body().has("type")) {
                    answer.put("type", request.text("type"));
                }
            }
            case "transfersandbox", "transferclearingsandbox", "inquirystatus" -> {
                JsonNode inquiry = inquiries.get(request.text("disburseId"));
                if (inquiry == null) {
                    return code("-420", "Transfer not Found");
                }
                answer.put("email", email);
                answer.put("bankCode", inquiry.path("bankCode").asText());
                answer.put("bankAccount", inquiry.path("bankAccount").asText());
                answer.put("amountTransfer", inquiry.path("amountTransfer").asDouble());
                answer.put("accountName", "Test Account");
                answer.put("custRefNumber", String.format("%012d", Long.parseLong(request.text("disburseId"))));
                if ("H2H".equals(request.text("type"))) {
                    answer.put("type", "H2H");
                    answer.put("responseCode", "80");
                    answer.put("responseDesc", "Waiting for callback");
                    return Answer.json(answer);
                }
            }
            case "cashout" -> {
                long disburseId = disburseIds.incrementAndGet();
                answer.put("disburseId", disburseId);
                answer.put("amountTransfer", request.body().get("amountTransfer").asLong());
                answer.put("custRefNumber", request.text("custRefNumber"));
                answer.put("accountName", request.text("accountName"));
                answer.put("email", email);
                answer.put("phoneNumber", request.text("phoneNumber"));
                answer.put("token", 230426073103L);
                answer.put("pin", "902607");
            }
            case "checkbalance" -> {
                answer.put("userId", userId);
                answer.put("email", email);
                answer.put("balance", new java.math.BigDecimal("7177000000.00"));
                answer.put("effectiveBalance", new java.math.BigDecimal("7177000000.00"));
            }
            case "listBank" -> answer.put("Banks", List.of(Map.of("bankCode", "014", "bankName", "BANK CENTRAL ASIA",
                    "maxAmountTransfer", "50000000")));
            default -> {
                return new Answer(404, "text/html", "<html><body>Not Found</body></html>");
            }
        }
        answer.put("responseCode", "00");
        answer.put("responseDesc", "Success");
        return Answer.json(answer);
    }

    static Answer code(String code, String desc) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("responseCode", code);
        answer.put("responseDesc", desc);
        return Answer.json(answer);
    }

    // ---- callbacks ----------------------------------------------------------------------------------

    /** The clearing callback (H2H) for a transfer this fake answered, as the document shows it; signed. */
    ObjectNode clearingCallback(Request transfer, String statusCode) {
        ObjectNode callback = JSON.createObjectNode();
        String disburseId = transfer.text("disburseId");
        callback.put("disburseId", disburseId);
        callback.put("userId", userId);
        callback.put("email", email);
        callback.put("bankCode", transfer.text("bankCode"));
        callback.put("bankAccount", transfer.text("bankAccount"));
        callback.put("amountTransfer", transfer.body().get("amountTransfer").asLong());
        callback.put("accountName", transfer.text("accountName"));
        callback.put("custRefNumber", transfer.text("custRefNumber"));
        callback.put("statusCode", statusCode);
        callback.put("statusDesc", "00".equals(statusCode) ? "Success" : "Failed");
        callback.put("errorMessage", "");
        callback.put("signature", DuitkuSignature.sha256Hex(email + transfer.text("bankCode")
                + transfer.text("bankAccount") + transfer.text("accountName") + transfer.text("custRefNumber")
                + transfer.body().get("amountTransfer").asLong() + disburseId + secret));
        return callback;
    }

    /** The cash-out callback, as the document shows it; signed over email, disburseId and custRefNumber. */
    ObjectNode cashOutCallback(Request cashOut, String disburseId, String custRefNumber, String statusCode) {
        ObjectNode callback = JSON.createObjectNode();
        callback.put("disburseId", disburseId);
        callback.put("email", email);
        callback.put("amountTransfer", cashOut.body().get("amountTransfer").asLong());
        callback.put("custRefNumber", custRefNumber);
        callback.put("accountName", cashOut.text("accountName"));
        callback.put("bankCode", cashOut.text("bankCode"));
        callback.put("phoneNumber", cashOut.text("phoneNumber"));
        callback.put("statusCode", statusCode);
        callback.put("statusDesc", "00".equals(statusCode) ? "Success" : "Failed");
        callback.put("errorMessage", "");
        callback.put("signature", DuitkuSignature.sha256Hex(email + disburseId + custRefNumber + secret));
        return callback;
    }

    /** POSTs a callback as JSON; returns "status body". */
    String post(String url, ObjectNode callback) {
        return post(url, callback, "application/json");
    }

    /** POSTs a callback's JSON labelled with {@code contentType} (none when null); returns "status body". */
    String post(String url, ObjectNode callback, String contentType) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            HttpResponse<String> response = client.send(request
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(callback))).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
