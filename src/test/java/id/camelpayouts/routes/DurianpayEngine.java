package id.camelpayouts.routes;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.support.DefaultExchange;

import id.camelpayouts.PayoutsConfiguration;
import id.camelpayouts.durianpay.DurianpayNotifications.Notification;
import id.camelpayouts.ledger.Payout;
import id.camelpayouts.ledger.PayoutLedger;
import id.camelpayouts.payout.InstructionParser;
import id.camelpayouts.payout.ResponseCodeTable;

/**
 * The engine's Durianpay routes (routes/engine/*durianpay-*.camel.yaml, the code table in routes/codes/)
 * as the library configures them, on an in-memory ledger, with Durianpay replaced: the HTTP call
 * in durianpay-call-send and durianpay-call-access-token answer what the exchange's {@code canned} variable
 * holds, and every request is kept in its {@code sent} variable. No twin, no HTTP: milliseconds a
 * payout.
 */
final class DurianpayEngine implements AutoCloseable {

    static final String TRANSFER = "/v1.0/transfer-interbank";
    static final String INQUIRY = "/v1.0/account-inquiry-external";
    static final String STATUS = "/v1.0/transfer/status";
    private static final AtomicInteger CONTEXTS = new AtomicInteger();
    private static final AtomicInteger REFERENCES = new AtomicInteger();

    /** One canned answer to a call to {@code path}; status 0: no answer (a read timeout). */
    record Canned(String path, int status, String body) {
        static Canned lost(String path) {
            return new Canned(path, 0, null);
        }

        /** A SNAP answer: {"responseCode": code, "responseMessage": message} and more fields (JSON, may be empty). */
        static Canned snap(String path, int status, String code, String message, String more) {
            return new Canned(path, status, "{\"responseCode\":\"" + code + "\",\"responseMessage\":\"" + message + "\""
                    + (more == null || more.isEmpty() ? "" : "," + more) + "}");
        }
    }

    final CamelContext context;
    final PayoutLedger ledger;
    final ResponseCodeTable codes;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ProducerTemplate producer;
    private final InstructionParser parser = new InstructionParser();

    DurianpayEngine() throws Exception {
        context = new DefaultCamelContext();
        Properties settings = new Properties();
        settings.put("payouts.db.url", "jdbc:h2:mem:durianpay-routes-" + CONTEXTS.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        settings.put("payouts.routes", "file:routes/engine/*durianpay-*.camel.yaml,file:routes/engine/apply-failure-claim.camel.yaml,"
                + "file:routes/engine/insufficient-funds.camel.yaml");
        settings.put("payouts.response-codes", "file:routes/codes");
        settings.put("payouts.instance-id", "route-test");
        settings.put("payouts.reconcile.not-found-grace", "0s");
        settings.put("durianpay.base-url", "http://durianpay.invalid");
        settings.put("durianpay.client-key", "route-test-client");
        settings.put("durianpay.client-secret", "route-test-secret");
        settings.put("durianpay.merchant-id", "route-test-merchant");
        settings.put("durianpay.private-key", "classpath:twin/dev-keys/merchant-private.pem");
        settings.put("durianpay.public-key", "classpath:twin/dev-keys/durianpay-public.pem");
        settings.put("duitku.user-id", "1");
        settings.put("duitku.email", "route-test@example.com");
        settings.put("duitku.secret-key", "route-test-secret");
        context.getPropertiesComponent().setInitialProperties(settings);
        context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        new PayoutsConfiguration().configure(context);
        AdviceWith.adviceWith(context, "durianpay-call-send", route -> route.weaveByType(ToDynamicDefinition.class)
                .replace().process(DurianpayEngine::answer));
        AdviceWith.adviceWith(context, "durianpay-call-access-token", route -> route.weaveByType(ToDefinition.class)
                .replace().setBody().constant("{\"responseCode\":\"2007300\",\"accessToken\":\"route-test-token\","
                        + "\"expiresIn\":\"900\"}"));
        context.start();
        ledger = context.getRegistry().lookupByNameAndType("payoutsLedger", PayoutLedger.class);
        codes = context.getRegistry().lookupByNameAndType("payoutsDurianpayCodes", ResponseCodeTable.class);
        producer = context.createProducerTemplate();
    }

    /** A new Durianpay payout in the ledger, leased as a worker would hold it. */
    Payout newPayout(String label, String account, long amount) {
        return newPayout(label, "durianpay", account, amount);
    }

    Payout newPayout(String label, String provider, String account, long amount) {
        String reference = label + "-" + REFERENCES.incrementAndGet();
        InstructionParser.Parsed parsed = parser.parse(Map.of("reference", reference, "provider", provider,
                "bankCode", "014", "accountNumber", account, "amount", amount));
        ledger.submit(parsed.instruction());
        return ledger.claim(reference);
    }

    /** Runs {@code payout} through {@code endpoint} with these answers; returns the requests sent. */
    List<String> run(String endpoint, Payout payout, Canned... answers) {
        return run(endpoint, payout, Map.of(), answers);
    }

    /**
     * As above; {@code meanwhile} holds, by path, what happens while the call to that path waits for
     * its answer (e.g. Durianpay's notification arriving first), once.
     */
    List<String> run(String endpoint, Payout payout, Map<String, Runnable> meanwhile, Canned... answers) {
        Exchange exchange = exchange(answers);
        exchange.setVariable("meanwhile", new java.util.HashMap<>(meanwhile));
        exchange.setVariable("payout", payout);
        Exchange done = producer.send(endpoint, exchange);
        if (done.getException() != null) {
            throw new AssertionError("the route failed", done.getException());
        }
        return sent(done);
    }

    /** A verified notification applied as the notification block hands it on; the exchange holds Durianpay's answer. */
    Exchange notify(Map<String, Object> fields, Canned... answers) {
        Exchange exchange = exchange(answers);
        exchange.setVariable("notification", new Notification(fields, true, null));
        Exchange done = producer.send("direct:apply-durianpay-notification", exchange);
        if (done.getException() != null) {
            throw new AssertionError("the route failed", done.getException());
        }
        return done;
    }

    /** A payout Durianpay accepted (2021800, referenceNo dis_item_...): PENDING, waiting for its notification. */
    Payout acceptedTransfer(String label, String account, long amount) {
        Payout payout = newPayout(label, account, amount);
        run("direct:durianpay-transfer", payout, inquiryAnswer(account), Canned.snap(TRANSFER, 202, "2021800",
                "Request In Progress", "\"referenceNo\":\"dis_item_" + payout.getReference() + "\""));
        return ledger.find(payout.getReference());
    }

    /**
     * The balance the gateway asks after 403xx14: one that covers the payout (the refusal was not
     * for this balance) lets the payout fail as any refusal does.
     */
    static Canned balanceCoversIt() {
        return Canned.snap("/v1.0/balance-inquiry", 200, "2001100", "Successful", "\"accountInfos\":[{\"balanceType\":"
                + "\"Cash\",\"availableBalance\":{\"value\":\"1000000000000.00\",\"currency\":\"IDR\"}}]");
    }

    static Canned inquiryAnswer(String account) {
        return Canned.snap(INQUIRY, 200, "2001600", "Successful", "\"referenceNo\":\"inq_1\",\"beneficiaryAccountNo\":\""
                + account + "\",\"beneficiaryBankCode\":\"014\",\"beneficiaryAccountName\":\"Durian Test\"");
    }

    /** Calls to Durianpay counted for an operation and outcome (payouts_provider_call_seconds_count). */
    double calls(String operation, String outcome) {
        io.micrometer.core.instrument.Timer timer = meters.find("payouts.provider.call").tag("provider", "durianpay")
                .tag("operation", operation).tag("outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    double counter(String name, String provider) {
        Counter counter = meters.find(name).tag("provider", provider).counter();
        return counter == null ? 0 : counter.count();
    }

    @SuppressWarnings("unchecked")
    static List<String> sent(Exchange exchange) {
        return exchange.getVariable("sent", List.class);
    }

    private Exchange exchange(Canned... answers) {
        Exchange exchange = new DefaultExchange(context);
        exchange.setVariable("canned", new LinkedList<>(List.of(answers)));
        exchange.setVariable("sent", new ArrayList<String>());
        return exchange;
    }

    /**
     * Durianpay's answer to the request in the exchange: the first canned answer for its path (the
     * last one for a path answers every later call too). A call nobody canned an answer for is a
     * mistake in the test.
     */
    @SuppressWarnings("unchecked")
    private static void answer(Exchange exchange) throws IOException {
        String path = exchange.getVariable("durianpayPath", String.class);
        exchange.getVariable("sent", List.class).add(path + " " + exchange.getMessage().getBody(String.class));
        Map<String, Runnable> meanwhile = exchange.getVariable("meanwhile", Map.class);
        Runnable happening = meanwhile == null ? null : meanwhile.remove(path);
        if (happening != null) {
            happening.run();
        }
        LinkedList<Canned> canned = exchange.getVariable("canned", LinkedList.class);
        Canned next = null;
        int left = 0;
        for (Iterator<Canned> it = canned.iterator(); it.hasNext();) {
            Canned candidate = it.next();
            if (candidate.path().equals(path)) {
                left++;
                if (next == null) {
                    next = candidate;
                }
            }
        }
        if (next == null) {
            throw new AssertionError("no canned answer for " + path);
        }
        if (left > 1) {
            canned.remove(next);
        }
        if (next.status() == 0) {
            throw new SocketTimeoutException("Read timed out (canned: no answer)");
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, next.status());
        exchange.getMessage().setBody(next.body() == null ? "" : next.body());
    }

    @Override
    public void close() {
        context.stop();
    }
}
