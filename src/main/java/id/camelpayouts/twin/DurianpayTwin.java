package id.camelpayouts.twin;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import id.camelpayouts.durianpay.SnapSignature;

/**
 * A local stand-in for Durianpay's SNAP disbursement API
 * (https://docs.durianpay.id/docs/api/snap/disbursements/bank-transfer-inquiry-status/): access
 * token signed with the merchant's RSA key; HMAC signature, token, partner id, a per-day unique
 * X-EXTERNAL-ID and an X-TIMESTAMP in the documented format ({@code 2024-05-14T18:54:57+07:00},
 * anything else is 400xx01) checked on every call; account inquiry answering 2021600 (in
 * progress) first and 2001600 with the holder's name and the inquiry's own referenceNo after,
 * accounts ending in an odd digit invalid (404xx11); transfers answered 2021800 with their
 * referenceNo and finished by a signed transfer-bank.notify; status by partnerReferenceNo (and
 * referenceNo when given) with every field the document lists, a bare 404 for a transfer it does
 * not have; balance. Signed with dev-only keys.
 *
 * <p>Transfer scenarios by the account number's ending: {@code 96} the bank refuses it after
 * sending (status and notification 06); {@code 0014} refused at once, 4031814 Insufficient Funds
 * (nothing moves); {@code 0500} executed (money moved), then answered 500 5001801; {@code 0504}
 * executed, then answered 504 5041800; {@code 0408} executed, then the connection is closed with
 * no answer. Faults per call: {@link #faults()}.
 */
public final class DurianpayTwin extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(DurianpayTwin.class);
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    /** The only X-TIMESTAMP format Durianpay documents: to the second, with the offset (25 characters). */
    private static final java.util.regex.Pattern DOCUMENTED_TIMESTAMP = java.util.regex.Pattern
            .compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}");

    public record Settings(String host, int port, String clientKey, String clientSecret, String merchantId,
            PublicKey merchantPublicKey, PrivateKey durianpayPrivateKey, long balance, long notifyDelayMillis,
            long tokenSeconds) {
    }

    private record Transfer(String partnerReferenceNo, String referenceNo, String bankCode, String accountNo,
            long amount, boolean fails, String transactionId, String referenceNumber) {
    }

    private final Settings settings;
    private final Clock clock;
    private final TwinFaults faults = new TwinFaults();
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final Set<String> externalIds = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> inquiries = new ConcurrentHashMap<>();
    private final Map<String, Transfer> transfers = new ConcurrentHashMap<>();
    private final Map<String, String> finalStatus = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    private final AtomicLong balance;
    private final AtomicInteger tokensIssued = new AtomicInteger();
    /** The bank's reference numbers of the transfers (the status answer's referenceNumber). */
    private final AtomicLong bankReferences = new AtomicLong(400_000_000_000L);
    private final HttpClient notifications = HttpClient.newHttpClient();
    private volatile String notifyUrl;
    private final Vertx shared;
    private Vertx vertx;
    private HttpServer server;

    public DurianpayTwin(Settings settings, Clock clock) {
        this(settings, clock, null);
    }

    /** On the application's Vert.x ({@code shared}; null: one of its own), which stopping it leaves running. */
    public DurianpayTwin(Settings settings, Clock clock, Vertx shared) {
        this.shared = shared;
        this.settings = settings;
        this.clock = clock;
        this.balance = new AtomicLong(settings.balance());
    }

    // ---- what tests read and steer --------------------------------------------------------------

    public int port() {
        return server.actualPort();
    }

    public String baseUrl() {
        return "http://" + settings.host() + ":" + port();
    }

    public TwinFaults faults() {
        return faults;
    }

    /** Where transfer notifications go (the gateway's receiver, with any path Durianpay appends). */
    public void notifyTo(String url) {
        this.notifyUrl = url;
    }

    /** Where transfer notifications go now (null: nowhere, they are lost). */
    public String notifyUrl() {
        return notifyUrl;
    }

    /** Every token issued so far expires now (the next call gets 401xx01). */
    public void expireTokens() {
        tokens.replaceAll((token, expiry) -> Instant.EPOCH);
    }

    public int tokensIssued() {
        return tokensIssued.get();
    }

    /** How many times money moved for this partnerReferenceNo (our payout reference). */
    public int transfersExecuted(String partnerReferenceNo) {
        AtomicInteger count = executions.get(partnerReferenceNo);
        return count == null ? 0 : count.get();
    }

    public long balance() {
        return balance.get();
    }

    /** Sets the merchant's balance (a test's top-up, or an account running dry). */
    public void setBalance(long rupiah) {
        balance.set(rupiah);
    }

    // ---- lifecycle ---------------------------------------------------------------------------------

    @Override
    protected void doStart() throws Exception {
        vertx = shared != null ? shared : Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(this::handle);
        server.listen(settings.port(), settings.host()).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        LOG.info("Durianpay twin listening on {}", baseUrl());
    }

    @Override
    protected void doStop() throws Exception {
        if (vertx != null && shared == null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } else if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    // ---- HTTP ---------------------------------------------------------------------------------------

    /** An answer; status 0: the connection is closed without one. A null body: an answer without a body. */
    private record Answer(int status, JsonObject body) {
    }

    private void handle(HttpServerRequest request) {
        if (request.method() != HttpMethod.POST) {
            request.response().setStatusCode(405).end();
            return;
        }
        request.body().onSuccess(buffer -> {
            String operation = request.path();
            TwinFault fault = faults.draw(operation);
            if (fault == TwinFault.DROP_BEFORE) {
                request.connection().close();
                return;
            }
            if (fault == TwinFault.HTTP_500_BEFORE) {
                respond(request, 500, "{\"responseCode\":\"5000000\",\"responseMessage\":\"General Error\"}");
                return;
            }
            String raw = buffer.toString();
            Answer answer;
            try {
                answer = operation.equals("/v1.0/access-token/b2b") ? token(request)
                        : call(request, operation, raw);
            } catch (RuntimeException unreadable) {
                answer = new Answer(400, code("4000002", "Invalid Mandatory Field"));
            }
            if (fault == TwinFault.DROP_AFTER || answer.status() == 0) {
                request.connection().close();
            } else if (fault == TwinFault.HTTP_502_AFTER) {
                respond(request, 504, "{\"responseCode\":\"5040000\",\"responseMessage\":\"Gateway Timeout\"}");
            } else if (fault == TwinFault.SLOW_AFTER) {
                Answer late = answer;
                vertx.setTimer(60_000, id -> respond(request, late.status(), late.body().encode()));
            } else {
                respond(request, answer.status(), answer.body() == null ? null : answer.body().encode());
            }
        });
    }

    private static void respond(HttpServerRequest request, int status, String body) {
        if (request.response().closed()) {
            return;
        }
        if (body == null) {
            request.response().setStatusCode(status).end();
        } else {
            request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
        }
    }

    private Answer token(HttpServerRequest request) {
        String clientKey = request.getHeader("X-CLIENT-KEY");
        String timestamp = request.getHeader("X-TIMESTAMP");
        if (timestamp != null && !DOCUMENTED_TIMESTAMP.matcher(timestamp).matches()) {
            return new Answer(400, code("4007301", "Invalid Field Format X-TIMESTAMP"));
        }
        if (!settings.clientKey().equals(clientKey) || timestamp == null || !SnapSignature.verify(
                settings.merchantPublicKey(), clientKey + "|" + timestamp, request.getHeader("X-SIGNATURE"))) {
            return new Answer(401, code("4017300", "Unauthorized. Signature"));
        }
        String token = UUID.randomUUID().toString().replace("-", "");
        tokens.put(token, clock.instant().plusSeconds(settings.tokenSeconds()));
        tokensIssued.incrementAndGet();
        return new Answer(200, code("2007300", "Successful").put("accessToken", token).put("tokenType", "Bearer")
                .put("expiresIn", String.valueOf(settings.tokenSeconds())));
    }

    private Answer call(HttpServerRequest request, String path, String raw) {
        String service = switch (path) {
            case "/v1.0/account-inquiry-external" -> "16";
            case "/v1.0/transfer-interbank" -> "18";
            case "/v1.0/transfer/status" -> "36";
            case "/v1.0/balance-inquiry" -> "11";
            default -> null;
        };
        if (service == null) {
            return new Answer(404, code("4040000", "Not Found"));
        }
        String authorization = request.getHeader("Authorization");
        String token = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : "";
        String timestamp = request.getHeader("X-TIMESTAMP");
        if (timestamp == null || request.getHeader("X-EXTERNAL-ID") == null
                || !"95221".equals(request.getHeader("CHANNEL-ID"))
                || !settings.clientKey().equals(request.getHeader("X-PARTNER-ID"))) {
            return new Answer(400, code("400" + service + "02", "Missing Mandatory Field header"));
        }
        if (!DOCUMENTED_TIMESTAMP.matcher(timestamp).matches()) {
            return new Answer(400, code("400" + service + "01", "Invalid Field Format X-TIMESTAMP"));
        }
        Instant expiry = tokens.get(token);
        if (expiry == null || !clock.instant().isBefore(expiry)) {
            return new Answer(401, code("401" + service + "01", "Invalid Token (B2B)"));
        }
        String expected = SnapSignature.request(settings.clientSecret(), "POST", path, token, raw, timestamp);
        if (!expected.equals(request.getHeader("X-SIGNATURE"))) {
            return new Answer(401, code("401" + service + "00", "Unauthorized. Signature"));
        }
        String externalId = LocalDate.now(clock.withZone(ZoneOffset.ofHours(7))) + "/" + request.getHeader("X-EXTERNAL-ID");
        if (!request.getHeader("X-EXTERNAL-ID").matches("\\d{1,36}") || !externalIds.add(externalId)) {
            return new Answer(409, code("409" + service + "00", "Conflict: X-EXTERNAL-ID already used today"));
        }
        JsonObject body = new JsonObject(raw);
        return switch (service) {
            case "16" -> inquiry(body);
            case "18" -> transfer(body);
            case "36" -> status(body);
            default -> new Answer(200, code("2001100", "Successful").put("accountInfos", new JsonArray().add(
                    new JsonObject().put("balanceType", "Cash").put("availableBalance", money(balance.get())))));
        };
    }

    private Answer inquiry(JsonObject body) {
        String account = body.getString("beneficiaryAccountNo", "");
        if (account.isEmpty() || (account.charAt(account.length() - 1) - '0') % 2 == 1) {
            return new Answer(404, code("4041611", "Invalid Account"));
        }
        String key = body.getString("beneficiaryBankCode") + "/" + account;
        if (inquiries.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() == 1) {
            return new Answer(202, code("2021600", "Request In Progress"));
        }
        // SNAP's inquiry answer carries a referenceNo of its own: the inquiry's, not a transfer's
        return new Answer(200, code("2001600", "Successful").put("referenceNo", "inq_" + id())
                .put("beneficiaryAccountNo", account)
                .put("beneficiaryBankCode", body.getString("beneficiaryBankCode"))
                .put("beneficiaryAccountName", "Durian " + account.substring(Math.max(0, account.length() - 4))));
    }

    private synchronized Answer transfer(JsonObject body) {
        String partnerReferenceNo = body.getString("partnerReferenceNo");
        if (partnerReferenceNo == null || !settings.merchantId().equals(body.getString("sourceAccountNo"))) {
            return new Answer(400, code("4001802", "Invalid Mandatory Field"));
        }
        if (!DOCUMENTED_TIMESTAMP.matcher(body.getString("transactionDate", "")).matches()) {
            return new Answer(400, code("4001801", "Invalid Field Format transactionDate"));
        }
        if (transfers.containsKey(partnerReferenceNo)) {
            return new Answer(409, code("4091801", "Duplicate partnerReferenceNo"));
        }
        long amount = new BigDecimal(body.getJsonObject("amount").getString("value")).longValueExact();
        String account = body.getString("beneficiaryAccountNo");
        if (balance.get() < amount || account.endsWith("0014")) {
            return new Answer(403, code("4031814", "Insufficient Funds"));
        }
        Transfer transfer = new Transfer(partnerReferenceNo, "dis_item_" + id(), body.getString("beneficiaryBankCode"),
                account, amount, account.endsWith("96"), "trx_" + id(), String.valueOf(bankReferences.incrementAndGet()));
        transfers.put(partnerReferenceNo, transfer);
        balance.addAndGet(-amount);
        executions.computeIfAbsent(partnerReferenceNo, k -> new AtomicInteger()).incrementAndGet();
        vertx.setTimer(settings.notifyDelayMillis(), id -> finish(transfer));
        // the money has moved; these accounts then lose the answer
        if (account.endsWith("0500")) {
            return new Answer(500, code("5001801", "Internal Server Error"));
        }
        if (account.endsWith("0504")) {
            return new Answer(504, code("5041800", "Timeout"));
        }
        if (account.endsWith("0408")) {
            return new Answer(0, null);
        }
        return new Answer(202, code("2021800", "Request In Progress").put("referenceNo", transfer.referenceNo())
                .put("partnerReferenceNo", partnerReferenceNo).put("amount", money(amount)));
    }

    /**
     * The status of a transfer, found by originalPartnerReferenceNo and, when the request names one,
     * the transfer's originalReferenceNo (another referenceNo finds nothing). A transfer it does not
     * have is a bare 404, as the document shows it.
     */
    private Answer status(JsonObject body) {
        if (!"18".equals(body.getString("serviceCode"))) {
            return new Answer(400, code("4003602", "Invalid Mandatory Field serviceCode"));
        }
        Transfer transfer = transfers.get(body.getString("originalPartnerReferenceNo", ""));
        String referenceNo = body.getString("originalReferenceNo");
        if (transfer == null || (referenceNo != null && !referenceNo.equals(transfer.referenceNo()))) {
            return new Answer(404, null);
        }
        String status = finalStatus.getOrDefault(transfer.partnerReferenceNo(), "03");
        Object source = body.getValue("additionalInfo");
        return new Answer(200, new JsonObject()
                .put("additionalInfo", source instanceof JsonObject info ? info : new JsonObject())
                .put("amount", money(transfer.amount()))
                .put("beneficiaryAccountNo", transfer.accountNo()).put("beneficiaryBankCode", transfer.bankCode())
                .put("currency", "IDR")
                .put("latestTransactionStatus", status).put("transactionStatusDesc", switch (status) {
                    case "00" -> "success";
                    case "06" -> "failed";
                    default -> "processing";
                })
                .put("originalPartnerReferenceNo", transfer.partnerReferenceNo())
                .put("originalReferenceNo", transfer.referenceNo())
                .put("referenceNumber", transfer.referenceNumber()).put("serviceCode", "18")
                .put("sourceAccountNo", settings.merchantId()).put("transactionId", transfer.transactionId())
                .put("responseCode", "2003600").put("responseMessage", "Successful"));
    }

    private static String id() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** The bank's answer: recorded for status, then told to the merchant in a signed notification. */
    private void finish(Transfer transfer) {
        String status = transfer.fails() ? "06" : "00";
        finalStatus.put(transfer.partnerReferenceNo(), status);
        if (transfer.fails()) {
            balance.addAndGet(transfer.amount());
            executions.get(transfer.partnerReferenceNo()).decrementAndGet();
        }
        sendNotification(transfer.partnerReferenceNo(), status);
    }

    /** Sends (or, from a test, sends again) the transfer-bank.notify of a transfer. */
    public void sendNotification(String partnerReferenceNo, String status) {
        Transfer transfer = transfers.get(partnerReferenceNo);
        if (transfer == null || notifyUrl == null) {
            LOG.warn("Durianpay twin: no notification address or no such transfer; nothing sent");
            return;
        }
        JsonObject notification = new JsonObject().put("originalPartnerReferenceNo", partnerReferenceNo)
                .put("originalReferenceNo", transfer.referenceNo()).put("amount", money(transfer.amount()))
                .put("additionalInfo", new JsonObject().put("latestTransactionStatus", status)
                        .put("event", "transfer-bank.notify"))
                .put("failureReason", "06".equals(status) ? "Rejected by the beneficiary bank" : "");
        String raw = notification.encode();
        String timestamp = TIMESTAMP.format(clock.instant().atOffset(ZoneOffset.ofHours(7)));
        String path = URI.create(notifyUrl).getPath();
        String signature = SnapSignature.sign(settings.durianpayPrivateKey(),
                SnapSignature.notificationText("POST", path, raw, timestamp));
        HttpRequest request = HttpRequest.newBuilder(URI.create(notifyUrl)).header("Content-Type", "application/json")
                .header("X-TIMESTAMP", timestamp).header("X-SIGNATURE", signature)
                .POST(HttpRequest.BodyPublishers.ofString(raw)).build();
        notifications.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, e) -> {
            if (e != null || response.statusCode() / 100 != 2) {
                // once, with the answer and the address only (the body is signed)
                LOG.warn("Durianpay twin: notification to {} not delivered ({})", request.uri(),
                        e == null ? "HTTP " + response.statusCode() : e.getClass().getSimpleName());
            }
        });
    }

    private static JsonObject money(long amount) {
        return new JsonObject().put("value", amount + ".00").put("currency", "IDR");
    }

    private static JsonObject code(String code, String message) {
        return new JsonObject().put("responseCode", code).put("responseMessage", message);
    }
}
