package id.camelpayouts;

import static id.camelpayouts.PayoutsConfiguration.list;
import static id.camelpayouts.PayoutsConfiguration.required;
import static id.camelpayouts.PayoutsConfiguration.value;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.springframework.jms.connection.CachingConnectionFactory;

import id.camelpayouts.api.ApiKeyGuard;
import id.camelpayouts.api.ApiKeys;
import id.camelpayouts.api.ReadAnswers;
import id.camelpayouts.api.ErrorAnswers;
import id.camelpayouts.api.JsonRequests;
import id.camelpayouts.files.PayoutFiles;
import id.camelpayouts.jms.EmbeddedBroker;
import id.camelpayouts.jms.NoObjectMessages;
import id.camelpayouts.ledger.BatchLedger;
import id.camelpayouts.ledger.PayoutLedger;
import id.camelpayouts.ledger.PayoutQueries;
import id.camelpayouts.outcomes.WebhookSignature;

/**
 * The standalone gateway: the engine ({@link PayoutsConfiguration}) plus what a gateway of its
 * own needs around it: an embedded ledger database and broker unless external ones are
 * configured, the JMS component, and the beans of its inputs and outputs (API key, file drop,
 * webhook) for the routes under routes/gateway.
 */
public class GatewayConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        refuseAcceptorNobodyCouldLogInTo(properties);
        embeddedLedgerUnlessConfigured(properties);
        webhookChannelWhenConfigured(properties);
        new PayoutsConfiguration().configure(context);
        connectJms(context, properties);
        Registry registry = context.getRegistry();
        registry.bind("payoutsApiKey", new ApiKeyGuard(ApiKeys.configured(value(properties, "payouts.api-key", ""),
                value(properties, "payouts.api-keys", ""), "prod".equals(value(properties, "payouts.profile", "dev")))));
        registry.bind("payoutsJsonRequests", new JsonRequests());
        registry.bind("payoutsErrorAnswers", new ErrorAnswers());
        // The HTTP server's own 405 and 413 answers (before any route runs) as JSON, once it has started.
        context.addStartupListener((started, alreadyStarted) -> ErrorAnswers.installOn(started,
                Integer.parseInt(value(properties, "camel.server.port", "8080")),
                Long.parseLong(value(properties, "camel.server.max-body-size", "65536"))));
        PayoutLedger ledger = registry.lookupByNameAndType("payoutsLedger", PayoutLedger.class);
        PayoutFiles files = new PayoutFiles(new BatchLedger(ledger));
        registry.bind("payoutsFiles", files);
        registry.bind("payoutsReads", new ReadAnswers(new PayoutQueries(ledger), files));
        boolean webhook = Boolean.parseBoolean(value(properties, "payouts.webhook.enabled", "false"));
        registry.bind("payoutsWebhookSignature", new WebhookSignature(webhook ? required(properties, "payouts.webhook.secret")
                : "webhook-disabled"));
    }

    /**
     * A network acceptor of the embedded broker with neither producer nor consumer password would be
     * of use to nobody: refused in every profile, before anything is built (in prod the production
     * guard names it with every other problem).
     */
    private static void refuseAcceptorNobodyCouldLogInTo(PropertiesComponent properties) {
        if (!"prod".equals(value(properties, "payouts.profile", "dev"))
                && ProductionGuard.acceptorWithoutUsers(key -> value(properties, key, ""))) {
            throw new IllegalStateException(ProductionGuard.ACCEPTOR_WITHOUT_USERS);
        }
    }

    /** Without payouts.db.url, the ledger is an H2 database under payouts.data-dir. */
    private static void embeddedLedgerUnlessConfigured(PropertiesComponent properties) throws Exception {
        if (value(properties, "payouts.db.url", "").isBlank()) {
            Path dataDir = Path.of(value(properties, "payouts.data-dir", "./data"));
            Files.createDirectories(dataDir);
            // WRITE_DELAY=0: a commit is written before it returns. H2's default (a background write
            // every 500 ms) loses the last commits when the process is killed, and a lost transfer
            // claim would let a restarted gateway pay again.
            properties.addOverrideProperty("payouts.db.url",
                    "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("ledger") + ";WRITE_DELAY=0");
        }
    }

    /** A configured webhook URL adds the "webhook" outcome channel and starts its route. */
    private static void webhookChannelWhenConfigured(PropertiesComponent properties) {
        boolean webhook = !value(properties, "payouts.webhook.url", "").isBlank();
        properties.addOverrideProperty("payouts.webhook.enabled", String.valueOf(webhook));
        List<String> channels = new ArrayList<>(list(value(properties, "payouts.outcomes.channels", "jms")));
        if (webhook && !channels.contains("webhook")) {
            channels.add("webhook");
        }
        properties.addOverrideProperty("payouts.outcomes.channels", String.join(",", channels));
    }

    /**
     * The JMS component's broker: the embedded Artemis (journal under the data directory) unless
     * PAYOUTS_JMS_URL names an external one. The embedded broker always asks for a login: the
     * gateway's own user has a random password, the producer's and consumer's are configured (a
     * network acceptor nobody could log in to is refused). Connections and sessions are cached for
     * producers. No ObjectMessage is ever deserialized: the converter does not read them, and the
     * connection factory's deny list would refuse them anyway.
     */
    private static void connectJms(CamelContext context, PropertiesComponent properties) throws Exception {
        String url = value(properties, "payouts.jms.url", "");
        String user = value(properties, "payouts.jms.user", "");
        String password = value(properties, "payouts.jms.password", "");
        if (url.isBlank()) {
            EmbeddedBroker.User gateway = EmbeddedBroker.User.withRandomPassword(EmbeddedBroker.GATEWAY_ROLE);
            Path journal = Path.of(value(properties, "payouts.data-dir", "./data")).resolve("broker");
            context.addService(new EmbeddedBroker(journal, value(properties, "payouts.jms.acceptor", ""),
                    new EmbeddedBroker.Queues(value(properties, "payouts.jms.requests-queue", "payouts.requests"),
                            value(properties, "payouts.jms.outcomes-queue", "payouts.outcomes"),
                            value(properties, "payouts.jms.dead-letter-queue", "payouts.dead-letter")),
                    Integer.parseInt(value(properties, "payouts.jms.max-delivery-attempts", "10")),
                    new EmbeddedBroker.Users(gateway, brokerUser(properties, "producer"),
                            brokerUser(properties, "consumer"))), true, true);
            url = EmbeddedBroker.IN_VM_URL;
            user = gateway.name();
            password = gateway.password();
        }
        ActiveMQConnectionFactory broker = new ActiveMQConnectionFactory(url, blankToNull(user), blankToNull(password));
        broker.setDeserializationDenyList("*");
        CachingConnectionFactory cached = new CachingConnectionFactory(broker);
        cached.setSessionCacheSize(Integer.parseInt(value(properties, "payouts.jms.concurrency", "4")) + 4);
        JmsComponent jms = context.getComponent("jms", JmsComponent.class);
        jms.setConnectionFactory(cached);
        jms.getConfiguration().setMessageConverter(new NoObjectMessages());
    }

    /** payouts.jms.producer-user/-password or consumer-user/-password: a user of the embedded broker's acceptor. */
    private static EmbeddedBroker.User brokerUser(PropertiesComponent properties, String role) {
        return new EmbeddedBroker.User(value(properties, "payouts.jms." + role + "-user", "payouts-" + role),
                value(properties, "payouts.jms." + role + "-password", ""));
    }

    private static String blankToNull(String text) {
        return text.isBlank() ? null : text;
    }
}
