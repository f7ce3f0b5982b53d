package id.camelpayouts.routes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

import id.camelpayouts.PayoutsConfiguration;
import id.camelpayouts.TestClock;
import id.camelpayouts.duitku.DuitkuCallbacks;
import id.camelpayouts.duitku.DuitkuSignature;
import id.camelpayouts.ledger.Payout;
import id.camelpayouts.ledger.PayoutLedger;
import id.camelpayouts.payout.InstructionParser;
import id.camelpayouts.payout.ResponseCodeTable;

/**
 * The payout engine's routes (routes/engine/) on an in-memory ledger, with Duitku replaced by
 * canned answers ({@link CannedDuitku} where duitku-call sends its HTTP request): no twin, no
 * HTTP, no broker, and the reconciler's timer off: a test moves a payout on by handing it to the
 * worker ({@link #work}), as the reconciler would. The clock is the test's ({@link #clock}):
 * Monday 10:00 WIB (Bank Indonesia's window open), moved on by hand for graces and reviews.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DuitkuRouteTestSupport {

    static final String EMAIL = "routes@example.com";
    static final String SECRET = "route-test-secret";
    /** Monday 23 November 2026, 10:00 WIB. */
    static final Instant START = Instant.parse("2026-11-23T03:00:00Z");
    static final TestClock clock = new TestClock(START);
    static final AtomicInteger REFERENCES = new AtomicInteger();
    static final AtomicInteger DISBURSE_IDS = new AtomicInteger(500000);
    static final AtomicInteger DATABASES = new AtomicInteger();

    protected final CannedDuitku duitku = new CannedDuitku();
    protected CamelContext context;
    protected PayoutLedger ledger;
    protected ResponseCodeTable codes;
    protected DuitkuCallbacks callbacks;
    private Main main;
    private ProducerTemplate template;

    /** What the engine finds in the registry before PayoutsConfiguration builds it: the test clock, a meter registry. */
    public static class TestBeans implements CamelConfiguration {
        @Override
        public void configure(CamelContext context) {
            context.getRegistry().bind("clock", Clock.class, clock);
            context.getRegistry().bind("metricsRegistry", MeterRegistry.class, new SimpleMeterRegistry());
        }
    }

    /** One engine per test class, its provider calls answered by {@link #duitku}. */
    @BeforeAll
    void startEngine() throws Exception {
        Properties settings = new Properties();
        settings.put("camel.main.name", "duitku-route-tests");
        settings.put("payouts.db.url", "jdbc:h2:mem:duitku-routes-" + DATABASES.incrementAndGet());
        settings.put("payouts.routes", "file:routes/engine/*.camel.yaml");
        settings.put("payouts.response-codes", "file:routes/codes");
        settings.put("payouts.twin", "false");
        settings.put("payouts.instance-id", "route-tests");
        settings.put("payouts.outcomes.channels", "jms");
        settings.put("payouts.reconcile.interval", "1h"); // the tests play the reconciler
        settings.put("payouts.reconcile.not-found-grace", "15m");
        settings.put("payouts.reconcile.review-after", "24h");
        settings.put("payouts.reconcile.callback-wait", "1m");
        settings.put("payouts.inquiry.backoff", "2s,10s");
        settings.put("duitku.base-url", "http://127.0.0.1:9/webapi/api/disbursement");
        settings.put("duitku.cashout-url", "http://127.0.0.1:9/api/cashout");
        settings.put("duitku.user-id", "3551");
        settings.put("duitku.email", EMAIL);
        settings.put("duitku.secret-key", SECRET);
        settings.put("durianpay.client-key", "route-tests");
        settings.put("durianpay.client-secret", "route-tests");
        settings.put("durianpay.merchant-id", "route-tests");
        settings.put("durianpay.private-key", "classpath:twin/dev-keys/merchant-private.pem");
        settings.put("durianpay.public-key", "classpath:twin/dev-keys/durianpay-public.pem");
        main = new Main();
        main.configure().addConfiguration(TestBeans.class);
        main.configure().addConfiguration(PayoutsConfiguration.class);
        main.setOverrideProperties(settings);
        main.start();
        context = main.getCamelContext();
        ledger = context.getRegistry().lookupByNameAndType("payoutsLedger", PayoutLedger.class);
        codes = context.getRegistry().lookupByNameAndType("payoutsDuitkuCodes", ResponseCodeTable.class);
        callbacks = context.getRegistry().lookupByNameAndType("payoutsDuitkuCallbacks", DuitkuCallbacks.class);
        AdviceWith.adviceWith(context, "duitku-call", route -> route.weaveById("duitku-http").replace()
                .process(duitku));
        template = context.createProducerTemplate();
    }

    @AfterAll
    void stopEngine() {
        if (main != null) {
            main.stop();
        }
    }

    @BeforeEach
    void freshDuitku() {
        duitku.reset();
        clock.set(START);
    }

    // ---- payouts -------------------------------------------------------------------------

    /** A new Duitku payout in the ledger (not worked on yet). */
    protected Payout submit(String method, String bankCode, String account, long amount) {
        return submit("duitku", method, bankCode, account, amount);
    }

    /** A new payout in the ledger (not worked on yet); {@code provider} null: the routing rules choose. */
    protected Payout submit(String provider, String method, String bankCode, String account, long amount) {
        String reference = "rt-" + REFERENCES.incrementAndGet();
        Map<String, Object> instruction = new LinkedHashMap<>();
        instruction.put("reference", reference);
        if (provider != null) {
            instruction.put("provider", provider);
        }
        instruction.put("method", method);
        instruction.put("bankCode", bankCode);
        instruction.put("amount", amount);
        if ("CASHOUT".equals(method)) {
            instruction.put("accountName", "Siti Rahayu");
            instruction.put("phoneNumber", account);
            instruction.put("identityNumber", "3174012345678901");
            instruction.put("address", "Jl. Raya Perjuangan 1, Jakarta");
        } else {
            instruction.put("accountNumber", account);
        }
        InstructionParser.Parsed parsed = new InstructionParser().parse(instruction);
        if (!parsed.valid()) {
            throw new IllegalArgumentException(parsed.problems().toString());
        }
        return ledger.submit(parsed.instruction()).payout();
    }

    protected Payout online() {
        return submit("ONLINE", "014", "5550" + (100000 + REFERENCES.get()), 50_000);
    }

    /** Hands the payout to the worker (as intake and the reconciler do) and waits for it; returns it as the ledger has it. */
    protected Payout work(Payout payout) {
        template.requestBody("seda:payout-work", payout.getReference());
        return ledger.find(payout.getReference());
    }

    /** An online (or clearing) payout whose inquiry succeeded and whose transfer Duitku answered {@code transferCode}. */
    protected Payout transferAnswered(Payout payout, String transferCode) {
        duitku.answer("inquiry", inquiryOk(payout)).answer("transfer", answer(payout, transferCode));
        return work(payout);
    }

    // ---- Duitku's answers ------------------------------------------------------------------

    /**
     * After a -510 the gateway asks the balance: a balance that covers the payout (the sandbox's
     * account that always answers -510) lets the payout fail as any refusal does.
     */
    protected void balanceCoversIt() {
        Map<String, Object> balance = new LinkedHashMap<>(code("00"));
        balance.put("effectiveBalance", "1000000000000.00");
        duitku.answer("checkbalance", balance);
    }

    /** A bare answer: the code and the document's words for it. */
    protected Map<String, Object> code(String code) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("responseCode", code);
        answer.put("responseDesc", codes.says(code) == null ? "?" : codes.says(code));
        return answer;
    }

    /** The inquiry's success: the account's holder, Duitku's disburseId and custRefNumber. */
    protected Map<String, Object> inquiryOk(Payout payout) {
        int disburseId = DISBURSE_IDS.incrementAndGet();
        Map<String, Object> answer = echo(payout);
        answer.put("disburseId", disburseId);
        answer.put("custRefNumber", String.format("%012d", disburseId));
        answer.put("accountName", "Test Account");
        answer.putAll(code("00"));
        return answer;
    }

    /** An answer that echoes the payout's transfer (account, amount), as Duitku's transfer and status answers do. */
    protected Map<String, Object> answer(Payout payout, String code) {
        Map<String, Object> answer = echo(payout);
        Payout known = ledger.find(payout.getReference());
        if (known != null && known.getCustRefNumber() != null) {
            answer.put("custRefNumber", known.getCustRefNumber());
            answer.put("accountName", known.getAccountName());
        }
        answer.putAll(code(code));
        return answer;
    }

    /** A cash out's answer: the token (and PIN), and Duitku's disburseId. */
    protected Map<String, Object> cashOutAnswer(Payout payout, String code) {
        Map<String, Object> answer = new LinkedHashMap<>();
        if ("00".equals(code)) {
            answer.put("disburseId", DISBURSE_IDS.incrementAndGet());
            answer.put("amountTransfer", payout.getInstruction().amount());
            answer.put("custRefNumber", payout.getReference());
            answer.put("accountName", "Siti Rahayu");
            answer.put("phoneNumber", payout.getInstruction().phoneNumber());
            answer.put("token", 230426073103L);
            answer.put("pin", "902607");
        }
        answer.putAll(code(code));
        return answer;
    }

    private static Map<String, Object> echo(Payout payout) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("email", EMAIL);
        answer.put("bankCode", payout.getInstruction().bankCode());
        answer.put("bankAccount", payout.getInstruction().accountNumber());
        answer.put("amountTransfer", (double) payout.getInstruction().amount()); // PHP sends 50000.0
        return answer;
    }

    // ---- callbacks ---------------------------------------------------------------------------

    /** Duitku's clearing callback about the payout, signed as Duitku signs it. */
    protected Map<String, Object> clearingCallback(Payout payout, String statusCode) {
        Payout known = ledger.find(payout.getReference());
        Map<String, Object> callback = new LinkedHashMap<>();
        callback.put("disburseId", known.getProviderReference());
        callback.put("userId", 3551);
        callback.put("email", EMAIL);
        callback.put("bankCode", known.getInstruction().bankCode());
        callback.put("bankAccount", known.getInstruction().accountNumber());
        callback.put("amountTransfer", (double) known.getInstruction().amount());
        callback.put("accountName", known.getAccountName());
        callback.put("custRefNumber", known.getCustRefNumber());
        callback.put("statusCode", statusCode);
        callback.put("statusDesc", codes.says(statusCode));
        callback.put("errorMessage", "");
        return signClearing(callback);
    }

    protected static Map<String, Object> signClearing(Map<String, Object> callback) {
        callback.put("signature", DuitkuSignature.sha256Hex(EMAIL + callback.get("bankCode") + callback.get("bankAccount")
                + callback.get("accountName") + callback.get("custRefNumber")
                + new java.math.BigDecimal(callback.get("amountTransfer").toString()).stripTrailingZeros()
                        .toPlainString() + callback.get("disburseId") + SECRET));
        return callback;
    }

    /** Duitku's cash-out callback about the payout (our reference is its custRefNumber), signed as Duitku signs it. */
    protected Map<String, Object> cashOutCallback(Payout payout, String disburseId, String statusCode) {
        Map<String, Object> callback = new LinkedHashMap<>();
        callback.put("disburseId", disburseId);
        callback.put("email", EMAIL);
        callback.put("amountTransfer", payout.getInstruction().amount());
        callback.put("custRefNumber", payout.getReference());
        callback.put("accountName", "Siti Rahayu");
        callback.put("bankCode", payout.getInstruction().bankCode());
        String phone = payout.getInstruction().phoneNumber();
        callback.put("phoneNumber", phone == null ? "081234567150" : phone); // required by the document
        callback.put("statusCode", statusCode);
        callback.put("statusDesc", codes.says(statusCode));
        callback.put("errorMessage", "");
        return signCashOut(callback);
    }

    protected static Map<String, Object> signCashOut(Map<String, Object> callback) {
        callback.put("signature", DuitkuSignature.sha256Hex(EMAIL + callback.get("disburseId")
                + callback.get("custRefNumber") + SECRET));
        return callback;
    }

    /** Applies a callback as the duitku-callbacks block does after reading it; returns "HTTP-status body". */
    protected String callback(String kind, Map<String, Object> body) throws Exception {
        byte[] json = CannedDuitku.JSON.writeValueAsBytes(body);
        DuitkuCallbacks.Callback parsed = "cashout".equals(kind) ? callbacks.cashOut(json) : callbacks.clearing(json);
        Exchange done = template.send("direct:apply-duitku-callback", exchange -> {
            exchange.setVariable("callback", parsed);
            exchange.setVariable("callbackKind", kind);
            if ("cashout".equals(kind)) {
                exchange.setVariable("ourReference", parsed.text("custRefNumber"));
            }
        });
        if (done.getException() != null) {
            throw done.getException();
        }
        Integer status = done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return (status == null ? 200 : status) + " " + done.getMessage().getBody(String.class);
    }

    // ---- what the ledger says ------------------------------------------------------------------

    protected List<String> history(Payout payout) {
        return ledger.history(payout.getReference());
    }

    /** Outcomes forwarded for the payout (the ledger's outbox, channel jms), oldest first. */
    protected List<Map<String, Object>> forwarded(Payout payout) {
        return ledger.outbox("jms", 100_000).getMessages().stream()
                .filter(message -> message.reference().equals(payout.getReference()))
                .map(message -> {
                    try {
                        return CannedDuitku.json(message.payload());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
    }

    /** Duitku's count of a counter with a provider label (payouts.conflicts, payouts.callbacks.refused). */
    protected double counter(String name) {
        Counter counter = context.getRegistry().findSingleByType(MeterRegistry.class).find(name)
                .tag("provider", "duitku").counter();
        return counter == null ? 0 : counter.count();
    }
}
