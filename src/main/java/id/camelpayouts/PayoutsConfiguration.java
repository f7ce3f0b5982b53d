package id.camelpayouts;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.MaskingFormatter;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import id.camelpayouts.duitku.DuitkuCallbacks;
import id.camelpayouts.durianpay.DurianpayClient;
import id.camelpayouts.durianpay.DurianpayNotifications;
import id.camelpayouts.durianpay.PemKeys;
import id.camelpayouts.duitku.DuitkuRequests;
import id.camelpayouts.duitku.DuitkuSignature;
import id.camelpayouts.input.LogLineGuard;
import id.camelpayouts.ledger.LedgerPolicy;
import id.camelpayouts.ledger.LedgerSchema;
import id.camelpayouts.ledger.PayoutLedger;
import id.camelpayouts.metrics.PayoutMetrics;
import id.camelpayouts.payout.InstructionParser;
import id.camelpayouts.payout.NameCheck;
import id.camelpayouts.payout.PayoutIntake;
import id.camelpayouts.payout.ResponseCodeTable;
import id.camelpayouts.rails.BankDirectory;
import id.camelpayouts.rails.BankIndonesiaSchedule;
import id.camelpayouts.rails.RailRules;
import id.camelpayouts.outcomes.DeliveryBackoff;
import id.camelpayouts.twin.DuitkuTwin;
import id.camelpayouts.twin.DurianpayTwin;
import id.camelpayouts.twin.TwinHost;

/**
 * The payout engine, for any Camel application (the library's entry point; the standalone
 * gateway is {@link GatewayConfiguration} on top of it). Builds the engine's beans from the
 * {@code payouts.*}, {@code duitku.*} and {@code durianpay.*} properties, binds them for the
 * routes, and loads the engine's routes and the blocks (route templates) from
 * {@code payouts.routes}. It starts nothing the host did not ask for: no HTTP server, no broker,
 * no database server; the provider twin only with {@code payouts.twin.enabled=true}. The ledger
 * is on the host's {@code DataSource} bound as {@code payoutsDataSource}, or on
 * {@code payouts.db.url}.
 *
 * <p>Everything is created here exactly once (not in {@code @BindToRegistry} methods, which Camel
 * Main may call twice); things with a lifecycle (connection pool, twin) are Camel services.
 */
public class PayoutsConfiguration implements CamelConfiguration {

    /** The name under which a host binds its own ledger {@code DataSource}. */
    public static final String DATA_SOURCE = "payoutsDataSource";
    /** Where the engine's routes and the blocks are, in this jar. */
    static final String LIBRARY_ROUTES = "classpath:camel-payouts/blocks/*.camel.yaml,classpath:camel-payouts/engine/*.camel.yaml";

    private static final Logger LOG = LoggerFactory.getLogger(PayoutsConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        useLibraryDefaults(properties);
        refuseDevelopmentSettingsInProduction(properties);
        Clock clock = context.getRegistry().findSingleByType(Clock.class) != null
                ? context.getRegistry().findSingleByType(Clock.class) : Clock.systemUTC();
        PayoutLedger ledger = ledger(context, properties, clock);
        PayoutMetrics.bind(context, ledger);
        bindIntakeAndOutcomes(context.getRegistry(), properties, ledger, clock);
        if (Boolean.parseBoolean(value(properties, "payouts.twin.enabled", "false"))) {
            startTwinInsteadOfProviders(context, properties, clock);
        }
        bindProviders(context.getRegistry(), properties, clock);
        bindResponseCodes(context, properties, "durianpay");
        bindResponseCodes(context, properties, "duitku");
        boundProviderCalls(context, properties);
        bindRails(context.getRegistry(), properties, clock);
        loadRoutes(context, value(properties, "payouts.routes", LIBRARY_ROUTES));
    }

    /**
     * The defaults of camel-payouts/defaults.properties for every key the host did not set (the
     * routes read them as placeholders, so a host need only set what it changes).
     */
    private static void useLibraryDefaults(PropertiesComponent properties) throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = PayoutsConfiguration.class.getResourceAsStream("/camel-payouts/defaults.properties")) {
            defaults.load(in);
        }
        for (String key : defaults.stringPropertyNames()) {
            if (properties.resolveProperty(key).isEmpty()) {
                properties.addOverrideProperty(key, defaults.getProperty(key));
            }
        }
    }

    /** The engine's routes and the blocks, from the jar or (the gateway) from files the user edits. */
    private static void loadRoutes(CamelContext context, String locations) throws Exception {
        List<Resource> routes = new ArrayList<>();
        for (String location : locations.split(",")) {
            routes.addAll(PluginHelper.getPackageScanResourceResolver(context).findResources(location.trim()));
        }
        if (routes.isEmpty()) {
            throw new IllegalStateException("no payout routes at payouts.routes=" + locations);
        }
        PluginHelper.getRoutesLoader(context).loadRoutes(routes);
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
        DataSource dataSource = context.getRegistry().lookupByNameAndType(DATA_SOURCE, DataSource.class);
        if (dataSource == null) {
            HikariDataSource pool = dataSource(properties);
            context.addService(closing(pool));
            context.getRegistry().bind(DATA_SOURCE, pool);
            dataSource = pool;
        }
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
        PayoutLedger ledger = new PayoutLedger(dataSource, clock, policy, instanceId,
                list(value(properties, "payouts.outcomes.channels", "")));
        int released = ledger.releaseOwnLeases();
        if (released > 0) {
            LOG.info("Instance {} restarted: resuming {} payouts it was working on", instanceId, released);
        }
        context.getRegistry().bind("payoutsLedger", ledger);
        context.addStartupListener((started, alreadyStarted) -> publishLedgerGauges(started, ledger));
        return ledger;
    }

    /** What the blocks use: the intake of instructions and the outcome channels' backoff. */
    private static void bindIntakeAndOutcomes(Registry registry, PropertiesComponent properties,
            PayoutLedger ledger, Clock clock) {
        registry.bind("payoutsIntake", new PayoutIntake(new InstructionParser(Long.parseLong(value(properties,
                "payouts.amount.min", String.valueOf(InstructionParser.DEFAULT_MIN_AMOUNT)))), ledger, clock));
        // The routes' log lines (camel.main.log-mask) go through a masking formatter that costs one
        // pass per line, whatever a line holds; a host's own formatter is kept.
        if (registry.lookupByName(MaskingFormatter.CUSTOM_LOG_MASK_REF) == null) {
            registry.bind(MaskingFormatter.CUSTOM_LOG_MASK_REF, new LogLineGuard());
        }
        registry.bind("payoutsNameCheck", new NameCheck());
        registry.bind("payoutsDeliveryBackoff", new DeliveryBackoff(Duration.ofSeconds(1),
                duration(value(properties, "payouts.outcomes.max-backoff", "1m")), clock));
    }

    /** Duitku's and Durianpay's request builders and callback verifiers, at the configured (or twin) URLs. */
    private static void bindProviders(Registry registry, PropertiesComponent properties, Clock clock) {
        DuitkuSignature signature = new DuitkuSignature(required(properties, "duitku.email"),
                required(properties, "duitku.secret-key"));
        registry.bind("payoutsDuitku", new DuitkuRequests(signature, Long.parseLong(required(properties, "duitku.user-id")),
                required(properties, "duitku.email"), Boolean.parseBoolean(value(properties, "duitku.sandbox", "true")),
                clock).at(required(properties, "duitku.base-url"), required(properties, "duitku.cashout-url"),
                        value(properties, "duitku.cashout-callback-url", "")));
        registry.bind("payoutsDuitkuCallbacks", new DuitkuCallbacks(signature, Long.parseLong(required(properties, "duitku.user-id"))));
        registry.bind("payoutsDurianpay", new DurianpayClient(required(properties, "durianpay.client-key"),
                required(properties, "durianpay.client-secret"), required(properties, "durianpay.merchant-id"),
                PemKeys.privateKey(required(properties, "durianpay.private-key")),
                value(properties, "durianpay.grant-type", "client_credentials"), clock));
        registry.bind("payoutsDurianpayNotifications", new DurianpayNotifications(
                PemKeys.publicKey(required(properties, "durianpay.public-key")),
                value(properties, "durianpay.notification-path-prefix", ""), clock,
                duration(value(properties, "durianpay.notification-max-age", "5m"))));
    }

    /**
     * A provider's response-code table ({@code <provider>-response-codes.csv} under
     * payouts.response-codes), bound as {@code <provider>Codes} for the routes. A host reads the
     * jar's copy; the gateway reads routes/codes/, so an engineer's edit takes effect at the next
     * start without a rebuild.
     */
    static ResponseCodeTable bindResponseCodes(CamelContext context, PropertiesComponent properties, String provider)
            throws IOException {
        String location = value(properties, "payouts.response-codes", "classpath:camel-payouts/codes") + "/" + provider
                + "-response-codes.csv";
        ResponseCodeTable table = ResponseCodeTable.load(context, provider, location);
        context.getRegistry().bind("payouts" + Character.toUpperCase(provider.charAt(0)) + provider.substring(1) + "Codes", table);
        return table;
    }

    /**
     * Every provider call is bounded by payouts.provider.timeout-ms (checked against the lease
     * above). Set on both the http and the https component: they are configured separately, and
     * the real providers are https.
     */
    private static void boundProviderCalls(CamelContext context, PropertiesComponent properties) {
        int answer = Integer.parseInt(value(properties, "payouts.provider.timeout-ms", "30000"));
        for (String scheme : List.of("http", "https")) {
            HttpComponent http = context.getComponent(scheme, HttpComponent.class);
            http.setConnectTimeout(millis(properties, "payouts.provider.connect-timeout", "5s"));
            http.setConnectionRequestTimeout(millis(properties, "payouts.provider.connection-wait", "10s"));
            http.setResponseTimeout(answer);
            http.setSoTimeout(answer);
            http.setConnectionsPerRoute(Integer.parseInt(value(properties, "payouts.provider.connections", "64")));
            http.setMaxTotalConnections(4 * http.getConnectionsPerRoute());
        }
    }

    /** What rail selection asks: the rails' rules and Bank Indonesia's schedule (its clock replaceable in tests). */
    private static void bindRails(Registry registry, PropertiesComponent properties, Clock clock) {
        BankIndonesiaSchedule schedule = new BankIndonesiaSchedule(
                LocalTime.parse(value(properties, "payouts.rails.bi-opens", "08:00")),
                LocalTime.parse(value(properties, "payouts.rails.bi-closes", "15:00")),
                Arrays.stream(value(properties, "payouts.rails.holidays", "").split(",")).map(String::trim)
                        .filter(d -> !d.isEmpty()).map(LocalDate::parse).collect(Collectors.toSet()), clock);
        registry.bind("payoutsBiSchedule", schedule);
        registry.bind("payoutsRails", new RailRules(new BankDirectory(), new RailRules.Limits(
                Long.parseLong(required(properties, "payouts.rails.bifast-max")),
                Long.parseLong(required(properties, "payouts.rails.rtgs-min")),
                Long.parseLong(required(properties, "payouts.rails.llg-max")))));
    }

    /**
     * The twin stands in for the providers: it serves the sandbox on a loopback port and the
     * provider base URLs point at it, whatever they were configured to.
     */
    private static void startTwinInsteadOfProviders(CamelContext context, PropertiesComponent properties,
            Clock clock) throws Exception {
        TwinHost.requireVertx(context);
        String host = "127.0.0.1";
        int port = twinPort(properties, "payouts.twin.port", "8089");
        DuitkuTwin twin = new DuitkuTwin(new DuitkuTwin.Settings(host, port,
                Long.parseLong(required(properties, "duitku.user-id")), required(properties, "duitku.email"),
                required(properties, "duitku.secret-key"), Long.parseLong(value(properties, "payouts.twin.balance",
                        "100000000000")), millis(properties, "payouts.twin.latency", "0ms"),
                millis(properties, "payouts.twin.slow-answer", "40s"),
                millis(properties, "payouts.twin.callback-delay", "2s")), clock);
        context.addService(twin, true, true);
        context.getRegistry().bind("payoutsDuitkuTwin", twin);
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
        context.getRegistry().bind("payoutsDurianpayTwin", durianpay);
        // The twin sends its callbacks to this gateway, once its HTTP server has a port.
        context.addStartupListener((started, alreadyStarted) -> TwinHost.sendCallbacksTo(started,
                Integer.parseInt(value(properties, "camel.server.port", "8080")),
                twin, value(properties, "payouts.twin.duitku-callbacks", "/callbacks/duitku"),
                durianpay, value(properties, "payouts.twin.durianpay-notifications",
                        "/callbacks/durianpay/v1.0/transfer-bank/notify")));
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

    /** The configured twin port; 0 means any free one (known before the twin starts, for the provider URLs). */
    private static int twinPort(PropertiesComponent properties, String key, String fallback) throws IOException {
        int port = Integer.parseInt(value(properties, key, fallback));
        if (port != 0) {
            return port;
        }
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    /** The Durianpay twin, on its own loopback port; the gateway's Durianpay calls go to it. */
    private static DurianpayTwin durianpayTwin(PropertiesComponent properties, String host, Clock clock)
            throws IOException {
        int port = twinPort(properties, "payouts.twin.durianpay-port", "8090");
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
            throw new IllegalStateException("no ledger database: set payouts.db.url or bind a DataSource named "
                    + DATA_SOURCE);
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

    static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static Duration duration(String text) {
        return Duration.ofMillis(TimeUtils.toMilliSeconds(text));
    }

    private static long millis(PropertiesComponent properties, String key, String fallback) {
        return duration(value(properties, key, fallback)).toMillis();
    }

    static String value(PropertiesComponent properties, String key, String fallback) {
        return properties.resolveProperty(key).map(String::trim).orElse(fallback);
    }

    static String required(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).map(String::trim).filter(s -> !s.isEmpty())
                .orElseThrow(() -> new IllegalStateException("missing configuration: " + key));
    }
}
