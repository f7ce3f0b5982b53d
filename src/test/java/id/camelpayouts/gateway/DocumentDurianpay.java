package id.camelpayouts.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A Durianpay written from its public SNAP documents alone (docs.durianpay.id: authentication,
 * account inquiry, interbank transfer, transfer status, balance, response codes and the
 * {@code transfer-bank.notify} webhook), not from the gateway's twin or client. Every request is
 * checked as the documents describe it and every breach is kept in {@link #violations}: the method
 * and content type; each header (Authorization with a token this Durianpay issued, X-TIMESTAMP exactly
 * as {@code 2024-05-14T18:54:57+07:00} within a few minutes, X-PARTNER-ID = the client key, a
 * numeric X-EXTERNAL-ID not used before the same day, CHANNEL-ID 95221); the signature of the call
 * (the access token's SHA256withRSA over {@code clientKey|timestamp}, every other call's HMAC-SHA512 over
 * {@code METHOD:path:token:lowerhex(sha256(minified body)):timestamp}); each documented field present
 * with its JSON type, amounts as a string with two decimals; the transfer's beneficiary name being
 * the one the account inquiry gave; a transfer sent again under a partnerReferenceNo already used.
 * <p>
 * What happens to a payout is planned per beneficiary account ({@link #plan}): the account
 * inquiry's answers, the transfer's answer (2001800, 2021800, a server error or a timeout, with or
 * without the transfer having been executed, 409 for a partnerReferenceNo already used), the end
 * (done, failed with a reason, still in progress) and its notification (none, once, twice, to
 * another appended path). Notifications are signed with Durianpay's private key and retried until
 * the merchant answers 200 (at test speed).
 * <p>
 * In {@link #strict} mode a status inquiry without {@code originalReferenceNo} is answered 400
 * Invalid Mandatory Field (the status document lists it without marking it optional). Omitting it
 * is a breach when this Durianpay had delivered the referenceNo to the merchant; when the
 * transfer's answer never reached the merchant (a timeout, a 5xx or a 409), the merchant cannot
 * know it and the refusal is only counted ({@link #refusedWithoutReferenceNo}).
 */
final class DocumentDurianpay implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}");
    static final Pattern AMOUNT = Pattern.compile("(0|[1-9]\\d*)\\.\\d{2}");
    static final String DEFAULT_NOTIFY_PATH = "/v1.0/transfer-bank/notify";
    static final ZoneOffset JAKARTA = ZoneOffset.ofHours(7);

    /** How the transfer request is answered. */
    enum TransferAnswer {
        /** 2001800 with the referenceNo. */
        OK,
        /** 2021800 (in progress) with the referenceNo. */
        ACCEPTED,
        /** 500 General Error; nothing was executed. */
        HTTP_500_NOT_EXECUTED,
        /** 500 General Error after the transfer was executed. */
        HTTP_500_EXECUTED,
        /** 504 Timeout after the transfer was executed. */
        HTTP_504_EXECUTED,
        /** Executed, then no answer within the merchant's patience. */
        TIMEOUT_EXECUTED,
        /** No answer and nothing executed. */
        TIMEOUT_NOT_EXECUTED,
        /** A transfer with this partnerReferenceNo exists already (made before): 409xx01. */
        DUPLICATE_409
    }

    /** How an executed transfer ends. */
    enum End {
        DONE, FAILED, IN_PROGRESS
    }

    /** What a status inquiry answers about a transfer it has no record of. */
    enum NotFound {
        /** 404 Transaction Not Found (4043601). */
        HTTP_404,
        /** 200 with latestTransactionStatus 07. */
        STATUS_07
    }

    /** The plan for one beneficiary account. */
    static final class Plan {
        String accountName = "Budi Santoso";
        int inquiriesInProgress = 1;
        TransferAnswer transfer = TransferAnswer.OK;
        End end = End.DONE;
        String failureReason = "Beneficiary account is closed";
        int notifications = 1;
        /** Between one notification's first delivery and the next one's. */
        long notificationSpacingMillis = 150;
        String notifyPath = DEFAULT_NOTIFY_PATH;
        long settleMillis = 200;
        /** Invalidate every token just before this account's transfer is received. */
        boolean invalidateTokensBeforeTransfer;
        /** For this long after the transfer was made its status inquiry does not find it yet. */
        long statusLagMillis;
        /** The transfer ends and its notification is delivered before the transfer's answer is sent. */
        boolean notifyBeforeAnswer;
        /** The notification's body laid out with whitespace, as the webhook document's example is. */
        boolean prettyNotification;
        /** The notification signed over only the path Durianpay appended, not the whole path it posted to. */
        boolean signAppendedPathOnly;
        /** The status answer's transactionStatusDesc of a failed transfer (the document's field for its words). */
        String failedStatusDesc = "failed";
        /** The amount.value the status answer and the notification name, when not the one sent. */
        String reportedAmount;
    }

    /** A transfer Durianpay executed. */
    static final class Transfer {
        final String partnerReferenceNo;
        final String referenceNo;
        final String accountNo;
        final String bankCode;
        final String amount;
        final Plan plan;
        final long madeAt = System.currentTimeMillis();
        volatile End state;
        /** Whether the referenceNo has been sent to the merchant (the transfer's answer, a notification, a status). */
        volatile boolean referenceNoGiven;
        /** Whether the merchant has taken it: an answer delivered, a notification it answered 200. */
        volatile boolean referenceNoTaken;
        final AtomicInteger executions = new AtomicInteger();

        Transfer(String partnerReferenceNo, String referenceNo, String accountNo, String bankCode, String amount,
                Plan plan) {
            this.partnerReferenceNo = partnerReferenceNo;
            this.referenceNo = referenceNo;
            this.accountNo = accountNo;
            this.bankCode = bankCode;
            this.amount = amount;
            this.plan = plan;
            this.state = End.IN_PROGRESS;
        }
    }

    /** A request as it arrived. */
    record Request(String path, String method, Map<String, String> headers, String raw, JsonNode body) {
        String header(String name) {
            return headers.get(name.toLowerCase());
        }

        String text(String field) {
            JsonNode value = body == null ? null : body.get(field);
            return value == null || value.isNull() ? null : value.asText();
        }
    }

    /** A notification sent, and the merchant's answer. */
    record Delivery(String url, String body, int status) {
    }

    private final String clientKey;
    private final String clientSecret;
    private final String merchantId;
    private final PublicKey merchantPublicKey;
    private final KeyPair durianpayKeys;
    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService later = Executors.newScheduledThreadPool(4);
    private final AtomicLong ids = new AtomicLong(6619);
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final Set<String> invalidTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> externalIds = ConcurrentHashMap.newKeySet();
    private final Map<String, Plan> plans = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inquiriesAsked = new ConcurrentHashMap<>();
    final Map<String, Transfer> transfers = new ConcurrentHashMap<>();
    final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    final List<Delivery> deliveries = Collections.synchronizedList(new ArrayList<>());
    /** Status inquiries refused for want of originalReferenceNo, by the beneficiary account of the transfer. */
    private final Map<String, AtomicInteger> refusedWithoutReferenceNo = new ConcurrentHashMap<>();
    /** The beneficiary account of every partnerReferenceNo a transfer request named. */
    private final Map<String, String> accountOf = new ConcurrentHashMap<>();
    final AtomicInteger tokensIssued = new AtomicInteger();
    volatile boolean strict = true;
    volatile NotFound notFound = NotFound.HTTP_404;
    /** Status inquiries about a transfer it has no record of get a proxy's HTML 404 page, not Durianpay's answer. */
    volatile boolean statusHtmlPage;
    /**
     * Status answers laid out as the status document's example is, to the byte pattern: spaces after
     * each colon and comma, no comma after transactionStatusDesc, and a comma after the last member.
     */
    volatile boolean statusAsTheExample;
    volatile String expiresIn = "900";
    volatile long timeoutMillis = 4_000;
    volatile String notifyBaseUrl;

    DocumentDurianpay(String clientKey, String clientSecret, String merchantId, PublicKey merchantPublicKey)
            throws IOException {
        this.clientKey = clientKey;
        this.clientSecret = clientSecret;
        this.merchantId = merchantId;
        this.merchantPublicKey = merchantPublicKey;
        this.durianpayKeys = rsaKeys();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** Durianpay's public key, as it gives it to merchants to verify its notifications. */
    String publicKeyPem() {
        return pem("PUBLIC KEY", durianpayKeys.getPublic().getEncoded());
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The plan for payouts to {@code accountNo} (a fresh one, to be filled in). */
    Plan plan(String accountNo) {
        return plans.computeIfAbsent(accountNo, a -> new Plan());
    }

    /** Every token issued so far answers 401xx01 from now on. */
    void invalidateTokens() {
        invalidTokens.addAll(tokens);
    }

    long calls(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).count();
    }

    Transfer transferTo(String accountNo) {
        return transfers.values().stream().filter(t -> t.accountNo.equals(accountNo)).findFirst().orElse(null);
    }

    /** How many status inquiries about the transfer to {@code accountNo} were refused for want of originalReferenceNo. */
    int refusedWithoutReferenceNo(String accountNo) {
        AtomicInteger refused = refusedWithoutReferenceNo.get(accountNo);
        return refused == null ? 0 : refused.get();
    }

    /** How many transfer requests named {@code accountNo} (refused ones too). */
    long transferRequests(String accountNo) {
        return requests.stream().filter(r -> r.path().equals("/v1.0/transfer-interbank")
                && accountNo.equals(r.text("beneficiaryAccountNo"))).count();
    }

    long executions(String accountNo) {
        return transfers.values().stream().filter(t -> t.accountNo.equals(accountNo))
                .mapToLong(t -> t.executions.get()).sum();
    }

    void reset() {
        violations.clear();
        requests.clear();
        deliveries.clear();
        strict = true;
        notFound = NotFound.HTTP_404;
        statusHtmlPage = false;
        statusAsTheExample = false;
    }

    @Override
    public void close() {
        later.shutdownNow();
        server.stop(0);
    }

    // ---- HTTP ---------------------------------------------------------------------------------------

    private record Answer(int status, String body, String contentType) {
        Answer(int status, String body) {
            this(status, body, "application/json");
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        String raw = new String(bytes, StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (values.size() > 1) {
                violations.add(path + ": header " + name + " sent " + values.size() + " times");
            }
            headers.put(name.toLowerCase(), values.get(0));
        });
        JsonNode body = null;
        try {
            body = JSON.readTree(raw);
        } catch (IOException e) {
            violations.add(path + ": not a JSON body");
        }
        Request request = new Request(path, exchange.getRequestMethod(), headers, raw, body);
        requests.add(request);
        Answer answer;
        try {
            answer = answer(request);
        } catch (RuntimeException e) {
            violations.add(path + ": the fake failed on it: " + e);
            answer = new Answer(500, code(500, "00", "00", "General Error"));
        }
        if (answer == null) { // a timeout: hold the connection past the merchant's patience, then drop it
            sleep(timeoutMillis);
            exchange.close();
            return;
        }
        byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
    }

    private Answer answer(Request request) {
        String path = request.path();
        if (!"POST".equals(request.method())) {
            violations.add(path + ": method " + request.method());
            return new Answer(404, "{\"responseCode\":\"4040000\",\"responseMessage\":\"Not Found\"}");
        }
        String contentType = request.header("Content-Type");
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            violations.add(path + ": Content-Type " + contentType);
        }
        if (request.body() == null || !request.body().isObject()) {
            violations.add(path + ": body is not a JSON object");
            return new Answer(400, code(400, serviceCode(path), "00", "Bad Request"));
        }
        if ("/v1.0/access-token/b2b".equals(path)) {
            return accessToken(request);
        }
        String service = serviceCode(path);
        if (service == null) {
            violations.add("unknown path " + path);
            return new Answer(404, "{\"responseCode\":\"4040000\",\"responseMessage\":\"Not Found\"}");
        }
        Answer refused = checkHeaders(request, service);
        if (refused != null) {
            return refused;
        }
        return switch (path) {
            case "/v1.0/account-inquiry-external" -> inquiry(request);
            case "/v1.0/transfer-interbank" -> transfer(request);
            case "/v1.0/transfer/status" -> status(request);
            default -> balance(request);
        };
    }

    private static String serviceCode(String path) {
        return switch (path) {
            case "/v1.0/access-token/b2b" -> "73";
            case "/v1.0/balance-inquiry" -> "11";
            case "/v1.0/account-inquiry-external" -> "16";
            case "/v1.0/transfer-interbank" -> "18";
            case "/v1.0/transfer/status" -> "36";
            default -> null;
        };
    }

    /** A SNAP response code: HTTP status, service code, case code. */
    static String code(int status, String service, String caseCode, String message) {
        return "{\"responseCode\":\"" + status + service + caseCode + "\",\"responseMessage\":\"" + message + "\"}";
    }

    // ---- checks every document asks of a request -------------------------------------------------

    private boolean timestampBreach(String where, String timestamp) {
        if (timestamp == null) {
            violations.add(where + ": X-TIMESTAMP missing");
            return true;
        }
        if (!TIMESTAMP.matcher(timestamp).matches()) {
            violations.add(where + ": X-TIMESTAMP not like 2024-05-14T18:54:57+07:00: " + timestamp);
            return true;
        }
        try {
            OffsetDateTime at = OffsetDateTime.parse(timestamp);
            if (Math.abs(Duration.between(at.toInstant(), java.time.Instant.now()).toSeconds()) > 5 * 60) {
                violations.add(where + ": X-TIMESTAMP more than 5 minutes off: " + timestamp);
                return true;
            }
        } catch (DateTimeParseException e) {
            violations.add(where + ": X-TIMESTAMP unreadable: " + timestamp);
            return true;
        }
        return false;
    }

    private Answer accessToken(Request request) {
        String where = request.path();
        String timestamp = request.header("X-TIMESTAMP");
        boolean bad = timestampBreach(where, timestamp);
        if (!clientKey.equals(request.header("X-CLIENT-KEY"))) {
            violations.add(where + ": X-CLIENT-KEY " + request.header("X-CLIENT-KEY"));
            bad = true;
        }
        String signature = request.header("X-SIGNATURE");
        if (signature == null || !rsaVerifies(merchantPublicKey, clientKey + "|" + timestamp, signature)) {
            violations.add(where + ": X-SIGNATURE is not SHA256withRSA over clientKey|timestamp");
            bad = true;
        }
        JsonNode grantType = request.body().get("grantType");
        if (grantType == null || !grantType.isTextual() || grantType.asText().isEmpty()) {
            violations.add(where + ": grantType must be a string, is " + grantType);
            return new Answer(400, code(400, "73", "02", "Invalid Mandatory Field grantType"));
        }
        if (bad) {
            return new Answer(401, code(401, "73", "00", "Unauthorized. Signature"));
        }
        String token = "dp_tok_" + ids.incrementAndGet() + "_" + System.nanoTime();
        tokens.add(token);
        tokensIssued.incrementAndGet();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("responseCode", "2007300");
        answer.put("responseMessage", "Successful");
        answer.put("accessToken", token);
        answer.put("tokenType", "Bearer");
        answer.put("expiresIn", expiresIn);
        return json(200, answer);
    }

    private Answer checkHeaders(Request request, String service) {
        String where = request.path();
        String authorization = request.header("Authorization");
        String token = authorization != null && authorization.startsWith("Bearer ")
                ? authorization.substring("Bearer ".length()) : null;
        if (token == null) {
            violations.add(where + ": Authorization is not 'Bearer <token>': " + authorization);
            return new Answer(400, code(400, service, "02", "Invalid Mandatory Field Authorization"));
        }
        if (!tokens.contains(token)) {
            violations.add(where + ": a token this Durianpay never issued");
            return new Answer(401, code(401, service, "01", "Invalid Token (B2B)"));
        }
        boolean bad = timestampBreach(where, request.header("X-TIMESTAMP"));
        if (!clientKey.equals(request.header("X-PARTNER-ID"))) {
            violations.add(where + ": X-PARTNER-ID " + request.header("X-PARTNER-ID"));
            bad = true;
        }
        if (!"95221".equals(request.header("CHANNEL-ID"))) {
            violations.add(where + ": CHANNEL-ID " + request.header("CHANNEL-ID"));
            bad = true;
        }
        String externalId = request.header("X-EXTERNAL-ID");
        if (externalId == null || !externalId.matches("\\d{1,36}")) {
            violations.add(where + ": X-EXTERNAL-ID not numeric (up to 36 digits): " + externalId);
            bad = true;
        } else if (!externalIds.add(LocalDate.now(JAKARTA) + "/" + externalId)) {
            violations.add(where + ": X-EXTERNAL-ID " + externalId + " used before today");
            return new Answer(409, code(409, service, "00", "Conflict"));
        }
        String expected = hmacSha512(clientSecret, request.method() + ":" + where + ":" + token + ":"
                + sha256Hex(minify(request.raw())) + ":" + request.header("X-TIMESTAMP"));
        if (!expected.equals(request.header("X-SIGNATURE"))) {
            violations.add(where + ": X-SIGNATURE is not the HMAC-SHA512 the document describes");
            return new Answer(401, code(401, service, "00", "Unauthorized. Signature"));
        }
        if (bad) {
            return new Answer(400, code(400, service, "01", "Invalid Field Format"));
        }
        if (invalidTokens.contains(token)) {
            return new Answer(401, code(401, service, "01", "Invalid Token (B2B)"));
        }
        return null;
    }

    /** Records a breach for each field that is missing or not a non-empty string; true when all are fine. */
    private boolean strings(Request request, String... fields) {
        boolean fine = true;
        for (String field : fields) {
            JsonNode value = request.body().get(field);
            if (value == null || value.isNull()) {
                violations.add(request.path() + ": " + field + " missing");
                fine = false;
            } else if (!value.isTextual()) {
                violations.add(request.path() + ": " + field + " must be a string, is " + value);
                fine = false;
            } else if (value.asText().isBlank()) {
                violations.add(request.path() + ": " + field + " empty");
                fine = false;
            }
        }
        return fine;
    }

    /** The body fields each call's document lists. */
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "/v1.0/account-inquiry-external", Set.of("beneficiaryAccountNo", "beneficiaryBankCode", "partnerReferenceNo",
                    "additionalInfo"),
            "/v1.0/transfer-interbank", Set.of("partnerReferenceNo", "amount", "beneficiaryAccountName",
                    "beneficiaryAccountNo", "beneficiaryBankCode", "beneficiaryAddress", "beneficiaryBankName",
                    "beneficiaryEmail", "currency", "customerReference", "sourceAccountNo", "transactionDate",
                    "originatorInfos", "additionalInfo"),
            "/v1.0/transfer/status", Set.of("originalPartnerReferenceNo", "originalReferenceNo", "serviceCode",
                    "additionalInfo"),
            "/v1.0/balance-inquiry", Set.of("accountNo", "additionalInfo"));
    /** The keys each call's document lists for additionalInfo. */
    private static final Map<String, Set<String>> INFO_KEYS = Map.of(
            "/v1.0/account-inquiry-external", Set.of("deviceId", "channel"),
            "/v1.0/transfer-interbank", Set.of("senderInformation", "deviceId", "channel"),
            "/v1.0/transfer/status", Set.of("deviceId", "channel"),
            "/v1.0/balance-inquiry", Set.of("deviceId", "channel"));

    /** Records a breach for each body field (and additionalInfo or amount key) the call's document does not list. */
    private boolean documentedOnly(Request request) {
        boolean fine = onlyKeys(request, request.body(), "", FIELDS.get(request.path()));
        JsonNode info = request.body().get("additionalInfo");
        if (info != null && info.isObject()) {
            fine &= onlyKeys(request, info, "additionalInfo.", INFO_KEYS.get(request.path()));
        }
        JsonNode amount = request.body().get("amount");
        if (amount != null && amount.isObject()) {
            fine &= onlyKeys(request, amount, "amount.", Set.of("value", "currency"));
        }
        return fine;
    }

    private boolean onlyKeys(Request request, JsonNode object, String prefix, Set<String> listed) {
        boolean fine = true;
        for (java.util.Iterator<String> keys = object.fieldNames(); keys.hasNext();) {
            String key = keys.next();
            if (!listed.contains(key)) {
                violations.add(request.path() + ": " + prefix + key + " is not listed in the document");
                fine = false;
            }
        }
        return fine;
    }

    private boolean additionalInfo(Request request, boolean required) {
        JsonNode info = request.body().get("additionalInfo");
        if (info == null || info.isNull()) {
            if (required) {
                violations.add(request.path() + ": additionalInfo missing");
            }
            return !required;
        }
        if (!info.isObject()) {
            violations.add(request.path() + ": additionalInfo must be an object, is " + info);
            return false;
        }
        boolean fine = true;
        for (String field : List.of("deviceId", "channel")) {
            if (info.has(field) && !info.get(field).isTextual()) {
                violations.add(request.path() + ": additionalInfo." + field + " must be a string");
                fine = false;
            }
        }
        return fine;
    }

    // ---- the calls ----------------------------------------------------------------------------------

    private Answer inquiry(Request request) {
        boolean fine = strings(request, "beneficiaryBankCode", "beneficiaryAccountNo");
        if (request.body().has("partnerReferenceNo")) {
            fine &= strings(request, "partnerReferenceNo");
        }
        fine &= additionalInfo(request, false);
        fine &= documentedOnly(request);
        if (!fine) {
            return new Answer(400, code(400, "16", "02", "Invalid Mandatory Field"));
        }
        String accountNo = request.text("beneficiaryAccountNo");
        Plan plan = plan(accountNo);
        int asked = inquiriesAsked.computeIfAbsent(accountNo, a -> new AtomicInteger()).incrementAndGet();
        Map<String, Object> answer = new LinkedHashMap<>();
        if (request.body().has("additionalInfo")) {
            answer.put("additionalInfo", request.body().get("additionalInfo"));
        }
        boolean inProgress = asked <= plan.inquiriesInProgress;
        answer.put("beneficiaryAccountName", inProgress ? "" : plan.accountName);
        answer.put("beneficiaryAccountNo", accountNo);
        answer.put("beneficiaryBankCode", request.text("beneficiaryBankCode"));
        answer.put("beneficiaryBankName", inProgress ? "" : "BANK CENTRAL ASIA");
        answer.put("currency", "IDR");
        if (request.body().has("partnerReferenceNo")) {
            answer.put("partnerReferenceNo", request.text("partnerReferenceNo"));
        }
        answer.put("responseCode", inProgress ? "2021600" : "2001600");
        answer.put("responseMessage", inProgress ? "Request In Progress" : "Successful");
        return json(inProgress ? 202 : 200, answer);
    }

    private Answer transfer(Request request) {
        boolean fine = strings(request, "partnerReferenceNo", "beneficiaryAccountName", "beneficiaryAccountNo",
                "beneficiaryBankCode", "sourceAccountNo", "transactionDate");
        fine &= amount(request);
        fine &= additionalInfo(request, false);
        fine &= documentedOnly(request);
        String transactionDate = request.text("transactionDate");
        if (transactionDate != null && !TIMESTAMP.matcher(transactionDate).matches()) {
            violations.add(request.path() + ": transactionDate not like 2024-05-14T18:54:57+07:00: " + transactionDate);
            fine = false;
        }
        if (request.text("sourceAccountNo") != null && !merchantId.equals(request.text("sourceAccountNo"))) {
            violations.add(request.path() + ": sourceAccountNo is not the merchant id");
            fine = false;
        }
        if (!fine) {
            return new Answer(400, code(400, "18", "01", "Invalid Field Format"));
        }
        String accountNo = request.text("beneficiaryAccountNo");
        Plan plan = plan(accountNo);
        if (plan.invalidateTokensBeforeTransfer) {
            plan.invalidateTokensBeforeTransfer = false;
            invalidateTokens();
            return new Answer(401, code(401, "18", "01", "Invalid Token (B2B)"));
        }
        if (!plan.accountName.equals(request.text("beneficiaryAccountName"))) {
            violations.add(request.path() + ": beneficiaryAccountName is not the name the account inquiry gave");
        }
        String partnerReferenceNo = request.text("partnerReferenceNo");
        accountOf.putIfAbsent(partnerReferenceNo, accountNo);
        if (partnerReferenceNo.length() > 64) {
            violations.add(request.path() + ": partnerReferenceNo longer than 64");
        }
        Transfer earlier = transfers.get(partnerReferenceNo);
        if (earlier != null) {
            violations.add(request.path() + ": a transfer sent again under partnerReferenceNo " + partnerReferenceNo);
            return new Answer(409, code(409, "18", "01", "Duplicate partnerReferenceNo"));
        }
        String amount = request.body().path("amount").path("value").asText();
        if (plan.transfer == TransferAnswer.DUPLICATE_409) {
            // a transfer under this partnerReferenceNo was made before this merchant's request came
            Transfer made = new Transfer(partnerReferenceNo, "dis_item_" + ids.incrementAndGet(), accountNo,
                    request.text("beneficiaryBankCode"), amount, plan);
            made.executions.incrementAndGet();
            transfers.put(partnerReferenceNo, made);
            settleLater(made);
            return new Answer(409, code(409, "18", "01", "Duplicate partnerReferenceNo"));
        }
        if (plan.transfer == TransferAnswer.HTTP_500_NOT_EXECUTED) {
            return new Answer(500, code(500, "18", "00", "General Error"));
        }
        if (plan.transfer == TransferAnswer.TIMEOUT_NOT_EXECUTED) {
            return null;
        }
        Transfer transfer = new Transfer(partnerReferenceNo, "dis_item_" + ids.incrementAndGet(), accountNo,
                request.text("beneficiaryBankCode"), amount, plan);
        transfer.executions.incrementAndGet();
        transfers.put(partnerReferenceNo, transfer);
        if (plan.notifyBeforeAnswer) {
            transfer.state = plan.end;
            deliver(transfer, 0); // the merchant's answer to it comes before the transfer's answer is sent
        } else {
            settleLater(transfer);
        }
        switch (plan.transfer) {
            case HTTP_500_EXECUTED -> {
                return new Answer(500, code(500, "18", "00", "General Error"));
            }
            case HTTP_504_EXECUTED -> {
                return new Answer(504, code(504, "18", "00", "Timeout"));
            }
            case TIMEOUT_EXECUTED -> {
                return null;
            }
            default -> {
                transfer.referenceNoGiven = true;
                transfer.referenceNoTaken = true;
                Map<String, Object> answer = new LinkedHashMap<>();
                boolean accepted = plan.transfer == TransferAnswer.ACCEPTED;
                answer.put("responseCode", accepted ? "2021800" : "2001800");
                answer.put("responseMessage", accepted ? "Request In Progress" : "Successful");
                answer.put("referenceNo", transfer.referenceNo);
                answer.put("partnerReferenceNo", partnerReferenceNo);
                answer.put("amount", request.body().get("amount"));
                answer.put("beneficiaryAccountNo", accountNo);
                answer.put("beneficiaryBankCode", transfer.bankCode);
                answer.put("sourceAccountNo", merchantId);
                if (request.body().has("additionalInfo")) {
                    answer.put("additionalInfo", request.body().get("additionalInfo"));
                }
                return json(accepted ? 202 : 200, answer);
            }
        }
    }

    private boolean amount(Request request) {
        JsonNode amount = request.body().get("amount");
        if (amount == null || !amount.isObject()) {
            violations.add(request.path() + ": amount must be an object {value, currency}, is " + amount);
            return false;
        }
        boolean fine = true;
        JsonNode value = amount.get("value");
        if (value == null || !value.isTextual() || !AMOUNT.matcher(value.asText()).matches()) {
            violations.add(request.path() + ": amount.value must be a string with two decimals, is " + value);
            fine = false;
        }
        JsonNode currency = amount.get("currency");
        if (currency == null || !currency.isTextual() || !"IDR".equals(currency.asText())) {
            violations.add(request.path() + ": amount.currency must be \"IDR\", is " + currency);
            fine = false;
        }
        return fine;
    }

    private Answer status(Request request) {
        boolean fine = strings(request, "originalPartnerReferenceNo", "serviceCode");
        fine &= additionalInfo(request, false);
        fine &= documentedOnly(request);
        if (request.text("serviceCode") != null && !"18".equals(request.text("serviceCode"))) {
            violations.add(request.path() + ": serviceCode " + request.text("serviceCode") + " (18 for a bank transfer)");
            fine = false;
        }
        if (!fine) {
            return new Answer(400, code(400, "36", "02", "Invalid Mandatory Field"));
        }
        String partnerReferenceNo = request.text("originalPartnerReferenceNo");
        Transfer transfer = transfers.get(partnerReferenceNo);
        JsonNode referenceNo = request.body().get("originalReferenceNo");
        if (referenceNo == null || referenceNo.isNull()) {
            if (transfer != null && transfer.referenceNoTaken) {
                violations.add(request.path() + ": originalReferenceNo left out though Durianpay had answered it");
            }
            if (strict) {
                refusedWithoutReferenceNo.computeIfAbsent(String.valueOf(accountOf.get(partnerReferenceNo)),
                        a -> new AtomicInteger()).incrementAndGet();
                return new Answer(400, code(400, "36", "02", "Invalid Mandatory Field originalReferenceNo"));
            }
        } else if (!referenceNo.isTextual() || referenceNo.asText().isBlank()) {
            violations.add(request.path() + ": originalReferenceNo must be a non-empty string, is " + referenceNo);
            return new Answer(400, code(400, "36", "01", "Invalid Field Format originalReferenceNo"));
        } else if (transfer != null && !transfer.referenceNo.equals(referenceNo.asText())) {
            violations.add(request.path() + ": originalReferenceNo of another transfer");
            transfer = null;
        } else if (transfer != null && !transfer.referenceNoGiven) {
            violations.add(request.path() + ": an originalReferenceNo Durianpay never gave the merchant");
        }
        if (transfer != null && System.currentTimeMillis() < transfer.madeAt + transfer.plan.statusLagMillis) {
            transfer = null; // not in the status records yet
        }
        if (transfer == null) {
            if (statusHtmlPage) {
                return new Answer(404, "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found"
                        + "</h1></center><hr><center>nginx</center></body></html>", "text/html");
            }
            if (notFound == NotFound.HTTP_404) {
                return new Answer(404, code(404, "36", "01", "Transaction Not Found"));
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("originalPartnerReferenceNo", partnerReferenceNo);
            answer.put("serviceCode", "18");
            answer.put("latestTransactionStatus", "07");
            answer.put("transactionStatusDesc", "not found");
            answer.put("responseCode", "2003600");
            answer.put("responseMessage", "Successful");
            return json(200, answer);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("additionalInfo", request.body().get("additionalInfo"));
        answer.put("amount", Map.of("currency", "IDR", "value", reportedAmount(transfer)));
        answer.put("beneficiaryAccountNo", transfer.accountNo);
        answer.put("beneficiaryBankCode", transfer.bankCode);
        answer.put("currency", "IDR");
        String[] status = switch (transfer.state) {
            case DONE -> new String[] {"00", "success"};
            case FAILED -> new String[] {"06", transfer.plan.failedStatusDesc};
            case IN_PROGRESS -> new String[] {"03", "pending"};
        };
        answer.put("latestTransactionStatus", status[0]);
        answer.put("transactionStatusDesc", status[1]);
        answer.put("originalPartnerReferenceNo", transfer.partnerReferenceNo);
        answer.put("originalReferenceNo", transfer.referenceNo);
        answer.put("referenceNumber", String.valueOf(ids.incrementAndGet()));
        answer.put("serviceCode", "18");
        answer.put("sourceAccountNo", merchantId);
        answer.put("transactionId", String.valueOf(ids.incrementAndGet()));
        answer.put("responseCode", "2003600");
        answer.put("responseMessage", "Successful");
        transfer.referenceNoGiven = true;
        transfer.referenceNoTaken = true;
        return statusAsTheExample ? asTheExample(answer) : json(200, answer);
    }

    /** The answer written as the status document's example is written (see {@link #statusAsTheExample}). */
    private static Answer asTheExample(Map<String, Object> answer) {
        StringBuilder text = new StringBuilder("{ ");
        answer.forEach((key, value) -> {
            try {
                text.append('"').append(key).append("\": ").append(JSON.writeValueAsString(value)
                        .replace(",\"", ", \"").replace("\":", "\": ").replace("{\"", "{ \"").replace("\"}", "\" }"))
                        .append(key.equals("transactionStatusDesc") ? " " : ", ");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        return new Answer(200, text.append("}").toString());
    }

    private Answer balance(Request request) {
        boolean fine = strings(request, "accountNo");
        fine &= additionalInfo(request, false);
        fine &= documentedOnly(request);
        if (request.text("accountNo") != null && !merchantId.equals(request.text("accountNo"))) {
            violations.add(request.path() + ": accountNo is not the merchant id");
            fine = false;
        }
        if (!fine) {
            return new Answer(400, code(400, "11", "02", "Invalid Mandatory Field"));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("responseCode", "2001100");
        answer.put("responseMessage", "Successful");
        answer.put("accountNo", merchantId);
        answer.put("name", "Merchant");
        answer.put("accountInfos", List.of(Map.of("balanceType", "Cash",
                "amount", Map.of("value", "7177000000.00", "currency", "IDR"),
                "availableBalance", Map.of("value", "7177000000.00", "currency", "IDR"))));
        return json(200, answer);
    }

    private static Answer json(int status, Map<String, Object> body) {
        try {
            return new Answer(status, JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- how transfers end, and their notifications ---------------------------------------------

    private void settleLater(Transfer transfer) {
        later.schedule(() -> settle(transfer), transfer.plan.settleMillis, TimeUnit.MILLISECONDS);
    }

    private void settle(Transfer transfer) {
        Plan plan = transfer.plan;
        if (plan.end == End.IN_PROGRESS) {
            return;
        }
        transfer.state = plan.end;
        for (int i = 0; i < plan.notifications; i++) {
            int delivery = i;
            later.schedule(() -> deliver(transfer, 0), plan.notificationSpacingMillis * delivery, TimeUnit.MILLISECONDS);
        }
    }

    /** The transfer-bank.notify body Durianpay sends for a transfer that reached its end. */
    ObjectNode notification(Transfer transfer) {
        ObjectNode body = JSON.createObjectNode();
        body.put("originalReferenceNo", transfer.referenceNo);
        body.put("originalPartnerReferenceNo", transfer.partnerReferenceNo);
        body.put("responseCode", "2000000");
        body.put("responseMessage", "Request has been processed successfully");
        ObjectNode amount = body.putObject("amount");
        amount.put("value", reportedAmount(transfer));
        amount.put("currency", "IDR");
        body.put("beneficiaryAccountNo", transfer.accountNo);
        body.put("beneficiaryBankCode", transfer.bankCode);
        body.put("sourceAccountNo", merchantId);
        ObjectNode info = body.putObject("additionalInfo");
        boolean done = transfer.state == End.DONE;
        info.put("latestTransactionStatus", done ? "00" : "06");
        info.put("transactionStatusDesc", done ? "done" : "failed");
        if (!done) {
            info.put("failureReason", transfer.plan.failureReason);
        }
        return body;
    }

    private static String reportedAmount(Transfer transfer) {
        return transfer.plan.reportedAmount != null ? transfer.plan.reportedAmount : transfer.amount;
    }

    /** Posts the notification, signed, and tries again (at test speed) until the merchant answers 200. */
    private void deliver(Transfer transfer, int attempt) {
        transfer.referenceNoGiven = true;
        ObjectNode body = notification(transfer);
        int status = post(notifyBaseUrl + transfer.plan.notifyPath, transfer.plan.prettyNotification
                ? body.toPrettyString() : body.toString(), transfer.plan.signAppendedPathOnly
                ? transfer.plan.notifyPath : null);
        transfer.referenceNoTaken |= status == 200;
        if (status != 200 && attempt < 5) {
            later.schedule(() -> deliver(transfer, attempt + 1), 200L << attempt, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Posts {@code body} to {@code url} signed as Durianpay signs its notifications, over the path
     * posted to (or {@code signedPath}); the HTTP status.
     */
    int post(String url, String body, String signedPath) {
        String timestamp = OffsetDateTime.now(JAKARTA).withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String path = signedPath != null ? signedPath : URI.create(url).getRawPath();
        String signature = rsaSign(durianpayKeys.getPrivate(), "POST:" + path + ":"
                + sha256Hex(body) + ":" + timestamp);
        int status;
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .header("X-TIMESTAMP", timestamp).header("X-SIGNATURE", signature)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
        } catch (IOException e) {
            status = -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = -1;
        }
        deliveries.add(new Delivery(url, body, status));
        return status;
    }

    // ---- the documents' cryptography, written here on its own -----------------------------------

    /** The JSON text without the whitespace between its tokens (strings kept as they are). */
    static String minify(String json) {
        StringBuilder out = new StringBuilder(json.length());
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\' && i + 1 < json.length()) {
                    out.append(json.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                out.append(c);
            } else if (!Character.isWhitespace(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hmacSha512(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
            return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String rsaSign(PrivateKey key, String text) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean rsaVerifies(PublicKey key, String text, String base64) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(key);
            signature.update(text.getBytes(StandardCharsets.UTF_8));
            return signature.verify(Base64.getDecoder().decode(base64));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
