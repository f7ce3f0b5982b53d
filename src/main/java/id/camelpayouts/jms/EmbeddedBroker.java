package id.camelpayouts.jms;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded ActiveMQ Artemis broker (the default when PAYOUTS_JMS_URL is not set): a
 * persistent journal under the data directory, reachable in-VM and, when configured, over TCP.
 * A Camel service of the context, so it starts once, before the routes, and stops after them.
 * {@link #startInBackground()} lets it start beside the building of the routes (about a tenth of
 * a start's work on the main thread); the service's start still waits for it, so the context (and
 * readiness) is not started before the broker is.
 *
 * <p>Security is always on: every connection logs in, and what a user may do depends on its role.
 * The gateway itself may do everything; a producer may only send to the requests queue; a consumer
 * may only consume (and browse) the outcomes and dead-letter queues. Nobody may manage the broker
 * or create queues: the three queues are created here.
 */
public final class EmbeddedBroker extends ServiceSupport {

    public static final String IN_VM_URL = "vm://0";
    public static final String GATEWAY_ROLE = "payouts-gateway";
    public static final String PRODUCER_ROLE = "payouts-producer";
    public static final String CONSUMER_ROLE = "payouts-consumer";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final int JOURNAL_BUFFER_TIMEOUT_NANOS = 100_000;

    /** A user of the broker. A role whose user has no password has no user: nobody logs in as it. */
    public record User(String name, String password) {

        /** No user: the role it would have is not given to anybody. */
        public static final User NONE = new User("", "");

        /** The gateway's own user: a password nobody outside this process knows, new at every start. */
        public static User withRandomPassword(String name) {
            byte[] password = new byte[24];
            new SecureRandom().nextBytes(password);
            return new User(name, HexFormat.of().formatHex(password));
        }

        boolean exists() {
            return name != null && !name.isBlank() && password != null && !password.isBlank();
        }

        @Override
        public String toString() {
            return "User[" + name + "]"; // never the password
        }
    }

    /** Who may log in: the gateway (everything), a producer (send instructions), a consumer (read outcomes). */
    public record Users(User gateway, User producer, User consumer) {
        public Users {
            if (!gateway.exists()) {
                throw new IllegalArgumentException("the broker needs the gateway's user and password");
            }
            for (User user : new User[] {producer, consumer}) {
                if (user.exists() && user.name().equals(gateway.name())) {
                    throw new IllegalArgumentException("the broker user " + user.name() + " is the gateway's own");
                }
            }
            if (producer.exists() && consumer.exists() && producer.name().equals(consumer.name())) {
                throw new IllegalArgumentException("the producer and the consumer must be different broker users");
            }
        }
    }

    /** The queues the roles are about. */
    public record Queues(String requests, String outcomes, String deadLetter) {
    }

    private final Path directory;
    private final String tcpAcceptor;
    private final Queues queues;
    private final int maxDeliveryAttempts;
    private final Users users;
    private CompletableFuture<EmbeddedActiveMQ> starting;

    /**
     * @param tcpAcceptor         e.g. tcp://127.0.0.1:61616, or blank for in-VM only
     * @param maxDeliveryAttempts after this many failed deliveries a message goes to the dead-letter queue
     */
    public EmbeddedBroker(Path directory, String tcpAcceptor, Queues queues, int maxDeliveryAttempts, Users users) {
        this.directory = directory;
        this.tcpAcceptor = tcpAcceptor;
        this.queues = queues;
        this.maxDeliveryAttempts = maxDeliveryAttempts;
        this.users = users;
    }

    /**
     * Starts the broker now on a thread of its own; {@link #start()} then waits for it and fails as it
     * did. A broker started so is stopped with the service, also when the service itself never
     * started (the context failed before: {@link #shutdown()}).
     */
    public synchronized void startInBackground() {
        if (starting == null) {
            starting = CompletableFuture.supplyAsync(this::startBroker, runnable -> {
                Thread thread = new Thread(runnable, "payouts-broker-start");
                thread.setDaemon(true);
                thread.start();
            });
        }
    }

    @Override
    protected void doStart() throws Exception {
        startInBackground();
        started();
    }

    /** The broker once started; the exception it failed with otherwise. */
    private synchronized EmbeddedActiveMQ started() throws Exception {
        try {
            return starting.join();
        } catch (CompletionException failed) {
            starting = null; // a later start tries again
            if (failed.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw failed;
        }
    }

    private EmbeddedActiveMQ startBroker() {
        try {
            return newBroker();
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    private EmbeddedActiveMQ newBroker() throws Exception {
        Configuration config = new ConfigurationImpl()
                .setName("camel-payouts")
                .setPersistenceEnabled(true)
                .setJournalType(JournalType.NIO)
                // A durable send or commit is answered once the journal is synced; Artemis syncs at
                // most once per buffer timeout, gathering what arrived meanwhile. Its NIO default
                // (3.33 ms, 300 syncs a second, for spinning disks) held a sender that waits for each
                // answer (an outcomes block delivering one outcome at a time, the JMS intake's commits)
                // to ~290 a second; with 100 us, 2,000 to 3,300 here. Concurrent senders are still
                // gathered, and nothing is answered before it is on disk.
                .setJournalBufferTimeout_NIO(JOURNAL_BUFFER_TIMEOUT_NANOS)
                .setJournalDirectory(directory.resolve("journal").toString())
                .setBindingsDirectory(directory.resolve("bindings").toString())
                .setPagingDirectory(directory.resolve("paging").toString())
                .setLargeMessagesDirectory(directory.resolve("large-messages").toString())
                .setSecurityEnabled(true)
                // No MBeans: nobody manages this broker (no role may), and registering one for the
                // server, each address, queue and acceptor is startup work for nothing.
                .setJMXManagementEnabled(false)
                .addAcceptorConfiguration("in-vm", IN_VM_URL);
        if (tcpAcceptor != null && !tcpAcceptor.isBlank()) {
            config.addAcceptorConfiguration("tcp", tcpAcceptor);
        }
        // A message that keeps failing is parked, never retried forever.
        config.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(queues.deadLetter()))
                .setExpiryAddress(SimpleString.of(queues.deadLetter())) // nothing expires; an expired message would be parked too
                .setMaxDeliveryAttempts(maxDeliveryAttempts)
                .setRedeliveryDelay(1000)
                .setRedeliveryMultiplier(2)
                .setMaxRedeliveryDelay(60_000)
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true));
        // Created here, so that producers and consumers need no right to create them.
        for (String queue : new String[] {queues.requests(), queues.outcomes(), queues.deadLetter()}) {
            config.addQueueConfiguration(QueueConfiguration.of(queue).setAddress(queue)
                    .setRoutingType(RoutingType.ANYCAST).setDurable(true));
        }
        // an instruction is small; a huge message would be read whole by the gateway's client
        config.registerBrokerPlugin(new OversizedRequests(queues.requests()));
        secure(config);
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(config).setSecurityManager(securityManager());
        broker.start();
        LOG.info("Embedded Artemis broker started (journal in {}{})", directory,
                tcpAcceptor == null || tcpAcceptor.isBlank() ? "" : ", accepting " + tcpAcceptor + " for "
                        + (users.producer().exists() ? "producer " + users.producer().name() : "no producer")
                        + " and " + (users.consumer().exists() ? "consumer " + users.consumer().name() : "no consumer"));
        return broker;
    }

    /** What each role may do, by address (the most specific match wins, so the gateway is named in each). */
    private void secure(Configuration config) {
        //                       name           send   consume createDQ deleteDQ createNDQ deleteNDQ manage browse createA deleteA view   edit
        Role gateway = new Role(GATEWAY_ROLE, true, true, true, true, true, true, false, true, true, true, false, false);
        Role sendOnly = new Role(PRODUCER_ROLE, true, false, false, false, false, false, false, false, false, false,
                false, false);
        Role consumeOnly = new Role(CONSUMER_ROLE, false, true, false, false, false, false, false, true, false, false,
                false, false);
        config.putSecurityRoles("#", Set.of(gateway));
        config.putSecurityRoles(queues.requests(), Set.of(gateway, sendOnly));
        config.putSecurityRoles(queues.outcomes(), Set.of(gateway, consumeOnly));
        config.putSecurityRoles(queues.deadLetter(), Set.of(gateway, consumeOnly));
    }

    /** Users and their roles, in memory (never on disk): checked by Artemis' in-VM login module. */
    private ActiveMQJAASSecurityManager securityManager() {
        SecurityConfiguration logins = new SecurityConfiguration();
        addUser(logins, users.gateway(), GATEWAY_ROLE);
        addUser(logins, users.producer(), PRODUCER_ROLE);
        addUser(logins, users.consumer(), CONSUMER_ROLE);
        return new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), logins);
    }

    private static void addUser(SecurityConfiguration logins, User user, String role) {
        if (user.exists()) {
            logins.addUser(user.name(), user.password());
            logins.addRole(user.name(), role);
        }
    }

    @Override
    protected void doStop() throws Exception {
        stopBroker();
    }

    @Override
    protected void doShutdown() throws Exception {
        stopBroker(); // started in the background, but the service never was
    }

    private synchronized void stopBroker() throws Exception {
        if (starting != null) {
            EmbeddedActiveMQ broker;
            try {
                broker = starting.join();
            } catch (CompletionException failed) {
                return; // never started: nothing to stop
            } finally {
                starting = null;
            }
            broker.stop();
        }
    }
}
