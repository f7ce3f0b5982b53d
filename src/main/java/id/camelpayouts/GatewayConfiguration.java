package id.camelpayouts;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.spi.Registry;
import org.springframework.jms.connection.CachingConnectionFactory;

import id.camelpayouts.api.ApiKeyGuard;
import id.camelpayouts.api.ApiKeys;
import id.camelpayouts.api.ConsoleAnswers;
import id.camelpayouts.console.ConsoleAssets;
import id.camelpayouts.duitku.CallbackJsonLabel;
import id.camelpayouts.console.SamplePayouts;
import id.camelpayouts.api.OperatorAnswers;
import id.camelpayouts.api.ReadAnswers;
import id.camelpayouts.api.ErrorAnswers;
import id.camelpayouts.api.CacheControl;
import id.camelpayouts.api.HttpServerLimits;
import id.camelpayouts.api.JsonRequests;
import id.camelpayouts.api.SubmitAnswers;
import id.camelpayouts.files.FileFunds;
import id.camelpayouts.files.InboxWatch;
import id.camelpayouts.files.PayoutFiles;
import id.camelpayouts.files.SettledFileReadLock;
import id.camelpayouts.files.WakeableSchedule;
import id.camelpayouts.health.HealthChecks;
import id.camelpayouts.jms.EmbeddedBroker;
import id.camelpayouts.jms.NoObjectMessages;
import id.camelpayouts.jms.NoReplyToOwnQueues;
import id.camelpayouts.jms.OneJmsTransactionPerRead;
import id.camelpayouts.ledger.BatchLedger;
import id.camelpayouts.ledger.OperatorActions;
import id.camelpayouts.ledger.PayoutLedger;
import id.camelpayouts.ledger.ProviderPauses;
import id.camelpayouts.ledger.PayoutQueries;
import id.camelpayouts.ledger.PayoutStats;
import id.camelpayouts.metrics.RouteTimers;
import id.camelpayouts.outcomes.WebhookPost;
import id.camelpayouts.outcomes.WebhookSignature;

/**
 * The standalone gateway: the engine ({@link PayoutsConfiguration}) plus what a gateway of its
 * own needs around it: an embedded ledger database and broker unless external ones are
 * configured, the JMS component, and the beans of its inputs and outputs (API key, file drop,
 * webhook) for the routes under routes/gateway. Its settings are in application.properties
 * (what it adds to, or changes from, the library's defaults).
 */
public class GatewayConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = Settings.withLibraryDefaults(context);
        refuseAcceptorNobodyCouldLogInTo(settings);
        refuseOutboxThatIsTheInbox(settings);
        refusePortsInUse(settings);
        twinCredentialsForProvidersNobodyConfigured(settings);
        embeddedLedgerUnlessConfigured(settings);
        outcomeChannels(settings);
        oneVertxForTheHttpServers(context, settings);
        routeTimersInsteadOfCamels(context, settings);
        HttpClientsWithoutCookies.on(context);
        JvmMeters.bindOnStart(context, Settings.split(settings.optional("payouts.metrics.jvm")));
        new PayoutsConfiguration().configure(context);
        connectJms(context, settings);
        Registry registry = context.getRegistry();
        registry.bind("payoutsApiKey", new ApiKeyGuard(ApiKeys.configured(settings.optional("payouts.api-key"),
                settings.optional("payouts.api-keys"), ProductionGuard.production(settings.text("payouts.profile")))));
        registry.bind("payoutsJsonRequests", new JsonRequests());
        registry.bind("payoutsSubmitAnswer", new SubmitAnswers());
        registry.bind("payoutsErrorAnswers", new ErrorAnswers());
        // The HTTP server's own 405 and 413 answers (before any route runs) as JSON, once it has started.
        context.addStartupListener((started, alreadyStarted) -> ErrorAnswers.installOn(started,
                settings.integer("camel.server.port"), settings.number("camel.server.max-body-size")));
        // ...Duitku's JSON callbacks read as JSON even when labelled as a form,
        context.addStartupListener((started, alreadyStarted) -> CallbackJsonLabel.installOn(
                started, settings.integer("camel.server.port")));
        // ...no answer of /api kept by a browser's cache or a proxy (personal data, cash-out PINs), the console revalidated
        context.addStartupListener((started, alreadyStarted) -> CacheControl.installOn(started,
                settings.integer("camel.server.port")));
        // ...and its time limits: idle connections and bodies that never end are closed
        context.addStartupListener((started, alreadyStarted) -> HttpServerLimits.installOn(started,
                settings.integer("camel.server.port"), settings.duration("payouts.http.idle-timeout"),
                settings.duration("payouts.http.request-timeout")));
        PayoutLedger ledger = registry.lookupByNameAndType("payoutsLedger", PayoutLedger.class);
        BatchLedger batches = new BatchLedger(ledger);
        PayoutFiles files = new PayoutFiles(batches, settings.duration("payouts.files.results-interval"),
                settings.number("payouts.files.max-rows"));
        ledger.whenFinal(files::payoutFinal);
        WakeableSchedule resultsSchedule = new WakeableSchedule();
        registry.bind("payoutsResultsSchedule", resultsSchedule);
        files.whenLastRowsFinal(resultsSchedule::wake);
        registry.bind("payoutsFileFunds", new FileFunds(batches, settings.text("payouts.default-provider")));
        registry.bind("payoutsFiles", files);
        registry.bind("payoutsResultsFailures", files.failures());
        outboxAsAnAbsolutePath(settings);
        // The inbox is polled every 100 ms and, where the file system tells of changes, at once.
        WakeableSchedule inboxSchedule = new WakeableSchedule();
        InboxWatch inboxWatch = new InboxWatch(Path.of(settings.text("payouts.inbox")), inboxSchedule);
        context.addService(inboxWatch);
        registry.bind("payoutsInboxSchedule", inboxSchedule);
        registry.bind("payoutsSettledFiles", new SettledFileReadLock(settings.duration("payouts.files.settle-time"),
                Duration.ofMillis(100)).wokenBy(inboxWatch));
        registry.bind("payoutsRecordRow", files.recordRowStep());
        registry.bind("payoutsReads", new ReadAnswers(new PayoutQueries(ledger), files,
                settings.number("payouts.files.max-rows")));
        registry.bind("payoutsOperations", new OperatorAnswers(
                registry.lookupByNameAndType("payoutsActions", OperatorActions.class),
                registry.lookupByNameAndType("payoutsProviders", ProviderPauses.class)));
        registry.bind("payoutsWebhookSignature", new WebhookSignature(settings.flag("payouts.webhook.enabled")
                ? settings.required("payouts.webhook.key") : "webhook-disabled"));
        // the webhook's POST, bounded in time whatever the receiver does (see WebhookPost)
        registry.bind("payoutsWebhookPost", new WebhookPost(settings.flag("payouts.webhook.enabled")
                ? settings.required("payouts.webhook.url") : "http://127.0.0.1/webhook-disabled",
                settings.duration("payouts.provider.connect-timeout"), settings.duration("payouts.webhook.timeout")));
        registry.bind("payoutsConsole", new ConsoleAssets());
        registry.bind("payoutsConsoleAnswers", new ConsoleAnswers(new PayoutStats(ledger), Clock.systemUTC()));
        samplesOnFirstStart(context, settings, ledger);
    }

    /**
     * The results writer's {@code file:} endpoint gets the outbox as an absolute path: with a
     * relative one of a single folder ({@code ./outbox}, the default) Camel builds the folder of the
     * temporary {@code .writing-} file relative to the outbox again, and an empty
     * {@code outbox/outbox/} appeared beside the results files.
     */
    private static void outboxAsAnAbsolutePath(Settings settings) {
        settings.set("payouts.outbox", Path.of(settings.text("payouts.outbox")).toAbsolutePath().normalize().toString());
    }

    /**
     * PAYOUTS_SAMPLES: on the first start (an empty ledger), with the twin on, the sample files are
     * dropped into the inbox once the gateway runs, so that the console has payouts to show.
     */
    private static void samplesOnFirstStart(CamelContext context, Settings settings, PayoutLedger ledger)
            throws Exception {
        String samples = settings.text("payouts.samples");
        if (samples.isEmpty() || !settings.flag("payouts.twin")) {
            return;
        }
        Path inbox = Path.of(settings.text("payouts.inbox"));
        context.addStartupListener((started, alreadyStarted) -> {
            if (!alreadyStarted) {
                SamplePayouts.dropOnFirstStart(Path.of(samples), inbox, ledger);
            }
        });
    }

    /**
     * A network acceptor of the embedded broker with neither producer nor consumer password would be
     * of use to nobody: refused in every profile, before anything is built (in prod the production
     * guard names it with every other problem).
     */
    private static void refuseAcceptorNobodyCouldLogInTo(Settings settings) {
        if (!ProductionGuard.production(settings.text("payouts.profile"))
                && ProductionGuard.acceptorWithoutUsers(settings::optional)) {
            throw new IllegalStateException(ProductionGuard.ACCEPTOR_WITHOUT_USERS);
        }
    }

    /**
     * An outbox that is the inbox (by any path) would have every results file read as a file of
     * payouts, and its results file again: refused in every profile, before anything is built.
     */
    private static void refuseOutboxThatIsTheInbox(Settings settings) throws IOException {
        Path inbox = Path.of(settings.text("payouts.inbox")).toAbsolutePath().normalize();
        Path outbox = Path.of(settings.text("payouts.outbox")).toAbsolutePath().normalize();
        if (inbox.equals(outbox) || Files.isDirectory(inbox) && Files.isDirectory(outbox)
                && Files.isSameFile(inbox, outbox)) {
            throw new IllegalStateException("PAYOUTS_OUTBOX is the inbox (PAYOUTS_INBOX): its results files would be"
                    + " read as payout files; give each its own folder");
        }
    }

    /**
     * Out of the box the gateway pays through the twin with development credentials: with the twin
     * on, a provider none of whose credentials are set gets the twin's (Duitku's documented sandbox
     * merchant, Durianpay's development client). With the twin off, only the providers whose
     * credentials are set are used.
     */
    private static void twinCredentialsForProvidersNobodyConfigured(Settings settings) {
        if (!settings.flag("payouts.twin")) {
            return;
        }
        Map<String, Map<String, String>> development = new LinkedHashMap<>();
        development.put(Providers.DUITKU, Map.of("duitku.user-id", "3551", "duitku.email", "merchant@example.com",
                "duitku.secret-key", ProductionGuard.DUITKU_SANDBOX_SECRET));
        development.put(Providers.DURIANPAY, Map.of("durianpay.client-key", "dev-client-key",
                "durianpay.client-secret", "dev-client-secret", "durianpay.merchant-id", "dev-merchant",
                "durianpay.private-key", "classpath:twin/dev-keys/merchant-private.pem",
                "durianpay.public-key", "classpath:twin/dev-keys/durianpay-public.pem"));
        development.forEach((provider, credentials) -> {
            if (Providers.CREDENTIALS.get(provider).stream().noneMatch(settings::isSet)) {
                credentials.forEach(settings::set);
            }
        });
    }

    /**
     * The API's and the management port's: another process listening on one is refused before
     * anything starts. Camel's Vert.x server only logs a failed bind, and health would say UP for a
     * gateway whose API and callbacks are another process's. The probe reuses the address as Vert.x
     * does, so a port left in TIME_WAIT by a gateway just stopped is not refused.
     */
    private static void refusePortsInUse(Settings settings) {
        for (String server : List.of("camel.server", "camel.management")) {
            String port = settings.optional(server + ".port");
            if (!Boolean.parseBoolean(settings.optional(server + ".enabled")) || port.isBlank() || "0".equals(port)) {
                continue;
            }
            String host = settings.optional(server + ".host");
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(host.isBlank() ? "0.0.0.0" : host, Integer.parseInt(port)));
            } catch (IOException inUse) {
                throw new IllegalStateException("port " + port + " (" + server + ".port) is in use by another"
                        + " process, or cannot be bound on " + host + ": " + inUse.getMessage() + "; choose another with "
                        + ("camel.server".equals(server) ? "PAYOUTS_HTTP_PORT" : "PAYOUTS_MANAGEMENT_PORT"));
            }
        }
    }

    /** Without payouts.db.url, the ledger is an H2 database under payouts.data-dir. */
    private static void embeddedLedgerUnlessConfigured(Settings settings) throws Exception {
        if (settings.text("payouts.db.url").isEmpty()) {
            Path dataDir = Path.of(settings.text("payouts.data-dir"));
            Files.createDirectories(dataDir);
            // H2's own background writer (every 500 ms) takes the writes a crash may lose; the ones
            // that must not be lost (a transfer's claim above all: lost, a restarted gateway would
            // pay again) are written before the ledger returns, in flushes shared by the workers
            // (ledger.DurableDataSource). QUERY_CACHE_SIZE: each pooled connection keeps the ledger's
            // few dozen statements parsed (H2 keeps 8 by default: parsing them again and again took a
            // fifth of a worker's CPU, and the cache cut the ledger's CPU per payout by about 40%).
            settings.set("payouts.db.url", "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("ledger")
                    + ";QUERY_CACHE_SIZE=100");
        }
    }

    /**
     * Camel's route metrics, made by {@link RouteTimers} when Camel's own route policy is off
     * (application.properties): the same meters, without Camel's String.format per exchange and route.
     */
    private static void routeTimersInsteadOfCamels(CamelContext context, Settings settings) {
        if (Boolean.parseBoolean(settings.optional("camel.metrics.enabled"))
                && "false".equals(settings.optional("camel.metrics.enable-route-policy"))) {
            context.addRoutePolicyFactory(new RouteTimers());
        }
    }

    /** The API's and the management port's servers (and the twins) on one Vert.x, not one each. */
    private static void oneVertxForTheHttpServers(CamelContext context, Settings settings) {
        if (Boolean.parseBoolean(settings.optional("camel.server.enabled"))
                || Boolean.parseBoolean(settings.optional("camel.management.enabled")) || settings.flag("payouts.twin")) {
            SharedVertx.of(context);
        }
    }

    /**
     * A configured webhook URL adds the "webhook" outcome channel and starts its route; the outcomes
     * queue's route runs only while "jms" is a channel (a merchant who takes outcomes by webhook
     * alone leaves it out, so that no queue nobody reads fills the broker's data directory).
     */
    private static void outcomeChannels(Settings settings) {
        boolean webhook = settings.isSet("payouts.webhook.url");
        settings.set("payouts.webhook.enabled", String.valueOf(webhook));
        List<String> channels = new ArrayList<>(settings.list("payouts.outcomes.channels"));
        if (webhook && !channels.contains("webhook")) {
            channels.add("webhook");
        }
        settings.set("payouts.jms.outcomes-enabled", String.valueOf(channels.contains("jms")));
        settings.set("payouts.outcomes.channels", String.join(",", channels));
    }

    /**
     * The JMS component's broker: the embedded Artemis (journal under the data directory) unless
     * PAYOUTS_JMS_URL names an external one. The embedded broker always asks for a login: the
     * gateway's own user has a random password, the producer's and consumer's are configured (a
     * network acceptor nobody could log in to is refused). Connections and sessions are cached for
     * producers. No ObjectMessage is ever deserialized: the converter does not read them, and the
     * connection factory's deny list would refuse them anyway. Readiness includes the broker. The
     * embedded broker starts now (once the engine's checks passed: a refused start starts nothing),
     * beside the building of the routes; the context's start waits for it.
     */
    private static void connectJms(CamelContext context, Settings settings) throws Exception {
        String url = settings.text("payouts.jms.url");
        String user = settings.text("payouts.jms.user");
        String password = settings.text("payouts.jms.password");
        if (url.isEmpty()) {
            EmbeddedBroker.User gateway = EmbeddedBroker.User.withRandomPassword(EmbeddedBroker.GATEWAY_ROLE);
            Path journal = Path.of(settings.text("payouts.data-dir")).resolve("broker");
            EmbeddedBroker embedded = new EmbeddedBroker(journal, settings.text("payouts.jms.acceptor"),
                    new EmbeddedBroker.Queues(settings.text("payouts.jms.requests-queue"),
                            settings.text("payouts.jms.outcomes-queue"), settings.text("payouts.jms.dead-letter-queue")),
                    settings.integer("payouts.jms.max-delivery-attempts"),
                    new EmbeddedBroker.Users(gateway, new EmbeddedBroker.User(settings.text("payouts.jms.producer-user"),
                            settings.text("payouts.jms.producer-password")), new EmbeddedBroker.User(
                                    settings.text("payouts.jms.consumer-user"),
                                    settings.text("payouts.jms.consumer-password"))));
            context.addService(embedded, true, true);
            embedded.startInBackground();
            url = EmbeddedBroker.IN_VM_URL;
            user = gateway.name();
            password = gateway.password();
        }
        ActiveMQConnectionFactory broker = new ActiveMQConnectionFactory(url, blankToNull(user), blankToNull(password));
        broker.setDeserializationDenyList("*");
        CachingConnectionFactory cached = new CachingConnectionFactory(broker);
        cached.setSessionCacheSize(settings.integer("payouts.jms.concurrency") + 4);
        JmsComponent jms = context.getComponent("jms", JmsComponent.class);
        jms.setConnectionFactory(cached);
        jms.getConfiguration().setMessageConverter(new NoObjectMessages());
        context.getRegistry().bind("payoutsOneJmsTransactionPerRead", new OneJmsTransactionPerRead(cached));
        context.addRoutePolicyFactory(new NoReplyToOwnQueues("jms-payout-requests", Set.of(
                settings.text("payouts.jms.requests-queue"), settings.text("payouts.jms.outcomes-queue"),
                settings.text("payouts.jms.dead-letter-queue"))));
        if (HealthChecks.available()) {
            HealthChecks.broker(context, broker);
        }
    }

    private static String blankToNull(String text) {
        return text.isBlank() ? null : text;
    }
}
