package id.camelpayouts.twin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local stand-in for the Duitku disbursement API (sandbox path names), faithful to Duitku's
 * document (https://docs.duitku.com/disbursement/en/): it checks merchant (-120 unknown user,
 * -213 wrong email), timestamp (-960 older than five minutes) and signature (-191) on every call,
 * keeps a balance, answers the document's sandbox test accounts with their documented codes,
 * applies the rails' limits, and lets tests inject latency, faults and the document's refusals.
 * It shares no signing code with the gateway, so a formula mistake on either side shows up as -191.
 *
 * What stands behind an answer that leaves the outcome open, as inquirystatus reports it:
 * TO (8760673561) was executed; 68 (8760673564) was executed but the bank confirms it only at
 * the second status inquiry; a transfer the twin did not execute (-100, LD, 91, 89, NF, ... and
 * every refusal) is unknown to it: -420 "Transfer not Found", as is every cash out (Duitku
 * documents no status inquiry for cash outs). The document does not say what Duitku's status
 * answers for a transfer it declined; "not found" for one that never executed is the cautious
 * reading, and the gateway fails such a transfer only after its not-found grace.
 */
public final class DuitkuTwin extends ServiceSupport {

    public static final String BASE_PATH = "/webapi/api/disbursement";
    /** Cash out lives on its own host in the document; the twin serves it under this path. */
    public static final String CASHOUT_PATH = "/api/cashout";
    private static final Logger LOG = LoggerFactory.getLogger(DuitkuTwin.class);
    private static final long MAX_TIMESTAMP_AGE_MS = 5 * 60 * 1000;
    private static final Map<String, String[]> INQUIRY_SCENARIOS = Map.of(
            "8760673511", new String[] {"TO", "Time Out"},
            "8760673512", new String[] {"-100", "Other Error"},
            "8760673513", new String[] {"LD", "Link Down"},
            "8760673514", new String[] {"91", "DB Problem"},
            "8760673515", new String[] {"89", "Link to host Down"});
    private static final Map<String, String[]> TRANSFER_SCENARIOS = Map.of(
            "8760673559", new String[] {"LD", "Link Down"},
            "8760673560", new String[] {"91", "DB Problem"},
            "8760673561", new String[] {"TO", "Time Out"},
            "8760673562", new String[] {"-510", "Wallet not enough"},
            "8760673563", new String[] {"89", "Link to host Down"},
            "8760673564", new String[] {"68", "Time Out"},
            "8760673565", new String[] {"-100", "Other Error"});
    private static final Map<String, String[]> CLEARING_INQUIRY_SCENARIOS = Map.ofEntries(
            Map.entry("8760673411", new String[] {"EE", "General Error"}),
            Map.entry("8760673412", new String[] {"TO", "Response time out from ATM Bersama Network"}),
            Map.entry("8760673413", new String[] {"LD", "Link problem between Duitku and ATM Bersama Network"}),
            Map.entry("8760673414", new String[] {"NF", "Transaction has not recorded on Remittance gateway"}),
            Map.entry("8760673415", new String[] {"-100", "Other error"}),
            Map.entry("8760673416", new String[] {"66", "Generic Error"}),
            Map.entry("8760673417", new String[] {"68", "Time out"}),
            Map.entry("8760673418", new String[] {"88", "Bill Already Paid"}),
            Map.entry("8760673419", new String[] {"90", "Invalid Beneficiary or Currency"}),
            Map.entry("8760673420", new String[] {"91", "Transport Error to Back End"}));
    private static final Map<String, String[]> CLEARING_TRANSFER_SCENARIOS = Map.of(
            "8760673451", new String[] {"LD", "Link Down"},
            "8760673452", new String[] {"NF", "Transaction has not recorded on Remittance gateway"},
            "8760673453", new String[] {"TO", "Time Out"},
            "8760673454", new String[] {"-510", "Insufficient Fund"},
            "8760673455", new String[] {"90", "Invalid Beneficiary or Currency"},
            "8760673456", new String[] {"68", "Time Out"},
            "8760673457", new String[] {"91", "Transport Error to Back End"});
    /** The fields the document marks required (Y) for each call, besides the merchant's and the timestamp. */
    private static final Map<String, List<String>> REQUIRED = Map.of(
            "inquirysandbox", List.of("amountTransfer", "bankAccount", "bankCode", "signature"),
            "transfersandbox", List.of("disburseId", "bankCode", "bankAccount", "amountTransfer", "accountName",
                    "custRefNumber", "purpose", "signature"),
            "inquiryclearingsandbox", List.of("bankCode", "bankAccount", "amountTransfer", "type", "signature"),
            "transferclearingsandbox", List.of("disburseId", "bankCode", "bankAccount", "amountTransfer",
                    "accountName", "custRefNumber", "purpose", "type", "signature"),
            "cashout", List.of("amountTransfer", "bankCode", "accountName", "accountIdentity", "phoneNumber",
                    "signature"),
            "inquirystatus", List.of("disburseId", "signature"));
    /** An account the twin treats as blacklisted (-192) at inquiry. */
    public static final String BLACKLISTED_ACCOUNT = "1920000001";
    /** The document's words for the refusals {@link #refuseNext} can answer. */
    private static final Map<String, String> REFUSALS = Map.ofEntries(
            Map.entry("-120", "User not found"), Map.entry("-123", "User has been blocked"),
            Map.entry("-141", "Amount transfer Invalid"), Map.entry("-148", "Bank not support H2H"),
            Map.entry("-149", "Bank not found"), Map.entry("-161", "Callback URL not found"),
            Map.entry("-191", "Wrong signature"), Map.entry("-192", "Account number is blacklisted"),
            Map.entry("-213", "Email is not valid"), Map.entry("-510", "Insufficient Fund"),
            Map.entry("-920", "Limit Exceeded"), Map.entry("-930", "IP not whitelisted"),
            Map.entry("-952", "Invalid Parameter"), Map.entry("-960", "Timestamp is expired ( 5 minutes )"));
    /** RTGS takes at least, LLG at most (the document's clearing types). */
    private static final long RTGS_MIN = 100_000_000L;
    private static final long LLG_MAX = 1_000_000_000L;
    /** Banks with a host-to-host link (the document: BNI, BRI, Mandiri, Permata, CIMB). */
    private static final java.util.Set<String> H2H_BANKS = java.util.Set.of("009", "002", "008", "013", "022");
    private static final String[] NAMES = {"Budi Santoso", "Siti Rahayu", "Agus Setiawan", "Dewi Lestari",
            "Rudi Hartono", "Sri Wahyuni", "Andi Pratama", "Putri Maharani"};

    /** What the twin was configured with; the merchant credentials it accepts are the sandbox's. */
    public record Settings(String host, int port, long userId, String email, String secretKey, long balance,
            long latencyMillis, long slowMillis, long callbackDelayMillis) {

        public Settings(String host, int port, long userId, String email, String secretKey, long balance,
                long latencyMillis, long slowMillis) {
            this(host, port, userId, email, secretKey, balance, latencyMillis, slowMillis, 500);
        }
    }

    private record Bank(String code, String name, boolean biFast, long maxAmount) {
    }

    /** What an inquiry answered; {@code type} is the clearing type (null online), cash outs have no account. */
    private record Inquiry(String bankCode, String bankAccount, long amount, String accountName,
            String custRefNumber, String purpose, String type) {

        Inquiry(String bankCode, String bankAccount, long amount, String accountName, String custRefNumber,
                String purpose) {
            this(bankCode, bankAccount, amount, accountName, custRefNumber, purpose, null);
        }
    }

    /** A transfer the twin received: executed (money moved) or declined with a code. */
    private static final class Transfer {
        final Inquiry inquiry;
        final boolean executed;
        final String code;
        final String desc;
        final AtomicInteger statusChecks = new AtomicInteger();
        /** For outcomes that come by callback (H2H, cash out): the final status code once decided. */
        volatile String callbackStatus;

        Transfer(Inquiry inquiry, boolean executed, String code, String desc) {
            this.inquiry = inquiry;
            this.executed = executed;
            this.code = code;
            this.desc = desc;
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final TwinFaults faults = new TwinFaults();
    private final Map<String, java.util.Queue<String>> refusals = new ConcurrentHashMap<>();
    private final Map<String, Bank> banks = loadBanks();
    private final Map<String, Inquiry> inquiries = new ConcurrentHashMap<>();
    private final Map<String, Transfer> transfers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    /** Calls that arrived, by operation and by "operation bankAccount", whatever became of them. */
    private final Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
    private final AtomicLong nextDisburseId = new AtomicLong(100000);
    private final AtomicLong balance;
    private final Vertx shared;
    private Vertx vertx;
    private HttpServer server;
    private volatile String callbackBase;
    private final java.net.http.HttpClient callbacks = java.net.http.HttpClient.newHttpClient();

    public DuitkuTwin(Settings settings, Clock clock) {
        this(settings, clock, null);
    }

    /** On the application's Vert.x ({@code shared}; null: one of its own), which stopping it leaves running. */
    public DuitkuTwin(Settings settings, Clock clock, Vertx shared) {
        this.shared = shared;
        this.settings = settings;
        this.clock = clock;
        this.balance = new AtomicLong(settings.balance());
    }

    // ---- what tests and benchmarks read ------------------------------------------------

    public int port() {
        return server.actualPort();
    }

    public String baseUrl() {
        return "http://" + settings.host() + ":" + port() + BASE_PATH;
    }

    public String cashOutUrl() {
        return "http://" + settings.host() + ":" + port() + CASHOUT_PATH;
    }

    public TwinFaults faults() {
        return faults;
    }

    /**
     * From now on, disburseIds above {@code highest}: Duitku's numbering goes on, and a gateway
     * started again on its ledger starts its twin again, which must not hand out a disburseId of a
     * payout the ledger has (the ledger finds a callback's payout by disburseId: the new transfer's
     * callback would be refused as about the earlier payout, and its status answer taken for it).
     */
    public void disburseIdsAbove(long highest) {
        nextDisburseId.accumulateAndGet(highest, Math::max);
    }

    /**
     * The next call of {@code operation} (e.g. "transfersandbox", "cashout") is refused with one of
     * the document's refusal codes before anything happens, as Duitku would for a blocked user
     * (-123), an unregistered callback URL (-161), a blacklisted account (-192) or a caller not
     * whitelisted (-930). Nothing is executed: its status is "not found".
     */
    public void refuseNext(String operation, String code) {
        if (!REFUSALS.containsKey(code)) {
            throw new IllegalArgumentException("not one of the document's refusals: " + code + " " + REFUSALS.keySet());
        }
        refusals.computeIfAbsent(operation, any -> new java.util.concurrent.ConcurrentLinkedQueue<>()).add(code);
    }

    /** How many times money moved for this disburseId (more than 1 would be a double payment). */
    public int transfersExecuted(String disburseId) {
        AtomicInteger count = executions.get(disburseId);
        return count == null ? 0 : count.get();
    }

    /** How many transfers were executed in all. */
    public int transfersExecuted() {
        return executions.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /**
     * How many calls of {@code operation} (e.g. "transfersandbox") arrived, whatever became of them:
     * those a fault dropped or answered 500 before any work included (what the gateway sent).
     */
    public int calls(String operation) {
        AtomicInteger count = arrivals.get(operation);
        return count == null ? 0 : count.get();
    }

    /** How many calls of {@code operation} arrived for this bank account (inquiries and transfers name it). */
    public int calls(String operation, String bankAccount) {
        return calls(operation + " " + bankAccount);
    }

    public long balance() {
        return balance.get();
    }

    /** Sets the merchant's balance (a test's top-up, or an account running dry). */
    public void setBalance(long rupiah) {
        balance.set(rupiah);
    }

    /** Accounts that received money more than once (each test row pays its own account). */
    public long accountsPaidTwice() {
        Map<String, Integer> perAccount = new java.util.HashMap<>();
        executions.forEach((disburseId, count) -> {
            Inquiry inquiry = inquiries.get(disburseId);
            if (inquiry != null && count.get() > 0) {
                perAccount.merge(inquiry.bankAccount(), count.get(), Integer::sum);
            }
        });
        return perAccount.values().stream().filter(count -> count > 1).count();
    }

    /** How many inquiries (online and clearing) were answered with a disburseId. */
    public int inquiriesAnswered() {
        return inquiries.size();
    }

    /** Where the merchant's callback receivers are: {base}/clearing and {base}/cashout, e.g. http://127.0.0.1:8080/callbacks/duitku. */
    public void callbacksTo(String baseUrl) {
        this.callbackBase = baseUrl;
    }

    // ---- lifecycle ---------------------------------------------------------------------

    @Override
    protected void doStart() throws Exception {
        vertx = shared != null ? shared : Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(this::handle);
        server.listen(settings.port(), settings.host()).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        LOG.info("Duitku twin listening on {}", baseUrl());
    }

    @Override
    protected void doStop() throws Exception {
        if (vertx != null && shared == null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } else if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    // ---- HTTP --------------------------------------------------------------------------

    private void handle(HttpServerRequest request) {
        String prefix = BASE_PATH + "/";
        boolean cashOut = request.path().equals(CASHOUT_PATH + "/inquiry");
        if (!(request.path().startsWith(prefix) || cashOut)
                || request.method() != io.vertx.core.http.HttpMethod.POST) {
            request.response().setStatusCode(404).end();
            return;
        }
        String operation = cashOut ? "cashout" : request.path().substring(prefix.length());
        request.body().onSuccess(buffer -> {
            countArrival(operation, buffer);
            TwinFault fault = faults.draw(operation);
            if (fault == TwinFault.DROP_BEFORE) {
                request.connection().close();
                return;
            }
            if (fault == TwinFault.HTTP_500_BEFORE) {
                respondLater(request, 500, "<html><body>Internal Server Error</body></html>", "text/html");
                return;
            }
            Answer answer;
            try {
                answer = answer(operation, new JsonObject(buffer));
            } catch (RuntimeException unreadable) {
                answer = new Answer(400, code("-952", "Invalid Parameter"));
            }
            if (fault == TwinFault.DROP_AFTER) {
                request.connection().close();
            } else if (fault == TwinFault.HTTP_502_AFTER) {
                respondLater(request, 502, "<html><body>Bad Gateway</body></html>", "text/html");
            } else if (fault == TwinFault.SLOW_AFTER) {
                Answer late = answer;
                vertx.setTimer(settings.slowMillis(), id -> respondLater(request, late.status(),
                        late.body().encode(), "application/json"));
            } else if (fault != null && fault.code() != null) {
                // the work is done (a transfer executed), but Duitku answers with an error code
                respondLater(request, 200, answer.body().put("responseCode", fault.code())
                        .put("responseDesc", fault.desc()).encode(), "application/json");
            } else {
                respondLater(request, answer.status(), answer.body().encode(), "application/json");
            }
        });
    }

    private void countArrival(String operation, io.vertx.core.buffer.Buffer body) {
        arrivals.computeIfAbsent(operation, any -> new AtomicInteger()).incrementAndGet();
        String bankAccount;
        try {
            bankAccount = new JsonObject(body).getString("bankAccount");
        } catch (RuntimeException unreadable) {
            bankAccount = null;
        }
        if (bankAccount != null) {
            arrivals.computeIfAbsent(operation + " " + bankAccount, any -> new AtomicInteger()).incrementAndGet();
        }
    }

    private void respondLater(HttpServerRequest request, int status, String body, String contentType) {
        Runnable respond = () -> {
            if (!request.response().closed()) {
                request.response().setStatusCode(status).putHeader("Content-Type", contentType).end(body);
            }
        };
        long latency = settings.latencyMillis() + faults.addedLatencyMillis();
        if (latency > 0) {
            vertx.setTimer(latency, id -> respond.run());
        } else {
            respond.run();
        }
    }

    private record Answer(int status, JsonObject body) {
    }

    private Answer answer(String operation, JsonObject request) {
        Answer refused = checkMerchant(request);
        if (refused != null) {
            return refused;
        }
        if (!present(request, REQUIRED.getOrDefault(operation, List.of()))) {
            return new Answer(400, code("-952", "Invalid Parameter"));
        }
        java.util.Queue<String> scripted = refusals.get(operation);
        String refusal = scripted == null ? null : scripted.poll();
        if (refusal != null) {
            return new Answer(200, code(refusal, REFUSALS.get(refusal)));
        }
        return switch (operation) {
            case "inquirysandbox" -> inquiry(request);
            case "transfersandbox" -> transfer(request);
            case "inquirystatus" -> status(request);
            case "inquiryclearingsandbox" -> clearingInquiry(request);
            case "transferclearingsandbox" -> clearingTransfer(request);
            case "cashout" -> cashOut(request);
            case "checkbalance" -> checkBalance(request);
            case "listBank" -> listBank(request);
            default -> new Answer(404, code("-952", "Unknown operation " + operation));
        };
    }

    /** Whether every field is there and not null. */
    private static boolean present(JsonObject request, List<String> fields) {
        return fields.stream().allMatch(field -> request.getValue(field) != null);
    }

    /**
     * -120 for an unknown merchant, -213 for an email that is not the merchant's, -952 without a
     * timestamp, -960 for one more than five minutes off (before the signature, as Duitku does).
     */
    private Answer checkMerchant(JsonObject request) {
        if (!String.valueOf(settings.userId()).equals(text(request, "userId"))) {
            return new Answer(401, code("-120", "User not found"));
        }
        if (!settings.email().equals(request.getValue("email"))) {
            return new Answer(401, code("-213", "Email is not valid"));
        }
        Long timestamp = longValue(request.getValue("timestamp"));
        if (timestamp == null) {
            return new Answer(400, code("-952", "Invalid Parameter"));
        }
        if (Math.abs(clock.millis() - timestamp) > MAX_TIMESTAMP_AGE_MS) {
            return new Answer(400, code("-960", "Timestamp is expired ( 5 minutes )"));
        }
        return null;
    }

    private Answer inquiry(JsonObject request) {
        String bankCode = request.getString("bankCode");
        String bankAccount = request.getString("bankAccount");
        String amount = php(request.getValue("amountTransfer"));
        String purpose = text(request, "purpose");
        if (!signed(request, request.getString("email"), text(request, "timestamp"), bankCode, bankAccount, amount,
                purpose)) {
            return new Answer(401, code("-191", "Wrong signature"));
        }
        Bank bank = banks.get(bankCode);
        if (bank == null) {
            return new Answer(200, code("-149", "Bank not found"));
        }
        Long value = longValue(request.getValue("amountTransfer"));
        if (value == null || value <= 0) {
            return new Answer(200, code("-141", "Amount transfer Invalid"));
        }
        if (value > bank.maxAmount()) {
            return new Answer(200, code("-920", "Limit Exceeded"));
        }
        if (BLACKLISTED_ACCOUNT.equals(bankAccount)) {
            return new Answer(200, code("-192", "Account number is blacklisted"));
        }
        String[] scenario = INQUIRY_SCENARIOS.get(bankAccount);
        if (scenario != null) {
            return new Answer(200, code(scenario[0], scenario[1]));
        }
        String disburseId = String.valueOf(nextDisburseId.incrementAndGet());
        String custRefNumber = String.format("%012d", Long.parseLong(disburseId));
        Inquiry inquiry = new Inquiry(bankCode, bankAccount, value, accountName(bankAccount), custRefNumber, purpose);
        inquiries.put(disburseId, inquiry);
        JsonObject body = echo(inquiry).put("disburseId", Long.parseLong(disburseId));
        return new Answer(200, body.put("responseCode", "00").put("responseDesc", "Success"));
    }

    private synchronized Answer transfer(JsonObject request) {
        String disburseId = text(request, "disburseId");
        String amount = php(request.getValue("amountTransfer"));
        if (!signed(request, request.getString("email"), text(request, "timestamp"), request.getString("bankCode"),
                request.getString("bankAccount"), request.getString("accountName"),
                request.getString("custRefNumber"), amount, text(request, "purpose"), disburseId)) {
            return new Answer(401, code("-191", "Wrong signature"));
        }
        Inquiry inquiry = disburseId == null ? null : inquiries.get(disburseId);
        if (inquiry == null) {
            return new Answer(200, code("-420", "Transfer not Found"));
        }
        if (!inquiry.bankAccount().equals(request.getString("bankAccount"))
                || !inquiry.bankCode().equals(request.getString("bankCode"))
                || !String.valueOf(inquiry.amount()).equals(amount)) {
            return new Answer(200, code("-952", "Invalid Parameter"));
        }
        if (transfers.containsKey(disburseId)) {
            return new Answer(200, code("-142", "Transaction Already Finished"));
        }
        String[] scenario = TRANSFER_SCENARIOS.getOrDefault(inquiry.bankAccount(), new String[] {"00", "Success"});
        String answerCode = scenario[0];
        boolean moneyMoves = switch (answerCode) {
            case "00", "TO", "68" -> true;
            default -> false;
        };
        if (moneyMoves && balance.get() < inquiry.amount()) {
            answerCode = "-510";
            scenario = new String[] {"-510", "Insufficient Fund"};
            moneyMoves = false;
        }
        if (moneyMoves) {
            balance.addAndGet(-inquiry.amount());
            executions.computeIfAbsent(disburseId, id -> new AtomicInteger()).incrementAndGet();
        }
        // The final outcome behind the answer: executed => 00 at status time.
        transfers.put(disburseId, new Transfer(inquiry, moneyMoves, answerCode, scenario[1]));
        return new Answer(200, echo(inquiry).put("responseCode", answerCode).put("responseDesc", scenario[1]));
    }

    private Answer status(JsonObject request) {
        String disburseId = text(request, "disburseId");
        if (!signed(request, request.getString("email"), text(request, "timestamp"), disburseId)) {
            return new Answer(401, code("-191", "Wrong signature"));
        }
        Transfer transfer = disburseId == null ? null : transfers.get(disburseId);
        // Not executed (declined, or never reached the bank) and cash outs (no status inquiry in the
        // document): unknown here, as a disburseId the twin never saw.
        if (transfer == null || !transfer.executed || "cashout".equals(transfer.inquiry.type())) {
            return new Answer(200, code("-420", "Transfer not Found"));
        }
        JsonObject body = echo(transfer.inquiry);
        body.remove("email");
        if ("68".equals(transfer.code) && transfer.statusChecks.incrementAndGet() == 1) {
            return new Answer(200, body.put("responseCode", "68").put("responseDesc", "Time Out"));
        }
        if ("80".equals(transfer.code)) {
            String decided = transfer.callbackStatus;
            if (decided == null) {
                return new Answer(200, body.put("responseCode", "80").put("responseDesc", "Waiting for callback"));
            }
            if ("01".equals(decided)) {
                return new Answer(200, body.put("responseCode", "01").put("responseDesc", "Failed"));
            }
        }
        return new Answer(200, body.put("responseCode", "00").put("responseDesc", "Success"));
    }

    private Answer checkBalance(JsonObject request) {
        if (!signed(request, request.getString("email"), text(request, "timestamp"))) {
            return new Answer(401, code("-191", "Wrong signature"));
        }
        BigDecimal rupiah = BigDecimal.valueOf(balance.get()).setScale(2); // a decimal, as the document shows
        return new Answer(200, new JsonObject().put("userId", settings.userId()).put("email", settings.email())
                .put("balance", rupiah).put("effectiveBalance", rupiah)
                .put("responseCode", "00").put("responseDesc", "Success"));
    }

    private Answer listBank(JsonObject request) {
        if (!signed(request, request.getString("email"), text(request, "timestamp"))) {
            return new Answer(401, code("-191", "Wrong signature"));
        }
        JsonArray list = new JsonArray();
        banks.values().forEach(bank -> list.add(new JsonObject().put("bankCode", bank.code())
                .put("bankName", bank.name()).put("maxAmountTransfer", String.valueOf(bank.maxAmount()))));
        return new Answer(200, new JsonObject().put("responseCode", "00").put("responseDesc", "Success")
                .put("Banks", list));
    }

    private Answer clearingInquiry(JsonObject request) {
        String bankCode = request.getString("bankCode");
        String type = request.getString("type");
        String bankAccount = request.getString("bankAccount");
        String purpose = text(request, "purpose");
        if (!signed(request, request.getString("email"), text(request, "timestamp"), bankCode, type, bankAccount,
                php(request.getValue("amountTransfer")), purpose)) {
            return new Answer(401, code("-191", "Wrong signature"));
        }
        if (!java.util.Set.of("LLG", "RTGS", "H2H", "BIFAST").contains(type)) {
            return new Answer(200, code("-952", "Invalid Parameter"));
        }
        if (!banks.containsKey(bankCode)) {
            return new Answer(200, code("-149", "Bank not found"));
        }
        if ("H2H".equals(type) && !H2H_BANKS.contains(bankCode)) {
            return new Answer(200, code("-148", "Bank not support H2H"));
        }
        Long value = longValue(request.getValue("amountTransfer"));
        if (value == null || value <= 0 || ("RTGS".equals(type) && value < RTGS_MIN)) {
            return new Answer(200, code("-141", "Amount transfer Invalid"));
        }
        if ("LLG".equals(type) && value > LLG_MAX) {
            return new Answer(200, code("-920", "Limit Exceeded"));
        }
        if (BLACKLISTED_ACCOUNT.equals(bankAccount)) {
            return new Answer(200, code("-192", "Account number is blacklisted"));
        }
        String[] scenario = CLEARING_INQUIRY_SCENARIOS.get(bankAccount);
        if (scenario != null) {
            return new Answer(200, code(scenario[0], scenario[1]));
        }
        String disburseId = String.valueOf(nextDisburseId.incrementAndGet());
        Inquiry inquiry = new Inquiry(bankCode, bankAccount, value, accountName(bankAccount),
                String.format("%012d", Long.parseLong(disburseId)), purpose, type);
        inquiries.put(disburseId, inquiry);
        return new Answer(200, echo(inquiry).put("disburseId", Long.parseLong(disburseId)).put("type", type)
                .put("responseCode", "00").put("responseDesc", "Success"));
    }

    private synchronized Answer clearingTransfer(JsonObject request) {
        String disburseId = text(request, "disburseId");
        String type = request.getString("type");
        if (!signed(request, request.getString("email"), text(request, "timestamp"), request.getString("bankCode"),
                type, request.getString("bankAccount"), request.getString("accountName"),
                request.getString("custRefNumber"), php(request.getValue("amountTransfer")),
                text(request, "purpose"), disburseId)) {
            return new Answer(401, code("-191", "Wrong signature"));
        }
        Inquiry inquiry = disburseId == null ? null : inquiries.get(disburseId);
        if (inquiry == null || inquiry.type() == null) {
            return new Answer(200, code("-420", "Transfer not Found"));
        }
        if (!inquiry.bankAccount().equals(request.getString("bankAccount")) || !inquiry.type().equals(type)
                || !String.valueOf(inquiry.amount()).equals(php(request.getValue("amountTransfer")))) {
            return new Answer(200, code("-952", "Invalid Parameter"));
        }
        if (transfers.containsKey(disburseId)) {
            return new Answer(200, code("-142", "Transaction Already Finished"));
        }
        boolean h2h = "H2H".equals(type);
        String[] scenario = CLEARING_TRANSFER_SCENARIOS.getOrDefault(inquiry.bankAccount(),
                h2h ? new String[] {"80", "Waiting for callback"} : new String[] {"00", "Success"});
        boolean moneyMoves = List.of("00", "80", "TO", "68").contains(scenario[0]);
        if (moneyMoves && balance.get() < inquiry.amount()) {
            scenario = new String[] {"-510", "Insufficient Fund"};
            moneyMoves = false;
        }
        if (moneyMoves) {
            balance.addAndGet(-inquiry.amount());
            executions.computeIfAbsent(disburseId, id -> new AtomicInteger()).incrementAndGet();
        }
        Transfer transfer = new Transfer(inquiry, moneyMoves, scenario[0], scenario[1]);
        transfers.put(disburseId, transfer);
        if ("80".equals(scenario[0])) {
            transfer.callbackStatus = null;
            vertx.setTimer(settings.callbackDelayMillis(), id -> sendClearingCallback(disburseId, transfer, "00"));
        }
        return new Answer(200, echo(inquiry).put("type", type).put("responseCode", scenario[0])
                .put("responseDesc", scenario[1]));
    }

    /**
     * Cash out: the inquiry itself moves the money (Duitku debits the balance and issues a token);
     * the outcome comes by callback: phone numbers ending 100-200 succeed, 201-300 fail.
     */
    private synchronized Answer cashOut(JsonObject request) {
        String purpose = text(request, "purpose");
        if (!signed(request, request.getString("email"), text(request, "timestamp"),
                php(request.getValue("amountTransfer")), purpose)) {
            return new Answer(401, code("-191", "Wrong signature"));
        }
        String bankCode = request.getString("bankCode");
        Long value = longValue(request.getValue("amountTransfer"));
        boolean indomaret = "2010".equals(bankCode);
        if (!indomaret && !"2011".equals(bankCode)) {
            return new Answer(200, code("-149", "Bank not found"));
        }
        if (value == null || value < 50_000 || value > (indomaret ? 1_000_000 : 2_000_000)
                || (indomaret && value % 50_000 != 0)) {
            return new Answer(200, code("-141", "Amount transfer Invalid"));
        }
        String phone = request.getString("phoneNumber", "");
        if (phone.isBlank() || request.getString("accountIdentity", "").isBlank()) {
            return new Answer(200, code("-952", "Invalid Parameter"));
        }
        if (balance.get() < value) {
            return new Answer(200, code("-510", "Insufficient Fund"));
        }
        String disburseId = String.valueOf(nextDisburseId.incrementAndGet());
        String custRefNumber = request.getString("custRefNumber", String.format("%012d", Long.parseLong(disburseId)));
        Inquiry inquiry = new Inquiry(bankCode, phone, value, request.getString("accountName"), custRefNumber,
                purpose, "cashout");
        balance.addAndGet(-value);
        executions.computeIfAbsent(disburseId, id -> new AtomicInteger()).incrementAndGet();
        Transfer transfer = new Transfer(inquiry, true, "00", "Success");
        transfers.put(disburseId, transfer);
        int lastThree = phone.length() >= 3 ? Integer.parseInt(phone.substring(phone.length() - 3)) : 0;
        String outcome = lastThree >= 201 && lastThree <= 300 ? "01" : "00";
        String callbackUrl = request.getString("callbackUrl");
        vertx.setTimer(settings.callbackDelayMillis(), id -> sendCashOutCallback(disburseId, transfer, outcome,
                callbackUrl));
        return new Answer(200, new JsonObject().put("disburseId", Long.parseLong(disburseId))
                .put("amountTransfer", value).put("custRefNumber", custRefNumber)
                .put("accountName", inquiry.accountName()).put("email", settings.email()).put("phoneNumber", phone)
                .put("token", 230000000000L + Long.parseLong(disburseId))
                .put("pin", indomaret ? null : String.format("%06d", Math.floorMod(disburseId.hashCode(), 1_000_000)))
                .put("responseCode", "00").put("responseDesc", "Success"));
    }

    /** The document's clearing callback (H2H), signed; the amount as a JSON decimal, as PHP sends it. */
    public void sendClearingCallback(String disburseId, String statusCode) {
        Transfer transfer = transfers.get(disburseId);
        if (transfer != null) {
            sendClearingCallback(disburseId, transfer, statusCode);
        }
    }

    private void sendClearingCallback(String disburseId, Transfer transfer, String statusCode) {
        transfer.callbackStatus = statusCode;
        if ("01".equals(statusCode) && transfer.executed) {
            balance.addAndGet(transfer.inquiry.amount()); // a failed clearing returns the money
        }
        Inquiry inquiry = transfer.inquiry;
        JsonObject callback = new JsonObject().put("disburseId", disburseId).put("userId", settings.userId())
                .put("email", settings.email()).put("bankCode", inquiry.bankCode())
                .put("bankAccount", inquiry.bankAccount()).put("amountTransfer", (double) inquiry.amount())
                .put("accountName", inquiry.accountName()).put("custRefNumber", inquiry.custRefNumber())
                .put("statusCode", statusCode).put("statusDesc", "00".equals(statusCode) ? "Success" : "Failed")
                .put("errorMessage", "00".equals(statusCode) ? "" : "Rejected by the beneficiary bank")
                .put("signature", sha256Hex(settings.email() + inquiry.bankCode() + inquiry.bankAccount()
                        + inquiry.accountName() + inquiry.custRefNumber() + inquiry.amount() + disburseId
                        + settings.secretKey()));
        post(callbackBase == null ? null : callbackBase + "/clearing", callback);
    }

    private void sendCashOutCallback(String disburseId, Transfer transfer, String statusCode, String url) {
        transfer.callbackStatus = statusCode;
        if ("01".equals(statusCode)) {
            balance.addAndGet(transfer.inquiry.amount()); // the customer never collected: refunded
            executions.get(disburseId).decrementAndGet();
        }
        Inquiry inquiry = transfer.inquiry;
        JsonObject callback = new JsonObject().put("disburseId", disburseId).put("email", settings.email())
                .put("amountTransfer", inquiry.amount()).put("custRefNumber", inquiry.custRefNumber())
                .put("accountName", inquiry.accountName()).put("bankCode", inquiry.bankCode())
                .put("phoneNumber", inquiry.bankAccount()).put("statusCode", statusCode)
                .put("statusDesc", "00".equals(statusCode) ? "Success" : "Failed")
                .put("errorMessage", "00".equals(statusCode) ? "" : "Token expired")
                .put("signature", sha256Hex(settings.email() + disburseId + inquiry.custRefNumber()
                        + settings.secretKey()));
        post(url != null && !url.isBlank() ? url
                : callbackBase == null ? null : callbackBase + "/cashout", callback);
    }

    /** POSTs a callback, trying a few times while the receiver does not answer 2xx. */
    private void post(String url, JsonObject callback) {
        if (url == null) {
            LOG.warn("Duitku twin: no callback address configured; callback not sent");
            return;
        }
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(callback.encode())).build();
        sendWithRetries(request, 5);
    }

    /**
     * Tries again every second while the receiver does not answer 2xx; a callback that never got
     * through is logged once, with the last answer and the address (no body: it is signed).
     */
    private void sendWithRetries(java.net.http.HttpRequest request, int attemptsLeft) {
        callbacks.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.discarding()).whenComplete((response, e) -> {
            boolean delivered = e == null && response.statusCode() / 100 == 2;
            if (delivered) {
                return;
            }
            if (attemptsLeft > 1 && vertx != null) {
                vertx.setTimer(1000, id -> sendWithRetries(request, attemptsLeft - 1));
            } else {
                LOG.warn("Duitku twin: callback to {} not delivered (last answer: {})", request.uri(),
                        e == null ? "HTTP " + response.statusCode() : e.getClass().getSimpleName());
            }
        });
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- helpers -----------------------------------------------------------------------

    /** The request's signature must be SHA-256 of the given fields followed by the secret key. */
    private boolean signed(JsonObject request, String... fields) {
        StringBuilder text = new StringBuilder();
        for (String field : fields) {
            text.append(field == null ? "" : field);
        }
        text.append(settings.secretKey());
        try {
            byte[] expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.US_ASCII);
            String given = request.getString("signature", "");
            return MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
            return false;
        }
    }

    private JsonObject echo(Inquiry inquiry) {
        return new JsonObject().put("email", settings.email()).put("bankCode", inquiry.bankCode())
                .put("bankAccount", inquiry.bankAccount()).put("amountTransfer", (double) inquiry.amount())
                .put("accountName", inquiry.accountName()).put("custRefNumber", inquiry.custRefNumber());
    }

    private static JsonObject code(String code, String desc) {
        return new JsonObject().put("responseCode", code).put("responseDesc", desc);
    }

    /** The document's test accounts are all "Test Account"; any other account gets a plausible name. */
    private static String accountName(String bankAccount) {
        if (bankAccount.startsWith("87606734") || bankAccount.startsWith("87606735")) {
            return "Test Account";
        }
        return NAMES[Math.floorMod(bankAccount.hashCode(), NAMES.length)];
    }

    /** PHP's rendering of a JSON number: 50000.0 becomes "50000". */
    private static String php(Object amount) {
        if (amount == null) {
            return "";
        }
        try {
            return new BigDecimal(amount.toString()).stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
            return amount.toString();
        }
    }

    private static String text(JsonObject request, String key) {
        Object value = request.getValue(key);
        if (value instanceof Number) {
            return php(value);
        }
        return value == null ? null : value.toString();
    }

    private static Long longValue(Object value) {
        try {
            return value == null ? null : new BigDecimal(value.toString()).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private static Map<String, Bank> loadBanks() {
        Map<String, Bank> banks = new LinkedHashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                DuitkuTwin.class.getResourceAsStream("/duitku-banks.csv"), StandardCharsets.UTF_8))) {
            reader.lines().filter(line -> !line.startsWith("#") && !line.startsWith("bankCode,")).forEach(line -> {
                String[] cells = line.split(",");
                banks.put(cells[0], new Bank(cells[0], cells[1], Boolean.parseBoolean(cells[2]),
                        Long.parseLong(cells[3])));
            });
        } catch (IOException e) {
            throw new IllegalStateException("twin bank list unreadable", e);
        }
        return banks;
    }
}
