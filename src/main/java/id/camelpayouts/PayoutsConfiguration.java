package id.camelpayouts;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import com.zaxxer.hikari.HikariConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelConfiguration;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;

import id.camelpayouts.api.ApiKeyGuard;
import id.camelpayouts.duitku.DuitkuCallbacks;
import id.camelpayouts.durianpay.DurianpayClient;
import id.camelpayouts.durianpay.DurianpayNotifications;
import id.camelpayouts.durianpay.PemKeys;
import id.camelpayouts.duitku.DuitkuRequests;
import id.camelpayouts.duitku.DuitkuSignature;
import id.camelpayouts.files.PayoutFiles;
import id.camelpayouts.jms.EmbeddedBroker;
import id.camelpayouts.ledger.BatchLedger;
import id.camelpayouts.ledger.LedgerPolicy;
import id.camelpayouts.ledger.LedgerSchema;
import id.camelpayouts.ledger.PayoutLedger;
import id.camelpayouts.payout.InstructionParser;
import id.camelpayouts.payout.NameCheck;
import id.camelpayouts.payout.PayoutIntake;
import id.camelpayouts.rails.BankDirectory;
import id.camelpayouts.rails.BankIndonesiaSchedule;
import id.camelpayouts.rails.RailFacts;
import id.camelpayouts.outcomes.RetryBackoff;
import id.camelpayouts.outcomes.WebhookSignature;
import id.camelpayouts.twin.DuitkuTwin;
import id.camelpayouts.twin.DurianpayTwin;

/**
 * Builds the gateway's beans from configuration and binds them for the YAML routes. Everything
 * is created here exactly once (not in {@code @BindToRegistry} methods, which Camel Main may call
 * twice); things with a lifecycle (connection pool, twin) are Camel services of the context.
 */
public class PayoutsConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PayoutsConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        refuseDevelopmentSettingsInProduction(properties);
        Clock clock = context.getRegistry().findSingleByType(Clock.class) != null
                ? context.getRegistry().findSingleByType(Clock.class) : Clock.systemUTC();
        PayoutLedger ledger = ledger(context, properties, clock);
        bindInputsAndOutputs(context, properties, ledger, clock);
        connectJms(context, properties);
        if (Boolean.parseBoolean(value(properties, "payouts.twin.enabled", "true"))) {
            startTwinInsteadOfProviders(context, properties, clock);
        }
        bindProviders(context.getRegistry(), properties, clock);
        bindRails(context.getRegistry(), properties, clock);
    }

    private static void refuseDevelopmentSettingsInProduction(PropertiesComponent properties) {
        if ("prod".equals(value(properties, "payouts.profile", "dev"))) {
            List<String> problems = ProductionGuard.problems(key -> value(properties, key, ""));
            if (!problems.isEmpty()) {
                throw new IllegalStateException("refusing to start with payouts.profile=prod: "
                        + String.join("; ", problems));
            }
        }
    }

    /** The ledger on its database, with this instance's leases released (a restart resumes its work). */
    private static PayoutLedger ledger(CamelContext context, PropertiesComponent properties, Clock clock)
            throws Exception {
        HikariDataSource dataSource = dataSource(properties);
        context.addService(closing(dataSource));
        LedgerSchema.apply(dataSource);
        LedgerPolicy policy = policy(properties);
        long timeoutMillis = Long.parseLong(value(properties, "payouts.provider.timeout-ms", "30000"));
        if (policy.lease().toMillis() <= timeoutMillis) {
            throw new IllegalStateException("payouts.work.lease (" + policy.lease() + ") must be longer than"
                    + " payouts.provider.timeout-ms (" + timeoutMillis + " ms): a worker must hold a payout for"
                    + " as long as a provider call may take");
        }
        String instanceId = value(properties, "payouts.instance-id", "");
        if (instanceId.isBlank()) {
            instanceId = InetAddress.getLocalHost().getHostName();
        }
        boolean webhook = !value(properties, "payouts.webhook.url", "").isBlank();
        properties.addOverrideProperty("payouts.webhook.enabled", String.valueOf(webhook));
        PayoutLedger ledger = new PayoutLedger(dataSource, clock, policy, instanceId,
                webhook ? List.of("jms", "webhook") : List.of("jms"));
        int released = ledger.releaseOwnLeases();
        if (released > 0) {
            LOG.info("Instance {} restarted: resuming {} payouts it was working on", instanceId, released);
        }
        context.getRegistry().bind("payoutsDataSource", dataSource);
        context.getRegistry().bind("ledger", ledger);
        context.addStartupListener((started, alreadyStarted) -> publishLedgerGauges(started, ledger));
        return ledger;
    }

    /** Intake (API, files, JMS), the API key, file results and the outcome webhook. */
    private static void bindInputsAndOutputs(CamelContext context, PropertiesComponent properties,
            PayoutLedger ledger, Clock clock) {
        Registry registry = context.getRegistry();
        boolean webhook = Boolean.parseBoolean(value(properties, "payouts.webhook.enabled", "false"));
        registry.bind("intake", new PayoutIntake(new InstructionParser(), ledger, clock));
        registry.bind("nameCheck", new NameCheck());
        registry.bind("files", new PayoutFiles(new BatchLedger(ledger)));
        registry.bind("apiKey", new ApiKeyGuard(required(properties, "payouts.api-key")));
        registry.bind("webhookSignature", new WebhookSignature(webhook ? required(properties, "payouts.webhook.secret")
                : "webhook-disabled"));
        registry.bind("webhookBackoff", new RetryBackoff(Duration.ofSeconds(1),
                duration(value(properties, "payouts.webhook.max-backoff", "1m")), clock));
    }

    /** Duitku's and Durianpay's request builders and callback verifiers, at the configured (or twin) URLs. */
    private static void bindProviders(Registry registry, PropertiesComponent properties, Clock clock) {
        DuitkuSignature signature = new DuitkuSignature(required(properties, "duitku.email"),
                required(properties, "duitku.secret-key"));
        registry.bind("duitku", new DuitkuRequests(signature, Long.parseLong(required(properties, "duitku.user-id")),
                required(properties, "duitku.email"), Boolean.parseBoolean(value(properties, "duitku.sandbox", "true")),
                clock).at(required(properties, "duitku.base-url"), required(properties, "duitku.cashout-url"),
                        value(properties, "duitku.cashout-callback-url", "")));
        registry.bind("callbacks", new DuitkuCallbacks(signature));
        registry.bind("durianpay", new DurianpayClient(required(properties, "durianpay.client-key"),
                required(properties, "durianpay.client-secret"), required(properties, "durianpay.merchant-id"),
                PemKeys.privateKey(required(properties, "durianpay.private-key")),
                value(properties, "durianpay.grant-type", "client_credentials"), clock));
        registry.bind("durianpayNotifications", new DurianpayNotifications(
                PemKeys.publicKey(required(properties, "durianpay.public-key")),
                value(properties, "durianpay.notification-path-prefix", "")));
    }

    /** What rail selection reads: bank facts and Bank Indonesia's schedule (its clock replaceable in tests). */
    private static void bindRails(Registry registry, PropertiesComponent properties, Clock clock) {
        BankIndonesiaSchedule schedule = new BankIndonesiaSchedule(
                LocalTime.parse(value(properties, "payouts.rails.bi-opens", "08:00")),
                LocalTime.parse(value(properties, "payouts.rails.bi-closes", "15:00")),
                Arrays.stream(value(properties, "payouts.rails.holidays", "").split(",")).map(String::trim)
                        .filter(d -> !d.isEmpty()).map(LocalDate::parse).collect(Collectors.toSet()), clock);
        registry.bind("biSchedule", schedule);
        registry.bind("rails", new RailFacts.Finder(new BankDirectory(), schedule));
    }

    /**
     * The twin stands in for the providers: it serves the sandbox on a loopback port and the
     * provider base URLs point at it, whatever they were configured to.
     */
    private static void startTwinInsteadOfProviders(CamelContext context, PropertiesComponent properties,
            Clock clock) throws Exception {
        String host = "127.0.0.1";
        int port = Integer.parseInt(value(properties, "payouts.twin.port", "8089"));
        if (port == 0) {
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
        }
        DuitkuTwin twin = new DuitkuTwin(new DuitkuTwin.Settings(host, port,
                Long.parseLong(required(properties, "duitku.user-id")), required(properties, "duitku.email"),
                required(properties, "duitku.secret-key"), Long.parseLong(value(properties, "payouts.twin.balance",
                        "100000000000")), millis(properties, "payouts.twin.latency", "0ms"),
                millis(properties, "payouts.twin.slow-answer", "40s"),
                millis(properties, "payouts.twin.callback-delay", "2s")), clock);
        context.addService(twin, true, true);
        context.getRegistry().bind("duitkuTwin", twin);
        String configured = value(properties, "duitku.base-url", "");
        String twinUrl = "http://" + host + ":" + port + DuitkuTwin.BASE_PATH;
        if (!configured.isBlank() && !configured.equals(twinUrl) && !configured.contains("sandbox.duitku.com")) {
            LOG.warn("PAYOUTS_TWIN is on: Duitku calls go to the twin, not to {}", configured);
        }
        properties.addOverrideProperty("duitku.base-url", twinUrl);
        properties.addOverrideProperty("duitku.cashout-url", "http://" + host + ":" + port + DuitkuTwin.CASHOUT_PATH);
        properties.addOverrideProperty("duitku.sandbox", "true");
        DurianpayTwin durianpay = durianpayTwin(properties, host, clock);
        context.addService(durianpay, true, true);
        context.getRegistry().bind("durianpayTwin", durianpay);
        // The twin sends its callbacks to this gateway, once its HTTP server has a port.
        context.addStartupListener((started, alreadyStarted) -> started.hasServices(VertxPlatformHttpServer.class)
                .stream().filter(server -> server.getConfigurationPort() == Integer.parseInt(
                        value(properties, "camel.server.port", "8080")))
                .findFirst().ifPresent(server -> {
                    String gateway = "http://127.0.0.1:" + server.getServer().actualPort();
                    twin.callbacksTo(gateway);
                    durianpay.notifyTo(gateway + "/callbacks/durianpay/v1.0/transfer-bank/notify");
                }));
    }

    /**
     * The JMS component's broker: the embedded Artemis (journal under the data directory) unless
     * PAYOUTS_JMS_URL names an external one. Connections and sessions are cached for producers.
     */
    private static void connectJms(CamelContext context, PropertiesComponent properties) throws Exception {
        String url = value(properties, "payouts.jms.url", "");
        if (url.isBlank()) {
            Path journal = Path.of(value(properties, "payouts.data-dir", "./data")).resolve("broker");
            context.addService(new EmbeddedBroker(journal, value(properties, "payouts.jms.acceptor", ""),
                    value(properties, "payouts.jms.dead-letter-queue", "payouts.dead-letter"),
                    Integer.parseInt(value(properties, "payouts.jms.max-delivery-attempts", "10"))), true, true);
            url = EmbeddedBroker.IN_VM_URL;
        }
        ActiveMQConnectionFactory broker = new ActiveMQConnectionFactory(url,
                blankToNull(value(properties, "payouts.jms.user", "")),
                blankToNull(value(properties, "payouts.jms.password", "")));
        CachingConnectionFactory cached = new CachingConnectionFactory(broker);
        cached.setSessionCacheSize(Integer.parseInt(value(properties, "payouts.jms.concurrency", "4")) + 4);
        context.getComponent("jms", JmsComponent.class).setConnectionFactory(cached);
    }

    private static String blankToNull(String text) {
        return text.isBlank() ? null : text;
    }

    /** PENDING and review-flagged payouts on /observe/metrics (payouts_pending, payouts_review_required). */
    private static void publishLedgerGauges(CamelContext context, PayoutLedger ledger) {
        MeterRegistry meters = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (meters == null) {
            return; // metrics disabled
        }
        // The registry can outlive a context (an embedding host restarting it): replace, don't duplicate.
        meters.find("payouts.pending").meters().forEach(meters::remove);
        meters.find("payouts.review.required").meters().forEach(meters::remove);
        Gauge.builder("payouts.pending", ledger, l -> l.countWhere("status = 'PENDING'"))
                .description("payouts sent or being sent whose outcome is not final").register(meters);
        Gauge.builder("payouts.review.required", ledger,
                l -> l.countWhere("status = 'PENDING' AND review_required = TRUE"))
                .description("payouts PENDING past payouts.reconcile.review-after: need a person").register(meters);
    }

    /** The Durianpay twin, on its own loopback port; the gateway's Durianpay calls go to it. */
    private static DurianpayTwin durianpayTwin(PropertiesComponent properties, String host, Clock clock)
            throws IOException {
        int port = Integer.parseInt(value(properties, "payouts.twin.durianpay-port", "8090"));
        if (port == 0) {
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
        }
        DurianpayTwin twin = new DurianpayTwin(new DurianpayTwin.Settings(host, port,
                required(properties, "durianpay.client-key"), required(properties, "durianpay.client-secret"),
                required(properties, "durianpay.merchant-id"),
                PemKeys.publicKey("classpath:twin/dev-keys/merchant-public.pem"),
                PemKeys.privateKey("classpath:twin/dev-keys/durianpay-private.pem"),
                Long.parseLong(value(properties, "payouts.twin.balance", "100000000000")),
                millis(properties, "payouts.twin.callback-delay", "2s"), 900), clock);
        properties.addOverrideProperty("durianpay.base-url", "http://" + host + ":" + port);
        properties.addOverrideProperty("durianpay.private-key", "classpath:twin/dev-keys/merchant-private.pem");
        properties.addOverrideProperty("durianpay.public-key", "classpath:twin/dev-keys/durianpay-public.pem");
        return twin;
    }

    private static HikariDataSource dataSource(PropertiesComponent properties) throws IOException {
        String url = value(properties, "payouts.db.url", "");
        if (url.isBlank()) {
            Path dataDir = Path.of(value(properties, "payouts.data-dir", "./data"));
            Files.createDirectories(dataDir);
            // WRITE_DELAY=0: a commit is written before it returns. H2's default (a background write
            // every 500 ms) loses the last commits when the process is killed, and a lost transfer
            // claim would let a restarted gateway pay again.
            url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("ledger") + ";WRITE_DELAY=0";
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(value(properties, "payouts.db.user", ""));
        config.setPassword(value(properties, "payouts.db.password", ""));
        config.setMaximumPoolSize(Integer.parseInt(value(properties, "payouts.db.pool-size", "10")));
        config.setPoolName("payouts-ledger");
        return new HikariDataSource(config);
    }

    private static LedgerPolicy policy(PropertiesComponent properties) {
        List<Duration> backoff = Arrays.stream(value(properties, "payouts.inquiry.backoff", "2s,10s,30s").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(PayoutsConfiguration::duration).toList();
        return new LedgerPolicy(duration(value(properties, "payouts.work.resume-after", "2m")),
                duration(value(properties, "payouts.work.lease", "2m")), backoff,
                // Half an interval, so that every reconciler tick finds every PENDING transfer due.
                duration(value(properties, "payouts.reconcile.interval", "5s")).dividedBy(2),
                duration(value(properties, "payouts.reconcile.not-found-grace", "15m")),
                duration(value(properties, "payouts.reconcile.review-after", "24h")),
                duration(value(properties, "payouts.reconcile.callback-wait", "1m")));
    }

    private static ServiceSupport closing(HikariDataSource dataSource) {
        return new ServiceSupport() {
            @Override
            protected void doStop() {
                dataSource.close();
            }
        };
    }

    private static Duration duration(String text) {
        return Duration.ofMillis(TimeUtils.toMilliSeconds(text));
    }

    private static long millis(PropertiesComponent properties, String key, String fallback) {
        return duration(value(properties, key, fallback)).toMillis();
    }

    private static String value(PropertiesComponent properties, String key, String fallback) {
        return properties.resolveProperty(key).map(String::trim).orElse(fallback);
    }

    private static String required(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).map(String::trim).filter(s -> !s.isEmpty())
                .orElseThrow(() -> new IllegalStateException("missing configuration: " + key));
    }
}
